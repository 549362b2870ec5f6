import type { Page } from 'playwright-core';

export interface HeapSample {
  /** V8 heap in use after a forced GC, bytes. */
  usedBytes: number;
  totalBytes: number;
  /** Queue rows loaded in the store vs rows actually in the DOM (virtualisation). */
  loadedRows: number;
  domRows: number;
}

/**
 * Scrolls the work queue down `steps` times, waiting for pages to load, so the measured heap
 * includes a realistically scrolled list (several pages of rows, the virtualiser recycling DOM).
 */
export async function scrollQueue(page: Page, steps = 20): Promise<void> {
  const scroller = page.getByTestId('queue-scroll');
  await scroller.waitFor();
  for (let i = 0; i < steps; i++) {
    await scroller.evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await page.waitForTimeout(60);
  }
  await page.waitForFunction(() => {
    const total = document.querySelector('[data-testid="queue-total"]')?.textContent ?? '';
    return !/…|\.\.\./.test(total);
  });
}

/** The renderer's JS heap through CDP (Runtime.getHeapUsage after HeapProfiler.collectGarbage). */
export async function measureRendererHeap(page: Page): Promise<HeapSample> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('HeapProfiler.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const usage = await cdp.send('Runtime.getHeapUsage');
    const rows = await page.evaluate(() => {
      const grid = document.querySelector('[role="grid"]');
      return {
        loaded: Number(grid?.getAttribute('data-loaded-rows') ?? 0),
        dom: document.querySelectorAll('[data-testid="queue-row"]').length,
      };
    });
    return { usedBytes: usage.usedSize, totalBytes: usage.totalSize, loadedRows: rows.loaded, domRows: rows.dom };
  } finally {
    await cdp.detach();
  }
}

export function formatHeap(s: HeapSample): string {
  const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
  return `renderer JS heap ${mb(s.usedBytes)} MB used / ${mb(s.totalBytes)} MB total; queue rows loaded ${s.loadedRows}, in DOM ${s.domRows}`;
}
