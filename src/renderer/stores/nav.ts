import { create } from 'zustand';

/** An administration card (admins: rules, users, templates; admins and team leads: violations, activity). */
export type AdminTab = 'rules' | 'violations' | 'activity' | 'users' | 'templates';

/** The screens the work area shows: the queue, one account. */
export type WorkView = { name: 'queue' } | { name: 'account'; accountId: string };

/**
 * Which screen is open — the one navigation state of the renderer. Kept in memory: the URL hash
 * belongs to the web host (it carries the key). `approvals` covers the work view it was opened
 * from and gives it back when closed. Each view's screen is registered in screens/registry.tsx.
 */
export type View = WorkView | { name: 'approvals'; back: WorkView };

interface NavStore {
  view: View;
  /** The administration card shown above the view, if any. */
  admin: AdminTab | null;
  helpOpen: boolean;
  openAccount(accountId: string): void;
  backToQueue(): void;
  /** Opens (or with false closes) the team lead's approvals over the current work view. */
  toggleApprovals(open?: boolean): void;
  /** Opens an administration card, or closes it when it is the one open. */
  toggleAdmin(tab: AdminTab): void;
  closeAdmin(): void;
  toggleHelp(open?: boolean): void;
  /** Signed out: the next user starts on an empty queue with nothing open. */
  reset(): void;
}

const workView = (v: View): WorkView => (v.name === 'approvals' ? v.back : v);

export const useNav = create<NavStore>((set) => ({
  view: { name: 'queue' },
  admin: null,
  helpOpen: false,
  openAccount: (accountId) => set({ view: { name: 'account', accountId } }),
  backToQueue: () => set({ view: { name: 'queue' } }),
  toggleApprovals: (open) =>
    set((s) => {
      const isOpen = s.view.name === 'approvals';
      if ((open ?? !isOpen) === isOpen) return {};
      return { view: isOpen ? workView(s.view) : { name: 'approvals', back: workView(s.view) } };
    }),
  toggleAdmin: (tab) => set((s) => ({ admin: s.admin === tab ? null : tab })),
  closeAdmin: () => set({ admin: null }),
  toggleHelp: (open) => set((s) => ({ helpOpen: open ?? !s.helpOpen })),
  reset: () => set({ view: { name: 'queue' }, admin: null, helpOpen: false }),
}));
