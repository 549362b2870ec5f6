import type { OrgMessagingConfigInput, OrgMessagingConfigView } from '../../shared/domain/replies';
import { recordOrgAudit } from '../audit/org-audit';
import type { Db } from '../db';

/**
 * Each organisation's provider credentials, which authenticate its webhooks: the URL names the
 * organisation by its code (/api/v1/webhooks/:org/…), its own auth token / app secret checks the
 * signature, and the payload's Twilio AccountSid or WhatsApp phone_number_id must be its own. A
 * request for one organisation signed with another's secret is refused. Also its reply mailbox,
 * read over IMAP by src/server/messaging/imap-replies.ts.
 */
export interface OrgMessagingConfig {
  orgId: string;
  twilioAccountSid: string | null;
  twilioAuthToken: string | null;
  whatsappPhoneNumberId: string | null;
  whatsappAppSecret: string | null;
  whatsappVerifyToken: string | null;
  imapHost: string | null;
  imapPort: number | null;
  imapSecure: boolean;
  imapUser: string | null;
  imapPassword: string | null;
  imapMailbox: string;
}

const COLUMNS = `c.org_id AS "orgId", c.twilio_account_sid AS "twilioAccountSid", c.twilio_auth_token AS "twilioAuthToken",
  c.whatsapp_phone_number_id AS "whatsappPhoneNumberId", c.whatsapp_app_secret AS "whatsappAppSecret",
  c.whatsapp_verify_token AS "whatsappVerifyToken", c.imap_host AS "imapHost", c.imap_port AS "imapPort",
  c.imap_secure AS "imapSecure", c.imap_user AS "imapUser", c.imap_password AS "imapPassword", c.imap_mailbox AS "imapMailbox"`;

export async function configForOrgCode(db: Db, code: string): Promise<OrgMessagingConfig | null> {
  const [row] = await db.query<OrgMessagingConfig>(
    `SELECT ${COLUMNS} FROM org_messaging_config c JOIN organizations o ON o.id = c.org_id WHERE o.code = $1`,
    [code],
  );
  return row ?? null;
}

export async function configForOrg(db: Db, orgId: string): Promise<OrgMessagingConfig | null> {
  const [row] = await db.query<OrgMessagingConfig>(`SELECT ${COLUMNS} FROM org_messaging_config c WHERE c.org_id = $1`, [orgId]);
  return row ?? null;
}

/** Every organisation with a complete reply mailbox (host, user and password set). */
export async function orgMailboxes(db: Db): Promise<OrgMessagingConfig[]> {
  return db.query<OrgMessagingConfig>(
    `SELECT ${COLUMNS} FROM org_messaging_config c
     WHERE c.imap_host IS NOT NULL AND c.imap_user IS NOT NULL AND c.imap_password IS NOT NULL ORDER BY c.org_id`,
  );
}

/** What an admin may read back: never a secret, only whether it is set. */
export function viewOf(c: OrgMessagingConfig | null): OrgMessagingConfigView {
  return {
    twilioAccountSid: c?.twilioAccountSid ?? null,
    twilioAuthTokenSet: !!c?.twilioAuthToken,
    whatsappPhoneNumberId: c?.whatsappPhoneNumberId ?? null,
    whatsappAppSecretSet: !!c?.whatsappAppSecret,
    whatsappVerifyTokenSet: !!c?.whatsappVerifyToken,
    imapHost: c?.imapHost ?? null,
    imapPort: c?.imapPort ?? null,
    imapSecure: c?.imapSecure ?? true,
    imapUser: c?.imapUser ?? null,
    imapPasswordSet: !!c?.imapPassword,
    imapMailbox: c?.imapMailbox ?? 'INBOX',
  };
}

const SECRETS = ['twilioAuthToken', 'whatsappAppSecret', 'whatsappVerifyToken', 'imapPassword'] as const;

/**
 * Replaces the organisation's settings: a field left out keeps its value (the screen never has the
 * secrets to send back), null clears it. Audited in the same transaction; the audit names which
 * secrets changed, never their values.
 */
export async function saveOrgMessagingConfig(db: Db, orgId: string, userId: string | null, c: OrgMessagingConfigInput): Promise<void> {
  await db.transaction(async (tx) => {
    const [cur] = await tx.query<OrgMessagingConfig>(`SELECT ${COLUMNS} FROM org_messaging_config c WHERE c.org_id = $1 FOR UPDATE`, [
      orgId,
    ]);
    const old: OrgMessagingConfig = cur ?? { orgId, ...blank };
    const next: OrgMessagingConfig = { ...old };
    for (const [k, v] of Object.entries(c) as Array<[keyof OrgMessagingConfigInput, unknown]>)
      if (v !== undefined) (next as unknown as Record<string, unknown>)[k] = v;
    await tx.query(
      `INSERT INTO org_messaging_config (org_id, twilio_account_sid, twilio_auth_token, whatsapp_phone_number_id, whatsapp_app_secret,
         whatsapp_verify_token, imap_host, imap_port, imap_secure, imap_user, imap_password, imap_mailbox, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (org_id) DO UPDATE SET twilio_account_sid = $2, twilio_auth_token = $3, whatsapp_phone_number_id = $4,
         whatsapp_app_secret = $5, whatsapp_verify_token = $6, imap_host = $7, imap_port = $8, imap_secure = $9, imap_user = $10,
         imap_password = $11, imap_mailbox = $12, updated_by = $13, updated_at = now()`,
      [
        orgId,
        next.twilioAccountSid,
        next.twilioAuthToken,
        next.whatsappPhoneNumberId,
        next.whatsappAppSecret,
        next.whatsappVerifyToken,
        next.imapHost,
        next.imapPort,
        next.imapSecure,
        next.imapUser,
        next.imapPassword,
        next.imapMailbox,
        userId,
      ],
    );
    await recordOrgAudit(tx, {
      orgId,
      actorId: userId,
      action: 'messaging.config',
      before: viewOf(cur ?? null),
      after: { ...viewOf(next), secretsChanged: SECRETS.filter((k) => next[k] !== old[k]) },
    });
  });
}

const blank: Omit<OrgMessagingConfig, 'orgId'> = {
  twilioAccountSid: null,
  twilioAuthToken: null,
  whatsappPhoneNumberId: null,
  whatsappAppSecret: null,
  whatsappVerifyToken: null,
  imapHost: null,
  imapPort: null,
  imapSecure: true,
  imapUser: null,
  imapPassword: null,
  imapMailbox: 'INBOX',
};
