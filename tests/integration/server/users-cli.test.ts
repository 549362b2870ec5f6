import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUsersCli } from '../../../src/server/cli/users';
import { createServer } from '../../../src/server/app';
import { openDb } from '../../../src/server/db';
import { call, login } from '../../helpers/server';
import { createTestDatabase, type TestDatabase } from '../../helpers/pg';

const PASSWORD = 'clave-segura-1';

function capture(password = PASSWORD) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), readPassword: async () => password } };
}

describe('npm run users (PGlite data folder, in process)', () => {
  let dir: string;
  const run = async (args: string[], password?: string) => {
    const c = capture(password);
    const code = await runUsersCli(args, { DATA_DIR: dir }, c.io);
    return { code, out: c.out.join('\n'), err: c.err.join('\n') };
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'users-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('bootstraps an organisation and its first admin, who can then log in to the server', async () => {
    expect((await run(['create-org', 'Cobranzas Norte', '--country', 'MX', '--time-zone', 'America/Monterrey'])).code).toBe(0);
    const added = await run(['add', 'jefa', '--name', 'Jefa de Cobranza', '--role', 'admin']);
    expect(added, added.err).toMatchObject({ code: 0 });
    expect(added.out).toContain('Usuario jefa (administrador) creado en "Cobranzas Norte"');
    const listed = await run(['list']);
    expect(listed.out).toContain('jefa · Jefa de Cobranza · administrador');

    const db = await openDb({ dataDir: dir });
    const app = createServer({ db });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      const session = await login({ url }, 'jefa', PASSWORD);
      expect(session.user.role).toBe('admin');
      const team = await call({ url }, 'POST', '/api/v1/teams', { token: session.token, body: { name: 'Equipo Monterrey' } });
      expect(team.status).toBe(201);
      const [audit] = await db.query<{ via: string; actor: string | null; action: string }>(
        `SELECT via, actor_id AS actor, action FROM user_admin_audit WHERE action = 'user.create'`,
      );
      expect(audit).toEqual({ via: 'cli', actor: null, action: 'user.create' });
    } finally {
      await app.close();
      await db.close();
    }
  });

  it('adds an agent to a team, sets a password, disables and enables', async () => {
    expect((await run(['add', 'cobrador1', '--name', 'Cobrador Uno', '--role', 'agent', '--team', 'equipo monterrey'])).code).toBe(0);
    expect((await run(['password', 'cobrador1'], 'otra-clave-larga')).out).toContain('sus sesiones abiertas se cerraron');
    expect((await run(['disable', 'cobrador1'])).code).toBe(0);
    expect((await run(['list'])).out).toContain('cobrador1 · Cobrador Uno · agente · Equipo Monterrey · DESHABILITADO');
    expect((await run(['enable', 'cobrador1'])).code).toBe(0);
    const db = await openDb({ dataDir: dir });
    try {
      const rows = await db.query<{ action: string; after: unknown }>(
        `SELECT a.action, a.after FROM user_admin_audit a JOIN users u ON u.id = a.user_id WHERE u.username = 'cobrador1' ORDER BY a.seq`,
      );
      expect(rows).toEqual([
        { action: 'user.create', after: expect.objectContaining({ username: 'cobrador1', role: 'agent' }) },
        { action: 'user.password_set', after: null },
        { action: 'user.update', after: { disabled: true } },
        { action: 'user.update', after: { disabled: false } },
      ]);
    } finally {
      await db.close();
    }
  });

  it.each([
    [['add', 'x1', '--name', 'X', '--role', 'agent'], 'corta', 'contraseña: password must have at least 10'],
    [['add', 'x2', '--name', 'X', '--role', 'jefe'], PASSWORD, '--role'],
    [['add', 'x3', '--name', 'X', '--role', 'agent', '--team', 'Nadie'], PASSWORD, 'no existe el equipo "Nadie" (hay: "Equipo Monterrey")'],
    [['add', 'Mayus', '--name', 'X', '--role', 'agent'], PASSWORD, 'username: username: lower-case'],
    [['add', 'jefa', '--name', 'X', '--role', 'agent'], PASSWORD, 'username_taken'],
    [['disable', 'jefa'], PASSWORD, 'last_admin'],
    [['password', 'nadie'], PASSWORD, 'no existe el usuario "nadie"'],
    [['list', '--org', 'Otra'], PASSWORD, 'no existe la organización "Otra"'],
    [['create-org', 'Y', '--country', 'Colombia', '--time-zone', 'America/Bogota'], PASSWORD, '--country'],
    [['create-org', 'Y', '--country', 'CO', '--time-zone', 'Marte/Olimpo'], PASSWORD, '--time-zone'],
    [['borrar', 'jefa'], PASSWORD, 'orden desconocida'],
  ])('refuses %j with exit 2 and says why', async (args, password, message) => {
    const r = await run(args, password);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });
});

describe('npm run users (real process, PostgreSQL)', () => {
  let pgDb: TestDatabase;
  beforeAll(async () => {
    pgDb = await createTestDatabase('userscli');
  });
  afterAll(async () => {
    await pgDb?.drop();
  });

  it('reads the password from standard input, not from the command line', () => {
    const env = { ...process.env, DATABASE_URL: pgDb.url };
    const org = spawnSync(
      'npm',
      ['run', '--silent', 'users', '--', 'create-org', 'Sur', '--country', 'CL', '--time-zone', 'America/Santiago'],
      { env, encoding: 'utf8' },
    );
    expect(org.status, org.stderr).toBe(0);
    const add = spawnSync('npm', ['run', '--silent', 'users', '--', 'add', 'admin-sur', '--name', 'Admin Sur', '--role', 'admin'], {
      env,
      encoding: 'utf8',
      input: `${PASSWORD}\n`,
    });
    expect(add.status, add.stderr).toBe(0);
    expect(add.stdout).toContain('Usuario admin-sur (administrador) creado en "Sur"');
    const weak = spawnSync('npm', ['run', '--silent', 'users', '--', 'password', 'admin-sur'], { env, encoding: 'utf8', input: 'corta\n' });
    expect(weak.status).toBe(2);
    expect(weak.stderr).toContain('at least 10');
  }, 120_000);
});
