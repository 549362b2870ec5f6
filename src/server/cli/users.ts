import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CreateUserRequest, NewPassword } from '../../shared/api/users';
import { CountryCode, Role } from '../../shared/domain/enums';
import { openDb, type Db } from '../db';
import { migrate } from '../db/migrate';
import { HttpError } from '../http/errors';
import { ensureDefaultTemplates } from '../messaging/templates';
import { createUser, setPassword, updateUser } from '../users/admin';
import { resolveOrg, UsageError, type CliEnv, type CliIo } from './import';

/**
 * `npm run users -- …`: user administration from the server's command line, on the server's
 * database (DATABASE_URL, else the PGlite folder in DATA_DIR, default .data/server). It is how
 * the first administrator of an organisation comes to exist; after that the API does the rest.
 * Passwords are read from standard input (hidden when typed), never from the command line,
 * which other users of the machine can see. Changes are audited with via = 'cli'.
 * Exit 0: done; 2: nothing done (bad arguments, refused change).
 */
export const USAGE = [
  'uso: npm run users -- list [--org ORG]',
  '     npm run users -- add USUARIO --name "Nombre" --role agent|team_lead|admin [--team "Equipo"] [--org ORG]',
  '     npm run users -- password USUARIO [--org ORG]        (cierra sus sesiones)',
  '     npm run users -- disable USUARIO | enable USUARIO [--org ORG]',
  '     npm run users -- create-org "Nombre" --country CO --time-zone America/Bogota',
  'La contraseña se lee de la entrada estándar (oculta si se escribe en la terminal).',
].join('\n');

export interface UsersCliIo extends CliIo {
  /** The new password: hidden prompt on a terminal, the first line of stdin otherwise. */
  readPassword(prompt: string): Promise<string>;
}

const ROLE_NAMES: Record<string, string> = { agent: 'agente', team_lead: 'líder', admin: 'administrador' };

async function findUser(db: Db, orgId: string, username: string | undefined): Promise<{ id: string }> {
  if (!username) throw new UsageError('indique el usuario');
  const [u] = await db.query<{ id: string }>('SELECT id FROM users WHERE org_id = $1 AND username = $2', [orgId, username]);
  if (!u) throw new UsageError(`no existe el usuario "${username}" en la organización`);
  return u;
}

async function findTeam(db: Db, orgId: string, name: string | undefined): Promise<string | null> {
  if (name === undefined) return null;
  const teams = await db.query<{ id: string; name: string }>('SELECT id, name FROM teams WHERE org_id = $1 ORDER BY name', [orgId]);
  const t = teams.find((x) => x.name.localeCompare(name, 'es', { sensitivity: 'base' }) === 0);
  if (!t) throw new UsageError(`no existe el equipo "${name}" (hay: ${teams.map((x) => `"${x.name}"`).join(', ') || 'ninguno'})`);
  return t.id;
}

async function readNewPassword(io: UsersCliIo): Promise<string> {
  const password = await io.readPassword('Contraseña nueva (10 caracteres o más): ');
  const checked = NewPassword.safeParse(password);
  if (!checked.success) throw new UsageError(`contraseña: ${checked.error.issues[0]?.message ?? 'no válida'}`);
  return checked.data;
}

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

