import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

/** Debian's Chromium, never a downloaded one. Fake media so softphone tests have audio. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

/**
 * Under libfaketime (scripts/working-day.mjs shifts a run started at night into a working day)
 * Chromium crawls: it reads the clock far too often for the preload library. It gets the real
 * clock instead, and pages follow the shifted one through Playwright's clock (installPageClock).
 */
/** The environment without libfaketime, for Chromium and the SIP peers; undefined when not under it. */
export function realClockEnv(): Record<string, string> | undefined {
  if (!process.env.LD_PRELOAD?.includes('faketime')) return undefined;
  const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  delete env.LD_PRELOAD;
  delete env.FAKETIME;
  return env;
}

/** The shift libfaketime applies to this process (FAKETIME="-835m"), in ms; 0 when none. */
function fakeOffsetMs(): number {
  const m = realClockEnv() ? /^([+-]\d+)m$/.exec(process.env.FAKETIME ?? '') : null;
  return m ? Number(m[1]) * 60_000 : 0;
}

/**
 * The `time` to give page.clock so the page reads `at`. Playwright sets a page's clock as an offset
 * from this process's Date.now(), and a page on the real clock would otherwise be off by the shift.
 */
export function pageClockTime(at: Date | number): number {
  return (typeof at === 'number' ? at : at.getTime()) + fakeOffsetMs();
}

/** Gives a new page this process's (possibly shifted) clock; a no-op when nothing is shifted. */
export async function installPageClock(page: import('playwright-core').Page): Promise<void> {
  if (realClockEnv()) await page.clock.install({ time: pageClockTime(Date.now()) });
}

export async function launchChromium(opts: LaunchOptions = {}): Promise<Browser> {
  const env = realClockEnv();
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    ...(env ? { env } : {}),
    ...opts,
    args: [...CHROMIUM_ARGS, ...(opts.args ?? [])],
  });
}
