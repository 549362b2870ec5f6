import { create } from 'zustand';

/** An administration screen (admins: rules, users, templates, strategies, segments, providers, risk models, device wipes; admins and team leads: violations, activity). */
export type AdminTab =
  'rules' | 'violations' | 'activity' | 'users' | 'templates' | 'strategies' | 'segments' | 'providers' | 'wipes' | 'risk';

/** The screens the work area shows: the queue, one account. */
export type WorkView = { name: 'queue' } | { name: 'account'; accountId: string };

/**
 * The sections of the navigation bar, one shown at a time: the agent's work (queue and account),
 * the team lead's approvals, and the administration screens.
 */
export type Section = 'work' | 'approvals' | 'live' | AdminTab | FieldTab;

/** Field collection (docs/field-collection.md): the collector's end of day; the lead's cash reconciliation. */
export type FieldTab = 'handover' | 'cash';

/**
 * Which screen is open — the one navigation state of the renderer. Kept in memory: the URL hash
 * belongs to the web host (it carries the key). The work view is kept while another section is
 * open, so coming back to work finds it as it was. Each screen is registered in screens/registry.tsx.
 */
export type View = WorkView;

interface NavStore {
  section: Section;
  view: WorkView;
  helpOpen: boolean;
  openAccount(accountId: string): void;
  backToQueue(): void;
  /** Shows one section; 'work' shows the queue or the account left open. */
  openSection(section: Section): void;
  /** Back to the work area as it was left (queue or account). */
  closeAdmin(): void;
  toggleHelp(open?: boolean): void;
  /** Signed out: the next user starts on an empty queue with nothing open. */
  reset(): void;
}

export const useNav = create<NavStore>((set) => ({
  section: 'work',
  view: { name: 'queue' },
  helpOpen: false,
  openAccount: (accountId) => set({ section: 'work', view: { name: 'account', accountId } }),
  backToQueue: () => set({ section: 'work', view: { name: 'queue' } }),
  openSection: (section) => set({ section }),
  closeAdmin: () => set({ section: 'work' }),
  toggleHelp: (open) => set((s) => ({ helpOpen: open ?? !s.helpOpen })),
  reset: () => set({ section: 'work', view: { name: 'queue' }, helpOpen: false }),
}));