async function run(db: Db, command: string, args: string[], opts: Record<string, string | undefined>, io: UsersCliIo): Promise<void> {
  if (command === 'create-org') {
    const [name] = args;
    if (!name?.trim()) throw new UsageError('indique el nombre de la organización');
    const country = CountryCode.safeParse(opts.country);
    if (!country.success) throw new UsageError('--country: código de país ISO de 2 letras, p. ej. CO');
    if (!opts['time-zone'] || !validTimeZone(opts['time-zone']))
      throw new UsageError('--time-zone: zona horaria IANA, p. ej. America/Bogota');
    const [dup] = await db.query('SELECT 1 FROM organizations WHERE lower(name) = lower($1)', [name.trim()]);
    if (dup) throw new UsageError(`ya existe una organización llamada "${name.trim()}"`);
    const [org] = await db.query<{ id: string }>('INSERT INTO organizations (name, country, time_zone) VALUES ($1, $2, $3) RETURNING id', [
      name.trim(),
      country.data,
      opts['time-zone'],
    ]);
    await ensureDefaultTemplates(db, org!.id);
    io.out(
      `Organización "${name.trim()}" creada (${org!.id}). Cree su administrador con: npm run users -- add USUARIO --name "…" --role admin --org "${name.trim()}"`,
    );
    return;
  }
  const org = await resolveOrg(db, opts.org);
  const actor = { id: null, orgId: org.id };
  const [username] = args;
  switch (command) {
    case 'list': {
      const rows = await db.query<{ username: string; displayName: string; role: string; team: string | null; disabled: boolean }>(
        `SELECT u.username, u.display_name AS "displayName", u.role, t.name AS team, u.disabled
         FROM users u LEFT JOIN teams t ON t.id = u.team_id WHERE u.org_id = $1 ORDER BY u.username`,
        [org.id],
      );
      io.out(`Usuarios de "${org.name}": ${rows.length}`);
      for (const r of rows) {
        io.out(
          `  ${r.username} · ${r.displayName} · ${ROLE_NAMES[r.role] ?? r.role}${r.team ? ` · ${r.team}` : ''}${r.disabled ? ' · DESHABILITADO' : ''}`,
        );
      }
      return;
    }
    case 'add': {
      if (!username) throw new UsageError('indique el usuario');
      const role = Role.safeParse(opts.role);
      if (!role.success) throw new UsageError('--role: agent, team_lead o admin');
      const teamId = await findTeam(db, org.id, opts.team);
      const password = await readNewPassword(io);
      const body = CreateUserRequest.safeParse({ username, displayName: opts.name ?? '', role: role.data, teamId, password });
      if (!body.success) {
        const issue = body.error.issues[0];
        throw new UsageError(`${issue?.path.join('.') || 'datos'}: ${issue?.message ?? 'no válido'}`);
      }
      const user = await createUser(db, actor, body.data);
      io.out(`Usuario ${user.username} (${ROLE_NAMES[user.role]}) creado en "${org.name}".`);
      return;
    }
    case 'password': {
      const user = await findUser(db, org.id, username);
      const password = await readNewPassword(io);
      await setPassword(db, actor, user.id, password);
      io.out(`Contraseña de ${username} cambiada; sus sesiones abiertas se cerraron.`);
      return;
    }
    case 'disable':
    case 'enable': {
      const user = await findUser(db, org.id, username);
      await updateUser(db, actor, user.id, { disabled: command === 'disable' });
      io.out(
        command === 'disable'
          ? `Usuario ${username} deshabilitado; sus sesiones dejan de valer.`
          : `Usuario ${username} habilitado; debe iniciar sesión de nuevo.`,
      );
      return;
    }
    default:
      throw new UsageError(`orden desconocida "${command}"`);
  }
}

/** Runs the command; returns the exit code. */
export async function runUsersCli(argv: string[], env: CliEnv, io: UsersCliIo): Promise<number> {
  let db: Db | undefined;
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          org: { type: 'string' },
          name: { type: 'string' },
          role: { type: 'string' },
          team: { type: 'string' },
          country: { type: 'string' },
          'time-zone': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (parsed.values.help) {
      io.out(USAGE);
      return 0;
    }
    const [command, ...args] = parsed.positionals;
    if (!command) throw new UsageError('indique una orden');
    if (args.length > 1) throw new UsageError(`sobran argumentos: ${args.slice(1).join(' ')}`);
    const dataDir = env.DATA_DIR || '.data/server';
    // two processes writing one PGlite folder corrupt it: refuse rather than race the server
    if (!env.DATABASE_URL && existsSync(join(dataDir, 'postmaster.pid'))) {
      throw new UsageError(`la carpeta de datos ${dataDir} está en uso (¿el servidor está en marcha?); deténgalo, o use la API`);
    }
    db = await openDb({ url: env.DATABASE_URL || undefined, dataDir });
    await migrate(db);
    const { help: _help, ...opts } = parsed.values;
    await run(db, command, args, opts as Record<string, string | undefined>, io);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}`);
      io.err(USAGE);
    } else if (e instanceof HttpError) {
      io.err(`error: ${e.message} (${e.code})`);
    } else {
      io.err(`error: ${e instanceof Error ? e.message : String(e)}`);
    }
    return 2;
  } finally {
    await db?.close();
  }
}

/** Hidden typing on a terminal; the first line of a pipe otherwise. */
function readPasswordFromStdin(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const tty = process.stdin.isTTY === true;
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: tty });
    if (tty) {
      process.stdout.write(prompt);
      // readline echoes what is typed through this; nothing is written while the password is typed
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
    }
    // resolved before close: closing emits 'close', whose empty answer would otherwise win
    rl.once('line', (line) => {
      resolve(line);
      rl.close();
      if (tty) process.stdout.write('\n');
    });
    rl.once('close', () => resolve(''));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runUsersCli(process.argv.slice(2), process.env, {
    out: (l) => console.log(l),
    err: (l) => console.error(l),
    readPassword: readPasswordFromStdin,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(e);
      process.exitCode = 2;
    },
  );
}
