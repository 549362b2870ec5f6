import { STATUS_FROM_DISPOSITION, type Disposition } from '../../../shared/domain/enums';
import type { Db } from '../../db';

/** An outcome such as "dispute" or "do not contact" changes the account's status at once. */
export async function applyImpliedStatus(tx: Db, accountId: string, disposition: Disposition | null): Promise<void> {
  const status = disposition ? STATUS_FROM_DISPOSITION[disposition] : undefined;
  if (status) await tx.query('UPDATE accounts SET status = $2 WHERE id = $1', [accountId, status]);
}
