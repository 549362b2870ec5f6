import { getApi } from '../api';
import { useAccount } from './account';
import { useQueue } from './queue';

/**
 * The one place the renderer re-reads after a change: every write of the workstation (the agent's
 * own, or one pulled from the server) emits dataChanged, and the queue and the open account
 * (when touched) are read again — once. Forms that write therefore do not refresh by themselves.
 * Returns the unsubscribe function.
 */
export function followDataChanges(): () => void {
  return getApi().onDataChanged((event) => {
    void useQueue.getState().refresh();
    const open = useAccount.getState().accountId;
    if (open && (event.accountIds === null || event.accountIds.includes(open))) void useAccount.getState().refresh();
  });
}
