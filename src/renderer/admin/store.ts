import { create } from 'zustand';

/** Whether the admin's compliance screen is open (admins only; the nav store stays the agent's). */
export const useAdminView = create<{ open: boolean; setOpen(open: boolean): void }>((set) => ({
  open: false,
  setOpen: (open) => set({ open }),
}));
