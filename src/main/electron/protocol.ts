import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { APP_ORIGIN, APP_SCHEME } from '../shell/origin';
import { resolveStatic } from '../webhost/static';

/** The renderer is served from app://renderer/… with the same path check as the web host. */
export { APP_ORIGIN, APP_SCHEME };

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** `csp` gives the Content-Security-Policy each HTML document is sent with (src/main/shell/csp.ts). */
export function serveRenderer(rendererDir: string, csp: () => Promise<string>): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'renderer') return new Response('not found', { status: 404 });
    const file = resolveStatic(rendererDir, url.pathname);
    if (!file) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString());
    if (!file.endsWith('.html')) return res;
    const headers = new Headers(res.headers);
    headers.set('content-security-policy', await csp());
    headers.set('x-content-type-options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
}
