import { readSse } from '../../src/shared/live/sse';
import type { BoardAgent, LiveBoard } from '../../src/shared/live/presence';

/** A lead's live stream for tests: the events as they arrive, and waits on them. */
export class StreamWatcher {
  readonly boards: LiveBoard[] = [];
  readonly agents: Array<{ agent: BoardAgent; sentAt: number; receivedAt: number }> = [];
  private readonly abort = new AbortController();
  private waiters: Array<() => void> = [];
  readonly done: Promise<void>;
  status: number | null = null;

  constructor(baseUrl: string, token: string | null) {
    this.done = readSse(
      `${baseUrl}/api/v1/live/stream`,
      { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: this.abort.signal },
      (e) => {
        this.status = 200;
        if (e.event === 'board') this.boards.push(JSON.parse(e.data) as LiveBoard);
        else if (e.event === 'agent') {
          const m = JSON.parse(e.data) as { agent: BoardAgent; sentAt: number };
          this.agents.push({ ...m, receivedAt: Date.now() });
        }
        for (const w of this.waiters.splice(0)) w();
      },
    ).catch((e: { status?: number }) => {
      this.status = e.status ?? -1;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Resolves when `test` holds (checked after every event), rejects after `ms`. */
  async until<T>(test: () => T | undefined | null | false, ms = 5_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = test();
      if (v) return v;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('stream: condition not met in time');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  lastOf(userId: string): BoardAgent | undefined {
    return this.agents.filter((a) => a.agent.userId === userId).at(-1)?.agent;
  }

  close(): void {
    this.abort.abort();
  }
}
