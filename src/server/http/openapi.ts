import { z } from 'zod';
import { ApiError } from '../../shared/sync/protocol';
import type { RouteDef } from './route';

type JsonSchema = Record<string, unknown>;

function schemaOf(s: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const js = z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete js.$schema;
  return js;
}

function parametersOf(s: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!s) return [];
  const js = schemaOf(s, 'input');
  const props = (js.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((js.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, schema]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema,
  }));
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid request (the field at fault is named)',
  401: 'Missing, invalid or expired session, or disabled user',
  403: 'Role not allowed',
  404: 'Not found or not visible to the caller',
  409: 'Conflict',
  413: 'Body too large',
  415: 'Unsupported media type',
  426: 'Client protocol version not supported',
  429: 'Too many failed attempts (Retry-After says for how long)',
};

/** OpenAPI 3.1 document built from the route declarations (zod 4 → JSON Schema 2020-12). */
export function buildOpenApi(routes: readonly RouteDef[], info: { title: string; version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const errorSchema = schemaOf(ApiError, 'output');
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const statuses = new Set<number>([400, 500, ...(r.errors ?? [])]);
    if (r.access !== 'public') statuses.add(401);
    if (Array.isArray(r.access)) statuses.add(403);
    const responses: Record<string, JsonSchema> = {
      [String(r.successStatus ?? 200)]: {
        description: 'OK',
        content: { [r.responseContentType ?? 'application/json']: { schema: schemaOf(r.response, 'output') } },
      },
    };
    for (const s of [...statuses].sort()) {
      responses[String(s)] = { description: ERROR_TEXT[s] ?? 'Error', content: { 'application/json': { schema: errorSchema } } };
    }
    const op: JsonSchema = {
      operationId: `${r.method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      summary: r.summary,
      tags: r.tags,
      parameters: [...parametersOf(r.params, 'path'), ...parametersOf(r.query, 'query')],
      responses,
      'x-roles': r.access === 'public' ? [] : r.access === 'user' ? ['agent', 'team_lead', 'admin'] : [...r.access],
    };
    if (r.access !== 'public') op.security = [{ bearer: [] }];
    if (r.body) {
      const type = r.bodyContentType ?? 'application/json';
      op.requestBody = {
        required: true,
        content: { [type]: { schema: type === 'text/csv' ? { type: 'string' } : schemaOf(r.body, 'input') } },
      };
    }
    (paths[path] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info,
    paths,
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
  };
}
