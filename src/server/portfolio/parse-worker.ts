import { parentPort, workerData } from 'node:worker_threads';
import { decodeCsvStream, type StreamEncoding } from './decode';
import { readBatches, type FileHeader } from './read-batches';
import type { ToReader, FromReader, ReaderInput } from './parse-thread';

/**
 * The worker thread side of parse-thread.ts: decodes and checks a portfolio file whose bytes the
 * server's thread hands it piece by piece, and hands back batches of rows. It asks for the next
 * piece only when it needs one and holds at most MAX_UNWRITTEN batches the server has not written
 * yet, so a slow database slows the reading, and the reading the upload.
 */

const MAX_UNWRITTEN = 2;
const port = parentPort!;
const { options, batchSize } = workerData as ReaderInput;

const inbox: ToReader[] = [];
let unwritten = 0;
let wake: (() => void) | null = null;
port.on('message', (m: ToReader) => {
  if (m.t === 'written') unwritten--;
  else inbox.push(m);
  wake?.();
  wake = null;
});
const changed = () => new Promise<void>((resolve) => (wake = resolve));
const send = (m: FromReader) => port.postMessage(m);

async function* pieces(): AsyncGenerator<Uint8Array | string> {
  for (;;) {
    send({ t: 'more' });
    while (inbox.length === 0) await changed();
    const m = inbox.shift()!;
    if (m.t === 'end') return;
    if (m.t === 'piece') yield m.data;
  }
}

const found: StreamEncoding = { encoding: 'utf-8' };
const header: FileHeader = { ignoredColumns: [] };
try {
  for await (const batch of readBatches(decodeCsvStream(pieces(), found), options, batchSize, header)) {
    send({ t: 'batch', batch });
    unwritten++;
    while (unwritten >= MAX_UNWRITTEN) await changed();
  }
  send({ t: 'done', encoding: found.encoding, ignoredColumns: header.ignoredColumns });
} catch (e) {
  send({ t: 'failed', name: (e as Error).name ?? 'Error', message: (e as Error).message ?? String(e) });
}
