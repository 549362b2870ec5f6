import type { Page } from 'playwright-core';
import type { AgentHarness } from '../pages/agent-harness';
import type { DebtorPhoneApi } from '../pages/debtor-phone';

/** Typed handles on the two test pages, so tests read like the agent's and the debtor's actions. */
type W = { agent: AgentHarness; debtorPhone: DebtorPhoneApi };

export function agentDriver(page: Page) {
  return {
    page,
    start: (o: Parameters<AgentHarness['start']>[0]) => page.evaluate((opts) => (window as unknown as W).agent.start(opts), o),
    snapshot: () => page.evaluate(() => (window as unknown as W).agent.snapshot()),
    call: (r: Parameters<AgentHarness['call']>[0]) => page.evaluate((req) => (window as unknown as W).agent.call(req), r),
    hangup: () => page.evaluate(() => (window as unknown as W).agent.hangup()),
    hold: (on: boolean) => page.evaluate((h) => (window as unknown as W).agent.hold(h), on),
    mute: (on: boolean) => page.evaluate((m) => (window as unknown as W).agent.mute(m), on),
    dtmf: (d: string) => page.evaluate((digits) => (window as unknown as W).agent.dtmf(digits), d),
    setDtmfMode: (m: 'auto' | 'info') => page.evaluate((mode) => (window as unknown as W).agent.setDtmfMode(mode), m),
    watchDtmfSender: () => page.evaluate(() => (window as unknown as W).agent.watchDtmfSender()),
    dtmfTonesPlayed: () => page.evaluate(() => (window as unknown as W).agent.dtmfTonesPlayed.join('')),
    transfer: (t?: string) => page.evaluate((target) => (window as unknown as W).agent.transfer(target ?? undefined), t ?? null),
    answer: () => page.evaluate(() => (window as unknown as W).agent.answer()),
    reject: () => page.evaluate(() => (window as unknown as W).agent.reject()),
    inboundPackets: () => page.evaluate(() => (window as unknown as W).agent.inboundPackets()),
    devices: () => page.evaluate(() => (window as unknown as W).agent.devices()),
    setInputDevice: (id: string | null) => page.evaluate((d) => (window as unknown as W).agent.setInputDevice(d), id),
    setOutputDevice: (id: string) => page.evaluate((d) => (window as unknown as W).agent.setOutputDevice(d), id),
    sinkId: () => page.evaluate(() => (window as unknown as W).agent.sinkId()),
    senderTrackLabel: () => page.evaluate(() => (window as unknown as W).agent.senderTrackLabel()),
  };
}

export function debtorDriver(page: Page) {
  return {
    page,
    start: (o: Parameters<DebtorPhoneApi['start']>[0]) => page.evaluate((opts) => (window as unknown as W).debtorPhone.start(opts), o),
    setMode: (m: Parameters<DebtorPhoneApi['setMode']>[0]) =>
      page.evaluate((mode) => (window as unknown as W).debtorPhone.setMode(mode), m),
    state: () => page.evaluate(() => (window as unknown as W).debtorPhone.state()),
    inboundPackets: () => page.evaluate(() => (window as unknown as W).debtorPhone.inboundPackets()),
    inboundEnergy: () => page.evaluate(() => (window as unknown as W).debtorPhone.inboundEnergy()),
    hangup: () => page.evaluate(() => (window as unknown as W).debtorPhone.hangup()),
    call: (target: string, domain: string) =>
      page.evaluate(([t, d]) => (window as unknown as W).debtorPhone.call(t, d), [target, domain] as const),
  };
}

export type AgentDriver = ReturnType<typeof agentDriver>;
export type DebtorDriver = ReturnType<typeof debtorDriver>;
