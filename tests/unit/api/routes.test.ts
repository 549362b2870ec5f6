import { describe, expect, it } from 'vitest';
import { ROUTES as SHARED, routeUrl, type RouteSpec } from '../../../src/shared/api/routes';
import { ROUTES as SERVED } from '../../../src/server/app';
import { PASS_THROUGH } from '../../../src/main/services/pass-through';
import { API_METHODS } from '../../../src/shared/api/contract';

describe('the shared route table', () => {
  it('is what the server serves: each route once, with the very schemas the workstation checks answers with', () => {
    for (const [name, spec] of Object.entries(SHARED) as [string, RouteSpec][]) {
      const served = SERVED.filter((r) => r.method === spec.method && r.path === spec.path);
      expect(served, name).toHaveLength(1);
      expect(served[0]!.response, name).toBe(spec.response);
      for (const part of ['params', 'query', 'body'] as const) {
        // a streamed upload's handler gets the request stream, not the CSV text the table describes
        if (part === 'body' && served[0]!.bodyStream) continue;
        expect(served[0]![part], `${name}.${part}`).toBe(spec[part]);
      }
    }
  });

  it('fills path parameters (encoded) and leaves out absent query values', () => {
    expect(routeUrl(SHARED.updateUser, { id: 'a/b' })).toBe('/api/v1/users/a%2Fb');
    expect(routeUrl(SHARED.approvals, undefined, { status: undefined })).toBe('/api/v1/approvals');
    expect(routeUrl(SHARED.activityReport, undefined, { from: '2026-01-01', to: '2026-01-31' })).toBe(
      '/api/v1/reports/activity?from=2026-01-01&to=2026-01-31',
    );
    expect(() => routeUrl(SHARED.updateUser, {})).toThrow(/missing parameter id/);
  });

  it('pass-throughs name real API methods, once each', () => {
    const names = PASS_THROUGH.map((p) => p.method);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(API_METHODS).toContain(n);
  });
});
