import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { RouteHandler } from '@harbour/server';

const gzipped = promisify(gzip);

/** Where the explorer's files are served; each name carries a hash of its content, so it can be cached for good. */
export const ASSETS_PATH = '/explorer/assets';

const CONTENT_TYPES = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' } as const;

/** The explorer's files: React and GraphiQL's UMD builds from node_modules, and the page's own script and style. */
const SOURCES = {
  react: () => path.join(packageRoot('react'), 'umd', 'react.production.min.js'),
  reactDom: () => path.join(packageRoot('react-dom'), 'umd', 'react-dom.production.min.js'),
  graphiql: () => path.join(packageRoot('graphiql'), 'graphiql.min.js'),
  graphiqlCss: () => path.join(packageRoot('graphiql'), 'graphiql.min.css'),
  script: () => path.join(__dirname, 'static', 'explorer.js'),
  style: () => path.join(__dirname, 'static', 'explorer.css'),
};

export type AssetName = keyof typeof SOURCES;

export interface ExplorerAssets {
  /** The URL path each file is served at. */
  urls: Record<AssetName, string>;
  routes: Record<string, RouteHandler>;
}

// react and react-dom export only their entry points, not umd/: go through package.json, which they do export.
function packageRoot(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

/** The installed version of a package the explorer serves. */
export function packageVersion(name: string): string {
  return (JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

/**
 * Reads the explorer's files once, at start. A missing one stops the gateway
 * with one line naming it (an explorer that fails in the browser later would
 * be found by the first partner, not by the deploy).
 */
export function loadExplorerAssets(): ExplorerAssets {
  const urls = {} as Record<AssetName, string>;
  const routes: Record<string, RouteHandler> = {};
  for (const [name, locate] of Object.entries(SOURCES) as Array<[AssetName, () => string]>) {
    let file: string;
    let body: Buffer;
    try {
      file = locate();
      body = fs.readFileSync(file);
    } catch (error) {
      throw new Error(`The explorer's ${name} file is missing (${(error as Error).message}); run npm ci.`);
    }
    const extension = path.extname(file) as keyof typeof CONTENT_TYPES;
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
    const url = `${ASSETS_PATH}/${path.basename(file, extension)}.${hash}${extension}`;
    urls[name] = url;
    routes[`GET ${url}`] = serveFile(body, CONTENT_TYPES[extension]);
  }
  return { urls, routes };
}

/** One file, compressed when the browser accepts gzip (GraphiQL is 3.5 MB, 0.7 MB gzipped), cached for a year. */
function serveFile(body: Buffer, contentType: string): RouteHandler {
  let compressed: Promise<Buffer> | undefined;
  return async (req: IncomingMessage, res: ServerResponse) => {
    const gzipOk = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const payload = gzipOk ? await (compressed ??= gzipped(body)) : body;
    res.writeHead(200, {
      'content-type': contentType,
      'content-length': payload.length,
      'cache-control': 'public, max-age=31536000, immutable',
      vary: 'accept-encoding',
      ...(gzipOk ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(payload);
  };
}
