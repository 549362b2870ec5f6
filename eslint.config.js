// Architectural boundaries, enforced in CI (`npm run lint`): the whole layering — what each of
// src/shared, src/main, src/preload, src/renderer, src/server, bench and tests may import — is
// one rule, `local/layering` (scripts/lint/layering.mjs, which holds the matrix and says why).
// tests/unit/lint proves a wrong import in each layer fails and a right one passes.
import tseslint from 'typescript-eslint';
import layering from './scripts/lint/layering.mjs';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.data/**', '.tmp/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin, local: layering },
    rules: {
      'local/layering': 'error',
    },
  },
);
