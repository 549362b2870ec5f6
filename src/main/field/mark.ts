import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * What a device must never go below, kept OUTSIDE its store file (docs/field-collection.md): the
 * highest receipt number it took (`hwm`) and the highest outbox id it gave a mutation (`seq`), for
 * the store it names (`clientId`). A store file copied back from a backup carries older values;
 * this file does not, so the device neither issues a receipt number twice nor sends new work
 * under mutation ids the server already counted (it would be answered "duplicate" and lost).
 */
export interface DeviceMarkValue {
  clientId: string;
  hwm: number;
  seq: number;
}

export class DeviceMark {
  constructor(private readonly file: string) {}

  read(): DeviceMarkValue | null {
    try {
      const v = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<DeviceMarkValue>;
      const hwm = Number(v.hwm ?? 0);
      const seq = Number(v.seq ?? 0);
      if (typeof v.clientId !== 'string' || !Number.isSafeInteger(hwm) || !Number.isSafeInteger(seq)) return null;
      return { clientId: v.clientId, hwm, seq };
    } catch {
      return null;
    }
  }

  /**
   * `durable`: fsync'd before returning — a receipt number must be marked used before it is
   * printed. The mutation counter alone is written without it (a restore from a backup happens
   * long after the write, and the server's count catches what a power cut loses: outbox.ts).
   */
  write(v: DeviceMarkValue, durable: boolean): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify(v));
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
  }
}
