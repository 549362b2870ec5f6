// `npm start`: the central server on PGlite (.data/server, demo data when empty), the renderer
// built if missing, then Electron when its binary is installed, else the same workstation
// served to a browser by the web host. Ctrl-C stops everything.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
register();

const cleanups = [];
let stopping = false;
async function stopAll(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const fn of cleanups.reverse()) {
    try {
      await fn();
    } catch (e) {
      console.error(e instanceof Error ? e.message : e);
    }
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

function electronBinary() {
  try {
    const pkgDir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(pkgDir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const bin = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

function build() {
  console.log('Compilando la interfaz (electron-vite build)… / Building the UI…');
  const r = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('electron-vite build failed');
}

async function startCentralServer() {
  const { startServer } = await import(join(root, 'src/server/cli/serve.ts'));
  const opts = { dataDir: join(root, '.data/server'), demo: true, host: '127.0.0.1' };
  try {
    return await startServer({ ...opts, port: Number(process.env.PORT ?? 8787) });
  } catch (e) {
    if (e?.code !== 'EADDRINUSE') throw e;
    return await startServer({ ...opts, port: 0 });
  }
}

async function main() {
  const server = await startCentralServer();
  cleanups.push(() => server.close());
  console.log(`Servidor central / central server: ${server.url}`);

  const bin = electronBinary();
  if (!existsSync(join(root, 'out/renderer/index.html')) || (bin && !existsSync(join(root, 'out/main/index.js')))) build();

  if (bin) {
    const child = spawn(bin, [root], { cwd: root, stdio: 'inherit', env: { ...process.env, COBRANZA_SERVER_URL: server.url } });
    cleanups.push(
      () =>
        new Promise((ok) => {
          if (child.exitCode !== null) ok();
          else {
            child.once('exit', ok);
            child.kill('SIGTERM');
          }
        }),
    );
    child.on('exit', (code) => void stopAll(code ?? 0));
    return;
  }

  console.log(
    'Electron no está disponible en esta máquina: la estación se sirve por el navegador / Electron is not available on this machine: serving the workstation through the web host.',
  );
  const { createWorkstation } = await import(join(root, 'src/main/services/index.ts'));
  const { startWebHost } = await import(join(root, 'src/main/webhost/index.ts'));
  const workstation = await createWorkstation({ dataDir: join(root, '.data/workstation'), defaultServerUrl: server.url });
  cleanups.push(() => workstation.close());
  const host = await startWebHost({
    workstation,
    rendererDir: join(root, 'out/renderer'),
    host: '127.0.0.1',
    port: Number(process.env.WEB_PORT ?? 0),
  });
  cleanups.push(() => host.close());
  console.log(`\nAbra / open: ${host.url}`);
  console.log(
    'Usuarios demo / demo logins: agente1 / agente123 · agente2 / agente123 · agente3 / agente123 · lider / lider123 · admin / admin123',
  );
  console.log('Ctrl-C para salir / to stop.');
}

main().catch((e) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  void stopAll(1);
});
