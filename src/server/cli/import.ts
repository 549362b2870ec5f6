import { createReadStream, existsSync } from 'node:fs';
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ImportReport } from '../../shared/domain/portfolio';
import { openDb, type Db } from '../db';
import { migrate } from '../db/migrate';
import { generateDemoPortfolio } from '../portfolio/demo';
import { importPortfolioStream } from '../portfolio/stream';
import { parseDate } from '../portfolio/values';
import { portfolioRowsToCsv } from '../portfolio/write-csv';

/**
 * `npm run import -- FILE.csv [--org <id or name>] [--as-of YYYY-MM-DD]`
 * `npm run import -- --generate N [--seed S] [--agents a,b,c] [--as-of …] FILE.csv` writes a
 * generated demo portfolio to FILE instead (for demos and load tests); no database needed.
 * Loads a portfolio file into the server database (DATABASE_URL, else the PGlite folder in
 * DATA_DIR, default .data/server — the same the server uses). Exit 0: every row written;
 * 1: some rows refused (listed); 2: nothing done (bad arguments, unknown organisation, bad file).
 */

export const USAGE =
  'uso: npm run import -- ARCHIVO.csv [--org <id o nombre>] [--as-of AAAA-MM-DD]\n' +
  '     npm run import -- --generate N [--seed S] [--agents agente1,agente2] [--as-of AAAA-MM-DD] SALIDA.csv';

export interface CliEnv {
  DATABASE_URL?: string | undefined;
  DATA_DIR?: string | undefined;
}

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export class UsageError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function resolveOrg(db: Db, org: string | undefined): Promise<{ id: string; name: string }> {
  const all = await db.query<{ id: string; name: string }>('SELECT id, name FROM organizations ORDER BY created_at');
  if (all.length === 0) {
    throw new UsageError('la base de datos no tiene organizaciones; cree una primero (p. ej. `npm run server -- --demo`)');
  }
  if (org === undefined) {
    if (all.length === 1) return all[0]!;
    throw new UsageError(`hay ${all.length} organizaciones; indique una con --org: ${all.map((o) => `"${o.name}" (${o.id})`).join(', ')}`);
  }
  const match = UUID.test(org)
    ? all.filter((o) => o.id.toLowerCase() === org.toLowerCase())
    : all.filter((o) => o.name.localeCompare(org, 'es', { sensitivity: 'base' }) === 0);
  if (match.length === 1) return match[0]!;
  if (match.length > 1) throw new UsageError(`hay varias organizaciones llamadas "${org}"; use su id`);
  throw new UsageError(`no existe la organización "${org}" (hay: ${all.map((o) => `"${o.name}"`).join(', ')})`);
}

export function formatReport(report: ImportReport): string[] {
  const lines = [
    `Filas leídas: ${report.rowsRead}`,
    `Deudores: ${report.debtorsUpserted} · Cuentas: ${report.accountsUpserted} · Puntos de contacto: ${report.contactPointsUpserted}`,
  ];
  if (report.errors.length === 0) {
    lines.push('Sin errores.');
  } else {
    const failedRows = new Set(report.errors.map((e) => e.row)).size;
    lines.push(`Errores: ${report.errors.length} en ${failedRows} fila(s); esas filas no se cargaron:`);
    for (const e of report.errors) lines.push(`  fila ${e.row}, campo ${e.field}: ${e.message}`);
    if (report.errorCount !== undefined)
      lines.push(`  … ${report.errorCount - report.errors.length} errores más no listados (${report.errorCount} en total)`);
  }
  if (report.warnings && report.warnings.length > 0) {
    lines.push(`Avisos: ${report.warnings.length} (filas cargadas; revíselas):`);
    for (const w of report.warnings) lines.push(`  fila ${w.row}, campo ${w.field}: ${w.message}`);
  }
  return lines;
}

