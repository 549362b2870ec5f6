import { create } from 'zustand';

/**
 * "Registrar llamada marcada a mano" beside a call button the softphone cannot serve: the account's
 * outcome form takes the request (channel call, that number, outbound, so it is logged as a manual
 * dial and checked like one) and puts the cursor in it. `seq` makes a second click on the same
 * number a new request.
 */
export const useManualCall = create<{
  request: { accountId: string; contactPointId: string; seq: number } | null;
  ask(accountId: string, contactPointId: string): void;
}>((set, get) => ({
  request: null,
  ask: (accountId, contactPointId) => set({ request: { accountId, contactPointId, seq: (get().request?.seq ?? 0) + 1 } }),
}));
