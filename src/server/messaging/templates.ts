import { MessageTemplate, type MessageChannel } from '../../shared/api/contract';
import type { Db } from '../db';

/** Templates every new organisation starts with (Spanish, the debtors' language). */
export const DEFAULT_TEMPLATES: ReadonlyArray<{ name: string; channel: MessageChannel; subject: string | null; body: string }> = [
  { name: 'Recordatorio preventivo (SMS)', channel: 'sms', subject: null,
    body: 'Hola {{nombre}}, le recordamos que su pago de {{monto}} vence el {{fecha_vencimiento}}. Pague aquí: {{link}}' },
  { name: 'Mora temprana (SMS)', channel: 'sms', subject: null,
    body: '{{nombre}}, su obligación tiene {{dias_mora}} días de mora por {{monto}}. Póngase al día o acuerde un plan: {{link}}' },
  { name: 'Acuerdo de pago (WhatsApp)', channel: 'whatsapp', subject: null,
    body: 'Hola {{nombre}} 👋 Tiene un saldo de {{monto}} con {{dias_mora}} días de mora. Puede negociar su plan de pago en línea: {{link}}' },
  { name: 'Estado de cuenta (correo)', channel: 'email', subject: 'Estado de su obligación',
    body: 'Estimado(a) {{nombre}}:\n\nSu saldo pendiente es {{monto}} ({{moneda}}), vencido el {{fecha_vencimiento}} ({{dias_mora}} días de mora).\nPuede pagar o negociar aquí: {{link}}\n\nCordialmente,\nÁrea de cartera' },
];

export async function ensureDefaultTemplates(db: Db, orgId: string): Promise<void> {
  for (const t of DEFAULT_TEMPLATES) {
    await db.query(
      `INSERT INTO message_templates (org_id, name, channel, subject, body) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (org_id, name) DO NOTHING`, [orgId, t.name, t.channel, t.subject, t.body],
    );
  }
}

export async function listTemplates(db: Db, orgId: string): Promise<MessageTemplate[]> {
  const rows = await db.query<MessageTemplate>(
    'SELECT id, name, channel, subject, body FROM message_templates WHERE org_id = $1 ORDER BY channel, name', [orgId],
  );
  return rows.map((r) => MessageTemplate.parse(r));
}

export async function findTemplate(db: Db, orgId: string, id: string): Promise<MessageTemplate | null> {
  const [r] = await db.query<MessageTemplate>(
    'SELECT id, name, channel, subject, body FROM message_templates WHERE org_id = $1 AND id = $2', [orgId, id],
  );
  return r ? MessageTemplate.parse(r) : null;
}
