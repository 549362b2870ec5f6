import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The real eslint.config.js through ESLint's Node API, on source text given a path in each layer
// (the files need not exist): a wrong import must fail `npm run lint`, a right one must pass.
const root = resolve(import.meta.dirname, '../../..');
const eslint = new ESLint({ cwd: root });

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

const WRONG: [string, string, RegExp][] = [
  ['src/shared/rules/x.ts', "import { createStore } from '../../main/store/store';", /shared may not import main/],
  ['src/shared/rules/x.ts', "import { readFileSync } from 'node:fs';", /Node's 'node:fs'/],
  [
    'src/shared/domain/x.ts',
    "import Database from 'better-sqlite3-multiple-ciphers';",
    /shared may not import 'better-sqlite3-multiple-ciphers'/,
  ],
  ['src/shared/api/x.ts', "export { x } from '../../renderer/api/http';", /shared may not import renderer/],
  ['src/main/services/x.ts', "import { buildApp } from '../../server/app';", /main may not import server/],
  ['src/main/sync/x.ts', "import { getApi } from '../../renderer/api';", /main may not import renderer/],
  ['src/main/webhost/x.ts', "import { KEY_HEADER } from '../../preload/index';", /main may not import preload/],
  ['src/main/services/x.ts', "import { app } from 'electron';", /only src\/main\/electron/],
  ['src/main/services/x.ts', "import { until } from '../../../tests/helpers/until';", /main may not import tests/],
  ['src/preload/x.ts', "import { createDispatcher } from '../main/api/dispatch';", /preload may not import main/],
  ['src/preload/x.ts', "import { join } from 'node:path';", /Node's/],
  ['src/preload/x.ts', "import { z } from 'zod';", /preload may not import 'zod'/],
  ['src/renderer/queue/x.tsx', "import { createDispatcher } from '../../main/api/dispatch';", /renderer may not import main/],
  ['src/renderer/queue/x.tsx', "const m = await import('../../server/app');", /renderer may not import server/],
  ['src/renderer/lib/x.ts', "import { readFile } from 'fs';", /Node's 'fs'/],
  ['src/renderer/lib/x.ts', "import { ipcRenderer } from 'electron';", /only src\/main\/electron/],
  ['src/renderer/lib/x.ts', "import type { Pool } from 'pg';", /renderer may not import 'pg'/],
  ['src/server/sync/x.ts', "import { createStore } from '../../main/store/store';", /server may not import main/],
  ['src/server/sync/x.ts', "import { App } from '../../renderer/App';", /server may not import renderer/],
  ['src/server/sync/x.ts', "import { BrowserWindow } from 'electron';", /only src\/main\/electron/],
  ['src/server/app2.ts', "import { startPg } from '../../tests/helpers/pg';", /server may not import tests/],
  ['src/server/app2.ts', "import { run } from '../../bench/run';", /server may not import bench/],
];

const RIGHT: [string, string][] = [
  ['src/shared/rules/x.ts', "import { z } from 'zod';\nimport { Money } from '../domain/money';"],
  [
    'src/main/services/x.ts',
    "import { readFileSync } from 'node:fs';\nimport Database from 'better-sqlite3-multiple-ciphers';\nimport { API } from '../../shared/api/contract';\nimport { createDispatcher } from '../api/dispatch';",
  ],
  ['src/main/electron/x.ts', "import { app } from 'electron';\nimport { createWorkstation } from '../services';"],
  ['src/preload/x.ts', "import { contextBridge } from 'electron';\nimport { channelOf } from '../shared/api/wire';"],
  [
    'src/renderer/lib/x.tsx',
    "import { useState } from 'react';\nimport { KEY_HEADER } from '../../shared/api/wire';\nimport { getApi } from '../api';",
  ],
  ['src/renderer/lib/x.test.ts', "import { readFileSync } from 'node:fs';\nimport { it } from 'vitest';"],
  [
    'src/server/x.ts',
    "import Fastify from 'fastify';\nimport { API } from '../shared/api/contract';\nimport { createHash } from 'node:crypto';",
  ],
  [
    'tests/integration/x.test.ts',
    "import { startWebHost } from '../../src/main/webhost';\nimport { buildApp } from '../../src/server/app';\nimport { getApi } from '../../src/renderer/api';",
  ],
  ['bench/x.ts', "import { seed } from '../tests/torture/bulk-seed';\nimport { buildApp } from '../src/server/app';"],
];

describe('lint: the layering of shared, main, preload, renderer, server, bench, tests', () => {
  it.each(WRONG)('%s: refuses %s', async (file, code, why) => {
    const found = await problems(file, code);
    expect(found.length).toBeGreaterThan(0);
    expect(found.join('\n')).toMatch(/^local\/layering: /);
    expect(found.join('\n')).toMatch(why);
  });

  it.each(RIGHT)('%s: accepts its own imports', async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});
