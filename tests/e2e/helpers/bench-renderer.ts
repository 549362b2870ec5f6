import { measureRendererHeap, scrollQueue } from './heap';
import { loginThroughUi, startWorkstationStack, waitForSync } from './stack';

export interface RendererBenchRow {
  name: string;
  value: number | string;
  unit: string;
  target?: string;
  ok?: boolean;
}

/**
 * For bench/run.ts (`benchRenderer`): the real stack with a larger demo portfolio, agente1 logged
 * in through the UI, the queue scrolled through many pages, then the renderer's JS heap after a
 * forced GC and the time the first queue page took to appear after login.
 */
export async function benchRenderer(opts: { accounts?: number } = {}): Promise<RendererBenchRow[]> {
  const stack = await startWorkstationStack({ accounts: opts.accounts ?? 3000, seed: 5 });
  try {
    const { page } = stack;
    const t0 = performance.now();
    await loginThroughUi(page, 'agente1', 'agente123');
    const firstPageMs = performance.now() - t0;
    await waitForSync(page, 0, 'online', 120_000);
    await scrollQueue(page, 40);
    const heap = await measureRendererHeap(page);
    const mb = heap.usedBytes / 1024 / 1024;
    return [
      { name: 'login → first queue page (incl. first full pull)', value: firstPageMs, unit: 'ms' },
      { name: `renderer JS heap, queue scrolled (${heap.loadedRows} rows loaded)`, value: mb, unit: 'MB', target: '< 50 MB', ok: mb < 50 },
      { name: 'queue rows in the DOM (virtualised)', value: heap.domRows, unit: 'rows', target: '< 80', ok: heap.domRows < 80 },
    ];
  } finally {
    await stack.close();
  }
}
