import { create } from 'zustand';

/** Which screen is open. Kept in memory: the URL hash belongs to the web host (it carries the key). */
type View = { name: 'queue' } | { name: 'account'; accountId: string };

interface NavStore {
  view: View;
  helpOpen: boolean;
  openAccount(accountId: string): void;
  backToQueue(): void;
  toggleHelp(open?: boolean): void;
}

export const useNav = create<NavStore>((set) => ({
  view: { name: 'queue' },
  helpOpen: false,
  openAccount: (accountId) => set({ view: { name: 'account', accountId } }),
  backToQueue: () => set({ view: { name: 'queue' } }),
  toggleHelp: (open) => set((s) => ({ helpOpen: open ?? !s.helpOpen })),
}));
