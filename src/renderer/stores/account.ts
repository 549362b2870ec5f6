import { create } from 'zustand';
import { getApi } from '../api';
import type { AccountDetail, ComplianceDecision, OutcomeInput } from '../../shared/api/contract';
import { toUiError, type UiError } from '../lib/errors';

interface AccountStore {
  accountId: string | null;
  detail: AccountDetail | null;
  loading: boolean;
  error: UiError | null;
  /** Compliance decision for calling each phone contact point, by contact point id. */
  callChecks: Record<string, ComplianceDecision>;
  open(accountId: string): Promise<void>;
  refresh(): Promise<void>;
  close(): void;
  /**
   * Logs an outcome. It does not read the account or the queue again: the write's dataChanged
   * does, once (stores/data.ts).
   */
  logOutcome(input: OutcomeInput): Promise<{ activityId: string; promiseId: string | null }>;
}

export const useAccount = create<AccountStore>((set, get) => ({
  accountId: null,
  detail: null,
  loading: false,
  error: null,
  callChecks: {},

  async open(accountId) {
    set({ accountId, detail: null, loading: true, error: null, callChecks: {} });
    await get().refresh();
  },

  async refresh() {
    const accountId = get().accountId;
    if (!accountId) return;
    try {
      const api = getApi();
      const detail = await api.getAccount({ accountId });
      if (get().accountId !== accountId) return;
      set({ detail, loading: false, error: null });
      const phones = detail.contactPoints.filter((cp) => cp.kind === 'phone');
      const decisions = await Promise.all(
        phones.map((cp) =>
          api.checkContact({ accountId, contactPointId: cp.id, channel: 'call' }).then(
            (d) => [cp.id, d] as const,
            () => null,
          ),
        ),
      );
      if (get().accountId !== accountId) return;
      const callChecks: Record<string, ComplianceDecision> = {};
      for (const entry of decisions) if (entry) callChecks[entry[0]] = entry[1];
      set({ callChecks });
    } catch (err) {
      if (get().accountId === accountId) set({ loading: false, error: toUiError(err) });
    }
  },

  close() {
    set({ accountId: null, detail: null, callChecks: {}, error: null });
  },

  logOutcome: (input) => getApi().logOutcome(input),
}));
