import { OrgMessageTemplate, type TemplateAuditEntry } from '../../shared/domain/messaging';
import type { MessageTemplateInput, MessageTemplateUpdate } from '../../shared/domain/template-admin';
import type { z } from 'zod';
import type { Db } from '../db';
import { HttpError, notFound } from '../http/errors';
import { findOrgTemplate } from './templates';

type Input = z.output<typeof MessageTemplateInput>;
type Update = z.output<typeof MessageTemplateUpdate>;

const nameTaken = (name: string) => new HttpError(409, 'template_name_taken', `a template named "${name}" already exists`, 'name');

function waColumns(t: Input) {
  const wa = t.channel === 'whatsapp' ? t.whatsapp : null;
  return [wa?.name ?? null, wa?.language ?? null, JSON.stringify(wa?.languageByCountry ?? {}), wa?.params ?? []];
}

async function audit(tx: Db, orgId: string, userId: string, before: OrgMessageTemplate | null, after: OrgMessageTemplate): Promise<void> {
  await tx.query(
    `INSERT INTO message_template_audit (org_id, template_id, user_id, action, before, after) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)`,
    [orgId, after.id, userId, before ? 'update' : 'create', before && JSON.stringify(before), JSON.stringify(after)],
  );
}

/** Creates a template (already validated by MessageTemplateInput) and its audit entry, in one transaction. */
export async function createTemplate(db: Db, orgId: string, userId: string, t: Input): Promise<OrgMessageTemplate> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: string }>(
      `INSERT INTO message_templates (org_id, name, channel, subject, body, wa_template_name, wa_language, wa_language_by_country, wa_params,
         active, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::text[], $10, $11)
       ON CONFLICT (org_id, name) DO NOTHING RETURNING id`,
      [orgId, t.name, t.channel, t.channel === 'email' ? t.subject : null, t.body, ...waColumns(t), t.active, userId],
    );
    if (!row) throw nameTaken(t.name);
    const after = (await findOrgTemplate(tx, orgId, row.id))!;
    await audit(tx, orgId, userId, null, after);
    return after;
  });
}

/**
 * Replaces a template. Messages already accepted keep the text they were sent with (their own
 * body and subject columns); only messages pushed from now on use the new version.
 */
export async function updateTemplate(db: Db, orgId: string, userId: string, id: string, t: Update): Promise<OrgMessageTemplate> {
  return db.transaction(async (tx) => {
    const before = await findOrgTemplate(tx, orgId, id, true);
    if (!before) throw notFound('message template');
    if (t.revision !== undefined && t.revision !== before.revision) {
      throw new HttpError(
        409,
        'template_changed',
        `the template was changed by someone else (revision ${before.revision}, you edited ${t.revision})`,
        'revision',
        { current: before },
      );
    }
    const clash = await tx.query('SELECT 1 FROM message_templates WHERE org_id = $1 AND name = $2 AND id <> $3', [orgId, t.name, id]);
    if (clash.length) throw nameTaken(t.name);
    await tx.query(
      `UPDATE message_templates SET name = $3, channel = $4, subject = $5, body = $6, wa_template_name = $7, wa_language = $8,
         wa_language_by_country = $9::jsonb, wa_params = $10::text[], active = $11, revision = revision + 1, updated_at = now(), updated_by = $12
       WHERE org_id = $1 AND id = $2`,
      [orgId, id, t.name, t.channel, t.channel === 'email' ? t.subject : null, t.body, ...waColumns(t), t.active, userId],
    );
    const after = (await findOrgTemplate(tx, orgId, id))!;
    await audit(tx, orgId, userId, before, after);
    return after;
  });
}

export async function listTemplateAudit(db: Db, orgId: string, limit = 500): Promise<TemplateAuditEntry[]> {
  const rows = await db.query<{
    seq: string | number;
    templateId: string;
    userId: string;
    username: string;
    at: Date;
    action: 'create' | 'update';
    before: unknown;
    after: unknown;
  }>(
    `SELECT a.seq, a.template_id AS "templateId", a.user_id AS "userId", u.username, a.at, a.action, a.before, a.after
     FROM message_template_audit a JOIN users u ON u.id = a.user_id WHERE a.org_id = $1 ORDER BY a.seq DESC LIMIT $2`,
    [orgId, limit],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    templateId: r.templateId,
    userId: r.userId,
    username: r.username,
    at: r.at.toISOString(),
    action: r.action,
    before: r.before === null ? null : OrgMessageTemplate.parse(r.before),
    after: OrgMessageTemplate.parse(r.after),
  }));
}
