// Architectural boundaries, enforced in CI (`npm run lint`):
// - only the thin Electron shell may import 'electron' (everything else must run in plain Node and Chromium);
// - src/shared is pure and imports nothing from main, preload, renderer or server.
import tseslint from 'typescript-eslint';

const ELECTRON_SHELL = ['src/main/electron/**', 'src/preload/**'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.data/**', '.tmp/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: "Only src/main/electron/* and src/preload/* may import 'electron'." }],
      }],
    },
  },
  {
    files: ELECTRON_SHELL,
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'src/shared must stay pure.' }],
        patterns: [{
          group: ['**/main/**', '**/preload/**', '**/renderer/**', '**/server/**', 'node:*', 'better-sqlite3-multiple-ciphers', 'pg', '@electric-sql/pglite', 'fastify'],
          message: 'src/shared must stay pure: it runs in Node, Chromium and the server alike.',
        }],
      }],
    },
  },
);
