import type { z } from 'zod';
import type { OrgMessagingConfigInput, OrgMessagingConfigView } from '../../shared/domain/replies';
import type { Db } from '../db';

/**
 * Each organisation's provider credentials, which authenticate its webhooks: the URL names the
 * organisation by its code (/api/v1/webhooks/:org/…), its own auth token / app secret checks the
 * signature, and the payload's Twilio AccountSid or WhatsApp phone_number_id must be its own. A
 * request for one organisation signed with another's secret is refused.
 */
export interface OrgMessagingConfig {
  orgId: string;
  twilioAccountSid: string | null;
  twilioAuthToken: string | null;
  whatsappPhoneNumberId: string | null;
  whatsappAppSecret: string | null;
  whatsappVerifyToken: string | null;
}

const COLUMNS = `c.org_id AS "orgId", c.twilio_account_sid AS "twilioAccountSid", c.twilio_auth_token AS "twilioAuthToken",
  c.whatsapp_phone_number_id AS "whatsappPhoneNumberId", c.whatsapp_app_secret AS "whatsappAppSecret",
  c.whatsapp_verify_token AS "whatsappVerifyToken"`;

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

export function viewOf(c: OrgMessagingConfig | null): z.infer<typeof OrgMessagingConfigView> {
  return {
    twilioAccountSid: c?.twilioAccountSid ?? null,
    twilioAuthTokenSet: !!c?.twilioAuthToken,
    whatsappPhoneNumberId: c?.whatsappPhoneNumberId ?? null,
    whatsappAppSecretSet: !!c?.whatsappAppSecret,
    whatsappVerifyTokenSet: !!c?.whatsappVerifyToken,
  };
}

export async function saveOrgMessagingConfig(db: Db, orgId: string, userId: string | null, c: OrgMessagingConfigInput): Promise<void> {
  await db.query(
    `INSERT INTO org_messaging_config (org_id, twilio_account_sid, twilio_auth_token, whatsapp_phone_number_id, whatsapp_app_secret,
       whatsapp_verify_token, updated_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (org_id) DO UPDATE SET twilio_account_sid = $2, twilio_auth_token = $3, whatsapp_phone_number_id = $4,
       whatsapp_app_secret = $5, whatsapp_verify_token = $6, updated_by = $7, updated_at = now()`,
    [orgId, c.twilioAccountSid, c.twilioAuthToken, c.whatsappPhoneNumberId, c.whatsappAppSecret, c.whatsappVerifyToken, userId],
  );
}
