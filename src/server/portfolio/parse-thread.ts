import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { StreamEncoding } from './decode';
import type { ParseOptions } from './parse';
import type { FileHeader, ReadBatch } from './read-batches';

/**
 * A big file is read in a worker thread (parse-worker.ts). The row checks (CSV, phone numbers,
 * amounts, dates, zod) were most of an import's CPU on the server's own thread: slices of a few
 * milliseconds each, but with the garbage they leave, major GC pauses of hundreds of ms, and
 * /healthz and sync requests waited behind both. In the worker they run beside the event loop,
 * in a heap of their own (bounded, so it is collected often and stays small); the server's thread
 * only feeds it the upload's bytes and writes the batches it hands back.
 *
 * Backpressure runs end to end: the worker asks for the next piece of the upload only when it has
 * read the last one and fewer than two of its batches wait to be written, and the upload is read
 * only when the worker asks.
 */

/** Uploads at least this large (or of unknown length) are read in a worker; smaller ones on the thread. */
export const PARSE_THREAD_MIN_BYTES = 1024 * 1024;

/** The worker's old generation, MB: its live data (recent debtors, the phone memo) needs far less. */
const WORKER_HEAP_MB = 128;

/** Whether an upload of this Content-Length should be read in a worker. */
export const readsInWorker = (contentLength: string | number | undefined): boolean =>
  contentLength === undefined || contentLength === '' || !(Number(contentLength) < PARSE_THREAD_MIN_BYTES);

export interface ReaderInput {
  options: ParseOptions;
  batchSize: number;
}

/** Messages to the worker. */
export type ToReader = { t: 'piece'; data: Uint8Array | string } | { t: 'end' } | { t: 'written' };

/** Messages from the worker. */
export type FromReader =
  | { t: 'more' }
  | { t: 'batch'; batch: ReadBatch }
  | { t: 'done'; encoding: StreamEncoding['encoding']; ignoredColumns: string[] }
  | { t: 'failed'; name: string; message: string };

/**
 * The worker runs TypeScript: the server runs through tsx, whose loader an eval'd worker does not
 * get (whether tsx came by `--import tsx`, the tsx command or register() in scripts/start.mjs),
 * so the worker registers it itself before loading its module.
 */
function workerSource(): string {
  const here = import.meta.url;
  const url = new URL(`./parse-worker${here.endsWith('.ts') ? '.ts' : '.js'}`, here).href;
  const tsxApi = createRequire(here).resolve('tsx/esm/api');
  const code = `
    if (${JSON.stringify(url)}.endsWith('.ts')) require(${JSON.stringify(tsxApi)}).register();
    import(${JSON.stringify(url)});`;
  return code;
}

/** An error from the worker, as the caller would have seen it on the thread. */
function rebuilt(m: { name: string; message: string }): Error {
  const e = new Error(m.message);
  e.name = m.name;
  return e;
}

/**
 * The batches of an upload read in a worker, in file order. `found` and `header` are filled in
 * once the last batch has been given. An error of the upload itself (a 413, a dropped connection)
 * is thrown here after the batches read before it; leaving early stops the worker and the upload.
 */
export async function* batchesInWorker(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  input: ReaderInput,
  found: StreamEncoding,
  header: FileHeader,
): AsyncGenerator<ReadBatch> {
  const pieces =
    Symbol.asyncIterator in source
      ? (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]()
      : (source as Iterable<Uint8Array | string>)[Symbol.iterator]();
  const worker = new Worker(workerSource(), { eval: true, workerData: input, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  const batches: ReadBatch[] = [];
  let finished = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const fail = (e: unknown) => {
    failure ??= e;
    notify();
  };
  // one piece asked for at a time, in order
  let feeding: Promise<void> = Promise.resolve();
  const feed = async () => {
    const next = await pieces.next();
    if (next.done) return worker.postMessage({ t: 'end' } satisfies ToReader);
    const data = next.value;
    if (typeof data === 'string') return worker.postMessage({ t: 'piece', data } satisfies ToReader);
    // a copy: request bodies come in slices of pooled buffers, which must not be moved away
    const copy = new Uint8Array(data);
    worker.postMessage({ t: 'piece', data: copy } satisfies ToReader, [copy.buffer]);
  };
  worker.on('message', (m: FromReader) => {
    if (m.t === 'more') feeding = feeding.then(feed).catch(fail);
    else if (m.t === 'batch') {
      batches.push(m.batch);
      notify();
    } else if (m.t === 'done') {
      found.encoding = m.encoding;
      header.ignoredColumns = m.ignoredColumns;
      finished = true;
      notify();
    } else fail(rebuilt(m));
  });
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (!finished) fail(new Error(`the file reader stopped before the end of the file (exit code ${code})`));
  });
  try {
    for (;;) {
      const batch = batches.shift();
      if (batch) {
        yield batch;
        // the batch before this one is written by now (the caller writes one while reading the next)
        worker.postMessage({ t: 'written' } satisfies ToReader);
        continue;
      }
      if (failure) throw failure;
      if (finished) return;
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    finished = true;
    await worker.terminate();
    // an upload left half-read is dropped, not awaited (its sender may never send the rest)
    void Promise.resolve(pieces.return?.()).catch(() => {});
  }
}
