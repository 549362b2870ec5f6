/**
 * The account refs of one file already read, with the row each came on, in bounded memory: a
 * streamed file of a million rows must still refuse a repeated account anywhere in it, and a
 * Map<string, number> of a million refs held ~100 MB. Here each ref is two 32-bit hashes and a
 * row number in typed arrays (12 bytes a slot, ≤ 24 MB for a million refs). Two different refs
 * are taken for the same only if both hashes agree: about 1 in 2^64 per pair, about 3 in 10^8
 * for a whole file of a million rows — far below a typo's odds.
 */
export class SeenRefs {
  private a = new Uint32Array(1024);
  private b = new Uint32Array(1024);
  private rows = new Int32Array(1024);
  private used = 0;

  get size(): number {
    return this.used;
  }

  /** The row the ref first came on, if it did. */
  get(ref: string): number | undefined {
    const [ha, hb] = hashes(ref);
    const slot = this.find(ha, hb);
    return this.rows[slot] === 0 ? undefined : this.rows[slot];
  }

  /** Records the ref's row (a row number is ≥ 1); a ref already there keeps its first row. */
  set(ref: string, row: number): void {
    if (!(row >= 1)) throw new Error(`row numbers start at 1, got ${row}`);
    if ((this.used + 1) * 2 > this.rows.length) this.grow();
    const [ha, hb] = hashes(ref);
    const slot = this.find(ha, hb);
    if (this.rows[slot] !== 0) return;
    this.a[slot] = ha;
    this.b[slot] = hb;
    this.rows[slot] = row;
    this.used++;
  }

  /** The slot holding these hashes, or the empty slot where they would go (linear probing). */
  private find(ha: number, hb: number): number {
    const mask = this.rows.length - 1;
    for (let i = (ha ^ Math.imul(hb, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
      if (this.rows[i] === 0 || (this.a[i] === ha && this.b[i] === hb)) return i;
    }
  }

  private grow(): void {
    const { a, b, rows } = this;
    this.a = new Uint32Array(rows.length * 2);
    this.b = new Uint32Array(rows.length * 2);
    this.rows = new Int32Array(rows.length * 2);
    for (let i = 0; i < rows.length; i++) {
      if (rows[i] === 0) continue;
      const slot = this.find(a[i]!, b[i]!);
      this.a[slot] = a[i]!;
      this.b[slot] = b[i]!;
      this.rows[slot] = rows[i]!;
    }
  }
}

/** FNV-1a and a multiply-rotate hash of the UTF-16 code units: independent enough for a pair. */
function hashes(s: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x2545f491 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul((h2 ^ c) + 0x7f4a7c15, 0x85ebca6b);
    h2 = (h2 << 13) | (h2 >>> 19);
  }
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0xc2b2ae35);
  return [h1 >>> 0, (h2 ^ (h2 >>> 13)) >>> 0];
}
