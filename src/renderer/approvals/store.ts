import { create } from 'zustand';

/** Whether the team lead's Aprobaciones screen is open (over the queue / account views). */
export const useApprovalsView = create<{ open: boolean; setOpen(open: boolean): void }>((set) => ({
  open: false,
  setOpen: (open) => set({ open }),
}));
