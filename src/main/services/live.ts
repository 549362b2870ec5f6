import type { WorkstationHandlers } from '../../shared/api/contract';
import { ROUTES } from '../../shared/api/routes';
import type { WorkstationCore } from './core';
import { callRoute } from './route-client';

type LiveMethods = 'setPause' | 'getMyPresence' | 'reportCall' | 'getLiveBoard' | 'getAgentTimeline';

/** The live board on the workstation: the agent's own state (pause control, softphone events) and a lead's board and timelines. */
export function createLiveHandlers(core: WorkstationCore): Pick<WorkstationHandlers, LiveMethods> {
  return {
    async setPause({ reason }) {
      return core.need().presence.setPause(reason);
    },
    async getMyPresence() {
      return core.need().presence.current();
    },
    async reportCall(e) {
      core.need().presence.callEvent(e);
      return null;
    },
    async getLiveBoard() {
      return core.need().live.state();
    },
    async getAgentTimeline({ agentId, day, kinds }) {
      return callRoute(core.need().server, ROUTES.agentTimeline, {
        params: { id: agentId },
        query: { ...(day ? { day } : {}), ...(kinds && kinds.length > 0 ? { kinds: kinds.join(',') } : {}) },
      });
    },
  };
}
