import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workstation } from '../../../src/main/services';
import type { MessagePreview, OrgMessageTemplate } from '../../../src/shared/api/contract';
import { call, login, startTestServer, type TestServer } from '../../helpers/server';
import { firstAccount, openWorkstation } from '../sync/helpers';
import { until } from '../../helpers/until';

let s: TestServer;
let ws: Workstation;
let cleanup: () => void;

beforeAll(async () => {
  s = await startTestServer({ backend: 'pg', seed: { accounts: 6 } });
  const opened = await openWorkstation(s.url);
  ws = opened.ws;
  cleanup = opened.cleanup;
  await ws.handlers.login({ username: 'agente1', password: 'agente123' });
  await ws.handlers.syncNow(undefined);
}, 60_000);

afterAll(async () => {
  await ws?.close();
  cleanup?.();
  await s?.close();
});

const email = (list: MessagePreview[]) => list.find((t) => t.channel === 'email')!;

describe("the workstation's message previews", () => {
  it('render the e-mail subject with the same values as the body, and follow an admin edit on the next sync', async () => {
    const row = await firstAccount(ws);
    const detail = await ws.handlers.getAccount({ accountId: row.accountId });
    const name = detail.debtor.name;

    const { token: admin } = await login(s, 'admin', 'admin123');
    const tpl = (await call<OrgMessageTemplate[]>(s, 'GET', '/api/v1/org/message-templates', { token: admin })).body.find(
      (t) => t.channel === 'email',
    )!;
    const put = await call<OrgMessageTemplate>(s, 'PUT', `/api/v1/org/message-templates/${tpl.id}`, {
      token: admin,
      body: {
        name: tpl.name,
        channel: 'email',
        subject: 'Saldo de {{nombre}}:\n{{monto}}',
        body: 'Estimado(a) {{nombre}}: debe {{monto}}.',
        revision: tpl.revision,
      },
    });
    expect(put.status).toBe(200);

    // before syncing, the cached (old) version: its subject has no placeholders
    expect(email(await ws.handlers.listMessageTemplates({ accountId: row.accountId })).subjectPreview).toBe('Estado de su obligación');

    await ws.handlers.syncNow(undefined);
    const after = email(
      await until(
        () => ws.handlers.listMessageTemplates({ accountId: row.accountId }),
        (l) => email(l).subject !== tpl.subject,
      ),
    );
    expect(after.subject).toBe('Saldo de {{nombre}}:\n{{monto}}');
    // rendered and folded to one line, exactly as the server will send it
    expect(after.subjectPreview).toMatch(new RegExp(`^Saldo de ${name}: \\$`));
    expect(after.subjectPreview).not.toMatch(/\{\{|\n/);
    expect(after.preview).toMatch(new RegExp(`^Estimado\\(a\\) ${name}: debe \\$`));
    // the amount in the subject is the body's
    expect(after.subjectPreview!.slice(`Saldo de ${name}: `.length)).toBe(after.preview.slice(`Estimado(a) ${name}: debe `.length, -1));
    // SMS and WhatsApp have no subject
    expect(
      (await ws.handlers.listMessageTemplates({ accountId: row.accountId }))
        .filter((t) => t.channel !== 'email')
        .every((t) => t.subjectPreview === null),
    ).toBe(true);
  });

  it('drop a template an administrator deactivated on the next sync', async () => {
    const row = await firstAccount(ws);
    const { token: admin } = await login(s, 'admin', 'admin123');
    const tpl = (await call<OrgMessageTemplate[]>(s, 'GET', '/api/v1/org/message-templates', { token: admin })).body.find(
      (t) => t.channel === 'sms',
    )!;
    expect((await ws.handlers.listMessageTemplates({ accountId: row.accountId })).map((t) => t.id)).toContain(tpl.id);
    const put = await call(s, 'PUT', `/api/v1/org/message-templates/${tpl.id}`, {
      token: admin,
      body: {
        name: tpl.name,
        channel: 'sms',
        subject: null,
        body: tpl.body,
        active: false,
      },
    });
    expect(put.status).toBe(200);
    await ws.handlers.syncNow(undefined);
    const list = await until(
      () => ws.handlers.listMessageTemplates({ accountId: row.accountId }),
      (l) => !l.some((t) => t.id === tpl.id),
    );
    expect(list.map((t) => t.id)).not.toContain(tpl.id);
  });
});
