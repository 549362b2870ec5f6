import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncState } from '../../../src/shared/api/contract';
import { createWorkstation, type Workstation, type WorkstationOptions } from '../../../src/main/services';

/** A workstation on a temp data dir, with a long sync interval so tests drive syncs themselves. */
export async function openWorkstation(serverUrl: string, dataDir?: string, over: Partial<WorkstationOptions> = {}) {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'ws-sync-'));
  const ws = await createWorkstation({ dataDir: dir, defaultServerUrl: serverUrl, syncIntervalMs: 3_600_000, ...over });
  return { ws, dataDir: dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Resolves when the workstation's sync state satisfies `pred`. */
export function waitForState(ws: Workstation, pred: (s: SyncState) => boolean, timeoutMs = 20_000): Promise<SyncState> {
  return new Promise((resolve, reject) => {
    let off = () => {};
    const timer = setTimeout(() => {
      off();
      reject(new Error('timed out waiting for sync state'));
    }, timeoutMs);
    const check = (s: SyncState) => {
      if (pred(s)) {
        clearTimeout(timer);
        off();
        resolve(s);
      }
    };
    off = ws.events.onSyncState(check);
    void ws.handlers.getSyncState(undefined).then(check);
  });
}

export async function firstAccount(ws: Workstation) {
  const page = await ws.handlers.listQueue({
    sort: 'priority',
    dir: 'desc',
    offset: 0,
    limit: 50,
    status: 'active',
    contactableOnly: false,
  });
  const row = page.rows[0];
  if (!row) throw new Error('queue is empty');
  return row;
}
