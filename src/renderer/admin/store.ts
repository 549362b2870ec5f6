import { create } from 'zustand';

export type AdminTab = 'rules' | 'violations' | 'activity' | 'users' | 'templates';

/** Which admin screen is open (admins: rules, users, violations, activity; team leads: violations, activity). */
export const useAdminView = create<{ open: boolean; tab: AdminTab; setOpen(open: boolean, tab?: AdminTab): void }>((set) => ({
  open: false,
  tab: 'rules',
  setOpen: (open, tab) => set((s) => ({ open, tab: tab ?? s.tab })),
}));
