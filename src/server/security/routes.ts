import { ROUTES } from '../../shared/api/routes';
import { SecurityPolicy } from '../../shared/domain/security';
import type { Db } from '../db';
import { writeTransaction } from '../db/write';
import { defineRoute } from '../http/route';
import { recordAudit } from '../users/audit';
import { listWipeOrders, orderWipe } from '../wipe/orders';

/**
 * The organisation's security policy, kept in organizations.settings.security: a change also
 * changes the pull's `policies` token, so every workstation fetches it at its next sync.
 */
export async function loadSecurity(db: Db, orgId: string): Promise<SecurityPolicy> {
  const [row] = await db.query<{ security: unknown }>(`SELECT settings->'security' AS security FROM organizations WHERE id = $1`, [orgId]);
  const r = SecurityPolicy.safeParse(row?.security ?? {});
  return r.success ? r.data : SecurityPolicy.parse({});
}

export const securityRoutes = [
  defineRoute({
    ...ROUTES.wipeUser,
    summary:
      "Order every workstation of a user wiped (admin; audited): the next contact of each of the user's sessions erases its store, after its outbox is sent under after_sync",
    tags: ['security'],
    access: ['admin'],
    errors: [404],
    async handler({ db, user, params, body }) {
      const mode = body.mode ?? (await loadSecurity(db, user.orgId)).wipeMode;
      return orderWipe(db, user, params.id, mode);
    },
  }),
  defineRoute({
    ...ROUTES.wipeOrders,
    summary: "The organisation's wipe orders, newest first: whose, given by whom, in which mode, and when carried out (admin)",
    tags: ['security'],
    access: ['admin'],
    async handler({ db, user }) {
      return { orders: await listWipeOrders(db, user.orgId) };
    },
  }),
  defineRoute({
    ...ROUTES.orgSecurity,
    summary: "The organisation's security policy (every workstation applies it offline)",
    tags: ['security'],
    access: 'user',
    async handler({ db, user }) {
      return loadSecurity(db, user.orgId);
    },
  }),
  defineRoute({
    ...ROUTES.saveOrgSecurity,
    summary: "Replace the organisation's security policy (admin; audited)",
    tags: ['security'],
    access: ['admin'],
    errors: [400],
    async handler({ db, user, body }) {
      await writeTransaction(db, user.orgId, async (tx) => {
        const before = await loadSecurity(tx, user.orgId);
        await tx.query(`UPDATE organizations SET settings = jsonb_set(settings, '{security}', $2::jsonb) WHERE id = $1`, [
          user.orgId,
          JSON.stringify(body),
        ]);
        await recordAudit(tx, { orgId: user.orgId, actorId: user.id, action: 'org.security', before, after: body });
      });
      return loadSecurity(db, user.orgId);
    },
  }),
];
