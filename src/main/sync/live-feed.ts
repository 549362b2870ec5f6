import { ROUTES } from '../../shared/api/routes';
import { BoardAgent, LiveBoard } from '../../shared/live/presence';
import { readSse } from '../../shared/live/sse';
import { joinUrl } from './transport';

/** A board nobody asked for this long is let go (the stream is closed). */
const IDLE_MS = 30_000;

export interface LiveFeedState {
  board: LiveBoard | null;
  /** Whether the stream is open now (false while it reconnects). */
  connected: boolean;
  /** When the last event arrived (ms since the epoch). */
  updatedAt: number | null;
}

/**
 * The lead's live board on the workstation: one server-sent events stream to the central server
 * (any instance: the server fans out through PostgreSQL), opened when the board is first asked for,
 * reconnected with back-off when it drops (a reconnect starts from a full board, so nothing missed
 * while down stays missed), closed when the screen stops asking. The renderer reads `state()` every
 * second; it costs no request.
 */
export class LiveFeed {
  private board: LiveBoard | null = null;
  private connected = false;
  private updatedAt: number | null = null;
  private abort: AbortController | null = null;
  private lastAsked = 0;
  private retry = 0;
  private idleTimer: ReturnType<typeof setInterval> | null = null;

  constructor(
    private readonly serverUrl: string,
    private readonly token: () => string | null,
  ) {}

  state(): LiveFeedState {
    this.lastAsked = Date.now();
    if (!this.abort) this.open();
    return { board: this.board, connected: this.connected, updatedAt: this.updatedAt };
  }

  close(): void {
    this.abort?.abort();
    this.abort = null;
    this.connected = false;
    if (this.idleTimer) clearInterval(this.idleTimer);
    this.idleTimer = null;
  }

  private open(): void {
    const abort = new AbortController();
    this.abort = abort;
    this.idleTimer ??= setInterval(() => {
      if (Date.now() - this.lastAsked > IDLE_MS) this.close();
    }, 5_000);
    this.idleTimer.unref?.();
    const token = this.token();
    void readSse(
      joinUrl(this.serverUrl, ROUTES.liveStream.path),
      { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: abort.signal },
      (e) => {
        this.connected = true;
        this.retry = 0;
        this.updatedAt = Date.now();
        if (e.event === 'board') {
          const b = LiveBoard.safeParse(JSON.parse(e.data));
          if (b.success) this.board = b.data;
        } else if (e.event === 'agent' && this.board) {
          const a = BoardAgent.safeParse((JSON.parse(e.data) as { agent: unknown }).agent);
          if (!a.success) return;
          const agents = this.board.agents.filter((x) => x.userId !== a.data.userId);
          agents.push(a.data);
          agents.sort((x, y) => x.displayName.localeCompare(y.displayName) || x.userId.localeCompare(y.userId));
          this.board = { ...this.board, agents };
        }
      },
    )
      .catch(() => {})
      .finally(() => {
        if (this.abort !== abort) return;
        // the server ended it or the network dropped: again, later
        this.abort = null;
        this.connected = false;
        const delay = Math.min(10_000, 500 * 2 ** this.retry++);
        setTimeout(() => {
          if (!this.abort && Date.now() - this.lastAsked < IDLE_MS) this.open();
        }, delay).unref?.();
      });
  }
}
