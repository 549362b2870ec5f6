import { MessageTemplate, type MessageChannel, type OrgMessageTemplate } from '../../shared/domain/messaging';
import type { WhatsAppTemplateConfig } from '../../shared/domain/whatsapp-template';
import type { Db } from '../db';

export interface TemplateSeed {
  name: string;
  channel: MessageChannel;
  subject: string | null;
  body: string;
  /** WhatsApp only: the Meta-approved template; absent = not approved yet, refused when sent. */
  whatsapp?: WhatsAppTemplateConfig;
}

/**
 * Templates every new organisation starts with (Spanish, the debtors' language). The WhatsApp one
 * has no Meta template: an organisation sends it only once its own WhatsApp Business account has
 * the template approved and the name recorded here (docs/messaging.md).
 */
export const DEFAULT_TEMPLATES: ReadonlyArray<TemplateSeed> = [
  {
    name: 'Recordatorio preventivo (SMS)',
    channel: 'sms',
    subject: null,
    body: 'Hola {{nombre}}, le recordamos que su pago de {{monto}} vence el {{fecha_vencimiento}}. Pague aquí: {{link}}',
  },
  {
    name: 'Mora temprana (SMS)',
    channel: 'sms',
    subject: null,
    body: '{{nombre}}, su obligación tiene {{dias_mora}} días de mora por {{monto}}. Póngase al día o acuerde un plan: {{link}}',
  },
  {
    name: 'Acuerdo de pago (WhatsApp)',
    channel: 'whatsapp',
    subject: null,
    body: 'Hola {{nombre}} 👋 Tiene un saldo de {{monto}} con {{dias_mora}} días de mora. Puede negociar su plan de pago en línea: {{link}}',
  },
  {
    name: 'Estado de cuenta (correo)',
    channel: 'email',
    subject: 'Estado de su obligación',
    body: 'Estimado(a) {{nombre}}:\n\nSu saldo pendiente es {{monto}} ({{moneda}}), vencido el {{fecha_vencimiento}} ({{dias_mora}} días de mora).\nPuede pagar o negociar aquí: {{link}}\n\nCordialmente,\nÁrea de cartera',
  },
];

/** Mexican debtors get the es_MX version of each approved template; the others the neutral es one. */
const DEMO_LANGUAGES = { language: 'es', languageByCountry: { MX: 'es_MX' } };

/**
 * The demo organisation behaves as if its WhatsApp Business account had these templates
 * approved by Meta (in es and es_MX), with exactly these bodies.
 */
export const DEMO_WHATSAPP_TEMPLATES: ReadonlyArray<TemplateSeed> = [
  {
    name: 'Recordatorio de pago (WhatsApp)',
    channel: 'whatsapp',
    subject: null,
    body: 'Hola {{nombre}}, le recordamos que su pago de {{monto}} vence el {{fecha_vencimiento}}. Puede pagar en línea aquí: {{link}}',
    whatsapp: { name: 'recordatorio_pago', ...DEMO_LANGUAGES, params: ['nombre', 'monto', 'fecha_vencimiento', 'link'] },
  },
  {
    ...DEFAULT_TEMPLATES.find((t) => t.channel === 'whatsapp')!,
    whatsapp: { name: 'acuerdo_pago', ...DEMO_LANGUAGES, params: ['nombre', 'monto', 'dias_mora', 'link'] },
  },
];

/**
 * Adds the templates an organisation lacks (matched by name; a template it already has keeps its
 * text) and records the Meta template of a WhatsApp one that has none yet.
 */
export async function ensureTemplates(db: Db, orgId: string, templates: ReadonlyArray<TemplateSeed>): Promise<void> {
  for (const t of templates) {
    const wa = t.whatsapp ?? null;
    await db.query(
      `INSERT INTO message_templates (org_id, name, channel, subject, body, wa_template_name, wa_language, wa_language_by_country, wa_params)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::text[])
       ON CONFLICT (org_id, name) DO UPDATE SET wa_template_name = EXCLUDED.wa_template_name, wa_language = EXCLUDED.wa_language,
         wa_language_by_country = EXCLUDED.wa_language_by_country, wa_params = EXCLUDED.wa_params
       WHERE message_templates.wa_template_name IS NULL AND EXCLUDED.wa_template_name IS NOT NULL`,
      [
        orgId,
        t.name,
        t.channel,
        t.subject,
        t.body,
        wa?.name ?? null,
        wa?.language ?? null,
        JSON.stringify(wa?.languageByCountry ?? {}),
        wa?.params ?? [],
      ],
    );
  }
}

