import { create } from 'zustand';

export type AdminTab = 'rules' | 'violations' | 'templates';

/** Whether the compliance screens are open (admins: rules and violations; team leads: violations). */
export const useAdminView = create<{ open: boolean; tab: AdminTab; setOpen(open: boolean, tab?: AdminTab): void }>((set) => ({
  open: false,
  tab: 'rules',
  setOpen: (open, tab) => set((s) => ({ open, tab: tab ?? s.tab })),
}));
