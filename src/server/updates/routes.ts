import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { ROUTES } from '../../shared/api/routes';
import { HttpError } from '../http/errors';
import { defineRoute } from '../http/route';

/**
 * The workstation's update feed (electron-updater's generic provider): GET /updates/<file> from
 * the folder UPDATES_DIR names, where the release's `latest.yml`, `latest-mac.yml`, installers,
 * zips and blockmaps are copied (docs/release.md).
 *
 * Public on purpose: the updater asks before anyone is logged in and carries no session, and
 * the folder holds only the signed installers every workstation gets — no organisation's data.
 * Only plain file names directly inside the folder are served (no path, no dot-files).
 */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,199}$/;
const TYPES: Record<string, string> = {
  '.yml': 'text/yaml; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.json': 'application/json',
  '.exe': 'application/octet-stream',
  '.dmg': 'application/octet-stream',
  '.zip': 'application/zip',
  '.blockmap': 'application/octet-stream',
  '.7z': 'application/octet-stream',
  '.nupkg': 'application/octet-stream',
};

declare module 'fastify' {
  interface FastifyInstance {
    /** The update feed's folder (CreateServerOptions.updatesDir); undefined when this server has none. */
    updatesDir: string | undefined;
  }
}

export const updateFeedRoute = defineRoute({
  ...ROUTES.updateFile,
  summary: "The workstation update feed (electron-updater's generic provider): a file of the folder UPDATES_DIR names",
  tags: ['ops'],
  access: 'public',
  responseContentType: 'application/octet-stream',
  errors: [404],
  sendsItself: true,
  async handler({ params, request, reply }) {
    const dir = request.server.updatesDir;
    if (!dir) throw new HttpError(404, 'not_found', 'no update feed on this server (UPDATES_DIR is not set)');
    const name = params.file;
    if (!SAFE_NAME.test(name) || name.includes('..')) {
      throw new HttpError(400, 'invalid_request', 'file: a plain file name of the update feed', 'file');
    }
    const type = TYPES[extname(name).toLowerCase()];
    if (!type) throw new HttpError(404, 'not_found', `update file ${name} not found`);
    const path = join(resolve(dir), name);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) throw new HttpError(404, 'not_found', `update file ${name} not found`);
    // the feed's yml must be read fresh; installers never change under one name
    reply.header('cache-control', type.startsWith('text/yaml') ? 'no-cache' : 'public, max-age=3600');
    reply.header('content-length', info.size);
    reply.header('x-content-type-options', 'nosniff');
    return reply.type(type).send(createReadStream(path));
  },
});
