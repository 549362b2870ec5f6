/**
 * A reader of server-sent events (text/event-stream) over any byte stream: the lead's
 * workstation, the tests and the bench read the live stream with it, over fetch, so the bearer
 * token travels in a header (EventSource cannot send one).
 */
export interface SseEvent {
  event: string;
  data: string;
}

export class SseParser {
  private buffer = '';
  private readonly decoder = new TextDecoder();

  /** Feeds bytes; returns the events they completed. */
  push(chunk: Uint8Array | string): SseEvent[] {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const out: SseEvent[] = [];
    let at: number;
    while ((at = this.buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = this.buffer.slice(0, at);
      this.buffer = this.buffer.slice(at + (this.buffer[at] === '\r' ? 4 : 2));
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split(/\r?\n/)) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length > 0) out.push({ event, data: data.join('\n') });
    }
    return out;
  }
}

/**
 * Opens a stream with fetch and calls `onEvent` for each event until `signal` aborts or the
 * server ends it. Rejects with the HTTP status when the server refuses (401, 403).
 */
export async function readSse(
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal; fetch?: typeof fetch },
  onEvent: (e: SseEvent) => void,
): Promise<void> {
  const res = await (init.fetch ?? fetch)(url, { headers: { accept: 'text/event-stream', ...init.headers }, signal: init.signal });
  if (!res.ok || !res.body) {
    const body = await res.text().catch(() => '');
    throw Object.assign(new Error(`stream refused: HTTP ${res.status} ${body.slice(0, 200)}`), { status: res.status });
  }
  const parser = new SseParser();
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      for (const e of parser.push(value)) onEvent(e);
    }
  } catch (e) {
    if (init.signal.aborted) return;
    throw e;
  }
}
