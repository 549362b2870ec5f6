import { ROUTES } from '../../shared/api/routes';
import { scopeFor } from '../access/visibility';
import { defineRoute } from '../http/route';
import { handReceiptBlocks } from './blocks';
import { cashReconciliation, checkReceipt, recordDeposit } from './reconciliation';

export const fieldRoutes = [
  defineRoute({
    ...ROUTES.receiptBlocks,
    summary:
      "Blocks of receipt numbers for the caller's device, topped up to two blocks; a device restored from an old copy gets its blocks retired",
    tags: ['field'],
    access: ['agent', 'team_lead'],
    errors: [403, 409],
    async handler({ db, user, body }) {
      // not a synced row: a plain transaction; the counter's row lock orders concurrent devices
      return db.transaction((tx) => handReceiptBlocks(tx, user, body));
    },
  }),
  defineRoute({
    ...ROUTES.cashReconciliation,
    summary: "Collectors' cash by day and currency: receipts, deposits and the difference still in hand (a lead: their team)",
    tags: ['field'],
    access: ['team_lead', 'admin'],
    async handler({ db, user, query }) {
      return cashReconciliation(db, await scopeFor(db, user), query);
    },
  }),
  defineRoute({
    ...ROUTES.recordDeposit,
    summary: "Record a deposit of a collector's cash for a day and currency (a lead: a collector of their team)",
    tags: ['field'],
    access: ['team_lead', 'admin'],
    errors: [404],
    async handler({ db, user, body }) {
      return recordDeposit(db, await scopeFor(db, user), body);
    },
  }),
  defineRoute({
    ...ROUTES.checkReceipt,
    summary: 'Check a paper receipt by its number and printed verification code (a lead: receipts of their team)',
    tags: ['field'],
    access: ['team_lead', 'admin'],
    async handler({ db, user, params, query }) {
      return checkReceipt(db, await scopeFor(db, user), params.number, query.code);
    },
  }),
];
