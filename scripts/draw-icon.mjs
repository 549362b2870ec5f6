// Draws resources/icon.png, the app's icon (1024×1024, RGBA), with nothing but node:zlib:
// a teal rounded square holding a white "C" whose opening faces a coin. electron-builder
// derives the Windows .ico and the macOS .icns from this one PNG (electron-builder.yml).
// Run `node scripts/draw-icon.mjs` after changing the drawing; the PNG is committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const SIZE = 1024;
const TEAL = [15, 118, 110];
const WHITE = [255, 255, 255];
const GOLD = [250, 204, 21];

function inRoundedSquare(x, y) {
  const m = 40,
    r = 200,
    lo = m + r,
    hi = SIZE - m - r;
  const cx = Math.min(Math.max(x, lo), hi),
    cy = Math.min(Math.max(y, lo), hi);
  return x >= m && x <= SIZE - m && y >= m && y <= SIZE - m && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
function inC(x, y) {
  const dx = x - 470,
    dy = y - 512,
    d = Math.hypot(dx, dy);
  const angle = Math.atan2(dy, dx);
  return d >= 200 && d <= 310 && Math.abs(angle) > Math.PI / 4.2;
}
const inCoin = (x, y) => Math.hypot(x - 700, y - 512) <= 85;

function colourAt(x, y) {
  if (!inRoundedSquare(x, y)) return null;
  if (inCoin(x, y)) return GOLD;
  if (inC(x, y)) return WHITE;
  return TEAL;
}

// 4×4 samples a pixel: smooth edges without a graphics library
const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
for (let y = 0; y < SIZE; y++) {
  const row = y * (SIZE * 4 + 1);
  raw[row] = 0;
  for (let x = 0; x < SIZE; x++) {
    let r = 0,
      g = 0,
      b = 0,
      a = 0;
    for (let sy = 0; sy < 4; sy++)
      for (let sx = 0; sx < 4; sx++) {
        const c = colourAt(x + (sx + 0.5) / 4, y + (sy + 0.5) / 4);
        if (!c) continue;
        r += c[0];
        g += c[1];
        b += c[2];
        a++;
      }
    const o = row + 1 + x * 4;
    if (a) {
      raw[o] = Math.round(r / a);
      raw[o + 1] = Math.round(g / a);
      raw[o + 2] = Math.round(b / a);
    }
    raw[o + 3] = Math.round((a / 16) * 255);
  }
}

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8;
ihdr[9] = 6; // 8 bits, RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = new URL('../resources/icon.png', import.meta.url);
writeFileSync(out, png);
console.log(`wrote ${out.pathname} (${png.length} bytes)`);
