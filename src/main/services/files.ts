import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';

/**
 * Small JSON files only the user can read (0600): settings and the pointer to the signed-in
 * store. Written to a temp file and renamed, so a crash never leaves half a file.
 */
export function readJson<S extends z.ZodTypeAny>(file: string, schema: S): z.output<S> | null {
  if (!existsSync(file)) return null;
  try {
    const r = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

export function writePrivateJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

/**
 * The app's data folder is this user's alone (0700), even when something else made it (Electron
 * creates userData with the default umask): it holds the stores, the vault file and sessions.
 */
export function ensurePrivateDataDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

export function removeFile(file: string): void {
  rmSync(file, { force: true });
}
