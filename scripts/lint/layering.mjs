// The layering rule (`npm run lint`), in the spirit of VS Code's `code-layering`: every import is
// resolved to the layer it lands in, and each layer may import only the layers and packages
// listed here. A relative path is resolved against the importing file, so `../../main/x` and
// `../../../src/main/x` are caught alike, whatever the depth.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';

/** Where a file sits. Co-located `*.test.ts(x)` files under src are tests, not their folder. */
export function layerOf(file, root) {
  const rel = relative(root, file).split(sep).join('/');
  if (rel.startsWith('..')) return null;
  if (/^src\/.+\.test\.tsx?$/.test(rel)) return 'tests';
  const m = /^src\/(shared|main|preload|renderer|server)\//.exec(rel);
  if (m) return m[1];
  if (rel.startsWith('tests/')) return 'tests';
  if (rel.startsWith('bench/')) return 'bench';
  return null;
}

const NODE = new Set([...builtinModules, ...builtinModules.map((b) => `node:${b}`)]);
const SERVER_ONLY = ['fastify', 'pg', '@electric-sql/pglite', 'nodemailer'];
const UI_ONLY = ['react', 'react-dom', 'zustand', 'sip.js', 'i18next', 'react-i18next', '@tanstack/react-virtual'];

/**
 * The matrix. `may`: the layers whose files this layer may import ('*' for any). `node`: whether
 * Node's built-in modules are allowed. `packages`: bare specifiers refused (a package and its
 * subpaths). 'electron' is refused everywhere except `electronIn`.
 */
export const LAYERS = {
  // rules, schemas, the contract and the wire: run in Node, Chromium and the server alike
  shared: { may: ['shared'], node: false, packages: ['better-sqlite3-multiple-ciphers', ...SERVER_ONLY, ...UI_ONLY, 'ws'] },
  // the workstation's main side: plain Node, talks to the server over HTTP, never imports it
  main: { may: ['shared', 'main'], node: true, packages: [...SERVER_ONLY, ...UI_ONLY] },
  // the sandboxed preload: electron and the wire, nothing else
  preload: { may: ['shared', 'preload'], node: false, packages: ['*'] },
  // the same bundle in Electron and a browser: only getApi() reaches the main side
  renderer: { may: ['shared', 'renderer'], node: false, packages: ['better-sqlite3-multiple-ciphers', 'ws', ...SERVER_ONLY] },
  // the central server
  server: { may: ['shared', 'server'], node: true, packages: ['better-sqlite3-multiple-ciphers', ...UI_ONLY] },
  bench: { may: '*', node: true, packages: [] },
  tests: { may: '*', node: true, packages: [] },
};
const ELECTRON_IN = [/^src\/main\/electron\//, /^src\/preload\//, /^tests\/electron\//];

const packageOf = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);

/** Why `spec` may not be imported from `file`, or null when it may. */
export function verdict(file, spec, root) {
  const from = layerOf(file, root);
  if (from === null) return null;
  const rules = LAYERS[from];
  const rel = relative(root, file).split(sep).join('/');
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const target = layerOf(resolve(dirname(file), spec), root);
    if (target === null || rules.may === '*' || rules.may.includes(target)) return null;
    return `${from} may not import ${target} (${from} may import: ${rules.may.join(', ')})`;
  }
  if (packageOf(spec) === 'electron') {
    return ELECTRON_IN.some((r) => r.test(rel)) ? null : "only src/main/electron/* and src/preload/* may import 'electron'";
  }
  if (NODE.has(spec) || NODE.has(spec.split('/')[0])) {
    return rules.node ? null : `${from} may not import Node's '${spec}' (it runs where Node does not)`;
  }
  const pkg = packageOf(spec);
  if (rules.packages.includes('*') || rules.packages.includes(pkg)) return `${from} may not import '${pkg}'`;
  return null;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'each layer (shared, main, preload, renderer, server, bench, tests) imports only what it may' },
    schema: [],
    messages: { layering: '{{why}} — see scripts/lint/layering.mjs' },
  },
  create(context) {
    const file = context.filename;
    const root = context.cwd;
    const check = (node, source) => {
      if (!source || typeof source.value !== 'string') return;
      const why = verdict(file, source.value, root);
      if (why) context.report({ node, messageId: 'layering', data: { why } });
    };
    return {
      ImportDeclaration: (n) => check(n, n.source),
      ExportNamedDeclaration: (n) => check(n, n.source),
      ExportAllDeclaration: (n) => check(n, n.source),
      ImportExpression: (n) => {
        if (n.source.type === 'Literal') check(n, n.source);
      },
      TSImportEqualsDeclaration: (n) => {
        if (n.moduleReference.type === 'TSExternalModuleReference') check(n, n.moduleReference.expression);
      },
      TSImportType: (n) => {
        const a = n.argument;
        if (a?.type === 'TSLiteralType') check(n, a.literal);
      },
      CallExpression: (n) => {
        if (n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments[0]?.type === 'Literal') check(n, n.arguments[0]);
      },
    };
  },
};

export default { rules: { layering: rule } };