/** Runs the command; returns the exit code. */
export async function runImportCli(argv: string[], env: CliEnv, io: CliIo): Promise<number> {
  let db: Db | undefined;
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          org: { type: 'string' },
          'as-of': { type: 'string' },
          help: { type: 'boolean', short: 'h' },
          generate: { type: 'string' },
          seed: { type: 'string' },
          agents: { type: 'string' },
        },
      });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (parsed.values.help) {
      io.out(USAGE);
      return 0;
    }
    const [file, ...extra] = parsed.positionals;
    if (!file || extra.length > 0) throw new UsageError('indique exactamente un archivo CSV');
    const asOf = parsed.values['as-of'];
    if (asOf !== undefined) {
      const d = parseDate(asOf);
      if (!d.ok || d.value !== asOf) throw new UsageError(`--as-of debe ser una fecha AAAA-MM-DD, no "${asOf}"`);
    }
    if (parsed.values.generate !== undefined) {
      const count = Number(parsed.values.generate);
      const seed = Number(parsed.values.seed ?? '1');
      if (!Number.isInteger(count) || count < 1)
        throw new UsageError(`--generate espera un número de cuentas, no "${parsed.values.generate}"`);
      if (!Number.isInteger(seed)) throw new UsageError(`--seed espera un entero, no "${parsed.values.seed}"`);
      const agents = (parsed.values.agents ?? 'agente1,agente2,agente3')
        .split(',')
        .map((a) => a.trim())
        .filter((a) => a !== '');
      const rows = generateDemoPortfolio({ count, seed, agents, ...(asOf ? { asOf } : {}) });
      await writeFile(file, portfolioRowsToCsv(rows, { separator: ';', dates: 'dmy' }));
      io.out(`${count} cuentas de ${new Set(rows.map((r) => r.debtorExternalId)).size} deudores escritas en ${file} (semilla ${seed})`);
      return 0;
    }
    try {
      await access(file);
    } catch (e) {
      throw new UsageError(`no se puede leer ${file}: ${(e as Error).message}`);
    }

    const dataDir = env.DATA_DIR || '.data/server';
    // PGlite keeps postmaster.pid while a process has the folder open; two processes writing one
    // folder corrupt it, so refuse rather than race the running server.
    if (!env.DATABASE_URL && existsSync(join(dataDir, 'postmaster.pid'))) {
      throw new UsageError(
        `la carpeta de datos ${dataDir} está en uso (¿el servidor está en marcha?). ` +
          'Detenga el servidor, o suba el archivo desde la aplicación. Si no hay ningún proceso usándola, borre ' +
          `${join(dataDir, 'postmaster.pid')}`,
      );
    }
    db = await openDb({ url: env.DATABASE_URL || undefined, dataDir });
    await migrate(db);
    const org = await resolveOrg(db, parsed.values.org);
    io.out(`Cartera ${file} → organización "${org.name}" en ${db.kind === 'pg' ? 'PostgreSQL' : 'PGlite'}`);
    const t0 = performance.now();
    // Streamed like an upload (portfolio/stream.ts): a file of millions of rows in bounded memory.
    const report = await importPortfolioStream(db, org.id, createReadStream(file, { highWaterMark: 256 * 1024 }), asOf ? { asOf } : {});
    io.out(`Codificación: ${report.encoding}`);
    if (report.ignoredColumns.length > 0) {
      io.out(`Columnas no leídas (nombre no reconocido, ver docs/portfolio-csv.md): ${report.ignoredColumns.join(', ')}`);
    }
    for (const line of formatReport(report)) io.out(line);
    io.out(`Tiempo: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return report.errors.length > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`error: ${e.message}`);
      io.err(USAGE);
    } else {
      io.err(`error: ${e instanceof Error ? e.message : String(e)}`);
    }
    return 2;
  } finally {
    await db?.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runImportCli(process.argv.slice(2), process.env, { out: (l) => console.log(l), err: (l) => console.error(l) }).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(e);
      process.exitCode = 2;
    },
  );
}
