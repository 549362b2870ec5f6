import type { LocalStore } from '../store/store';
import type { DeviceMark } from './mark';

/**
 * At open: a store whose outbox is behind its device mark is an old copy of itself (restored from
 * a backup). It becomes a new sync client before anything is sent (LocalStore.becomeNewClient),
 * and the mark follows it, keeping the receipt high-water mark. Returns whether it was restored.
 */
export function checkRestoredStore(store: LocalStore, mark: DeviceMark): boolean {
  const m = mark.read();
  if (!m || m.clientId !== store.clientId || store.outboxSeq() >= m.seq) return false;
  store.becomeNewClient();
  mark.write({ clientId: store.clientId, hwm: m.hwm, seq: store.outboxSeq() }, true);
  return true;
}

/** After local writes: the mark follows the outbox's counter (see mark.ts for why without fsync). */
export function markMutations(store: LocalStore, mark: DeviceMark): void {
  const m = mark.read();
  const seq = store.outboxSeq();
  if (m && m.clientId === store.clientId && m.seq >= seq) return;
  mark.write({ clientId: store.clientId, hwm: m?.hwm ?? 0, seq }, false);
}
