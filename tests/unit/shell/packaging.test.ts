import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = resolve(import.meta.dirname, '../../..');
const builder = parse(readFileSync(resolve(root, 'electron-builder.yml'), 'utf8')) as {
  directories: { buildResources: string };
  win: { icon: string };
  mac: { icon: string };
};
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const b = readFileSync(file);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(b.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('packaging (electron-builder.yml)', () => {
  it('names icons that exist, square PNGs large enough for the .icns (512) and the .ico (256)', () => {
    for (const icon of [builder.win.icon, builder.mac.icon]) {
      const file = resolve(root, icon);
      expect(existsSync(file), `${icon} is missing`).toBe(true);
      const { width, height } = pngSize(file);
      expect(width).toBe(height);
      expect(width).toBeGreaterThanOrEqual(512);
    }
  });

  it('builds on a supported Electron major (Electron fixes its three newest; 45 is current)', () => {
    const major = Number(/(\d+)/.exec(pkg.devDependencies.electron ?? '')?.[1]);
    expect(major).toBeGreaterThanOrEqual(43);
  });
});
