import { create } from 'zustand';
import { getApi } from '../api';
import type { SyncState } from '../../shared/api/contract';
import { toUiError, type UiError } from '../lib/errors';

interface SyncStore {
  state: SyncState | null;
  error: UiError | null;
  /** Subscribes to pushed states; returns the unsubscribe function. */
  start(): () => void;
  syncNow(): Promise<void>;
}

export const useSync = create<SyncStore>((set) => ({
  state: null,
  error: null,

  start() {
    const api = getApi();
    const off = api.onSyncState((state) => set({ state }));
    api.getSyncState().then(
      (state) => set({ state }),
      (err) => set({ error: toUiError(err) }),
    );
    return off;
  },

  async syncNow() {
    set({ error: null });
    try {
      set({ state: await getApi().syncNow() });
    } catch (err) {
      set({ error: toUiError(err) });
    }
  },
}));