export const ensureDefaultTemplates = (db: Db, orgId: string): Promise<void> => ensureTemplates(db, orgId, DEFAULT_TEMPLATES);

const COLUMNS = `t.id, t.name, t.channel, t.subject, t.body, t.wa_template_name AS "waName", t.wa_language AS "waLanguage",
  t.wa_language_by_country AS "waLanguageByCountry", t.wa_params AS "waParams", t.active, t.revision, t.updated_at AS "updatedAt",
  (SELECT u.username FROM users u WHERE u.id = t.updated_by) AS "updatedBy"`;

interface TemplateRow {
  id: string;
  name: string;
  channel: MessageChannel;
  subject: string | null;
  body: string;
  waName: string | null;
  waLanguage: string | null;
  waLanguageByCountry: unknown;
  waParams: string[];
  active: boolean;
  revision: number;
  updatedAt: Date;
  updatedBy: string | null;
}

function toTemplate(r: TemplateRow): MessageTemplate {
  return MessageTemplate.parse({
    id: r.id,
    name: r.name,
    channel: r.channel,
    subject: r.subject,
    body: r.body,
    whatsapp: r.waName ? { name: r.waName, language: r.waLanguage, languageByCountry: r.waLanguageByCountry, params: r.waParams } : null,
  });
}

function toOrgTemplate(r: TemplateRow): OrgMessageTemplate {
  return { ...toTemplate(r), active: r.active, revision: r.revision, updatedAt: r.updatedAt.toISOString(), updatedBy: r.updatedBy };
}

/** The templates agents are offered: the active ones. */
export async function listTemplates(db: Db, orgId: string): Promise<MessageTemplate[]> {
  const rows = await db.query<TemplateRow>(
    `SELECT ${COLUMNS} FROM message_templates t WHERE t.org_id = $1 AND t.active ORDER BY t.channel, t.name`,
    [orgId],
  );
  return rows.map(toTemplate);
}

/** Every template of the organisation, inactive ones included (administration). */
export async function listOrgTemplates(db: Db, orgId: string): Promise<OrgMessageTemplate[]> {
  const rows = await db.query<TemplateRow>(`SELECT ${COLUMNS} FROM message_templates t WHERE t.org_id = $1 ORDER BY t.channel, t.name`, [
    orgId,
  ]);
  return rows.map(toOrgTemplate);
}

/** Whether the organisation ever had templates (deactivating them all must not bring the defaults back). */
export async function hasAnyTemplate(db: Db, orgId: string): Promise<boolean> {
  return (await db.query('SELECT 1 FROM message_templates WHERE org_id = $1 LIMIT 1', [orgId])).length > 0;
}

export async function findOrgTemplate(db: Db, orgId: string, id: string, lock = false): Promise<OrgMessageTemplate | null> {
  const [r] = await db.query<TemplateRow>(
    `SELECT ${COLUMNS} FROM message_templates t WHERE t.org_id = $1 AND t.id = $2${lock ? ' FOR UPDATE' : ''}`,
    [orgId, id],
  );
  return r ? toOrgTemplate(r) : null;
}

/** A template with whether it may still be used (an inactive one is refused at push). */
export async function findTemplate(db: Db, orgId: string, id: string): Promise<(MessageTemplate & { active: boolean }) | null> {
  const [r] = await db.query<TemplateRow>(`SELECT ${COLUMNS} FROM message_templates t WHERE t.org_id = $1 AND t.id = $2`, [orgId, id]);
  return r ? { ...toTemplate(r), active: r.active } : null;
}
