import { create } from 'zustand';
import { useNav } from '../stores/nav';

/** Which agent's timeline the "En vivo" section shows (null: the board). */
interface LiveNav {
  timelineAgentId: string | null;
  openTimeline(agentId: string): void;
  closeTimeline(): void;
}

export const useLiveNav = create<LiveNav>((set) => ({
  timelineAgentId: null,
  openTimeline: (agentId) => {
    set({ timelineAgentId: agentId });
    useNav.getState().openSection('live');
  },
  closeTimeline: () => set({ timelineAgentId: null }),
}));
