/**
 * The web explorer under `/ui` of the REST server: the bundle scripts/buildUi.mjs builds from ui/ into
 * dist/ui/ (at set-up, or here on the first request when it is missing or older than its sources),
 * and `/ui/config.json`, which tells the page where CometBFT's RPC is. The page reads only the public
 * REST, RPC and websocket APIs.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { buildUi, UI_DIST } from '../../scripts/buildUi.mjs';

/** The path prefix the explorer is served under. */
export const UI_PREFIX = '/ui';

const FILES: Readonly<Record<string, readonly [file: string, type: string]>> = {
  '/ui/': ['index.html', 'text/html; charset=utf-8'],
  '/ui/index.html': ['index.html', 'text/html; charset=utf-8'],
  '/ui/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/ui/app.css': ['app.css', 'text/css; charset=utf-8'],
};

/** True when a request path belongs to the explorer. */
export const isUiPath = (pathname: string): boolean => pathname === UI_PREFIX || pathname.startsWith(`${UI_PREFIX}/`);

export interface UiServer {
  /** Answers one GET under /ui (the raw path, before trailing slashes are trimmed). */
  serve(pathname: string, res: ServerResponse): Promise<void>;
}

/**
 * The explorer's handler. The first request builds the bundle when it is stale (about a second with
 * esbuild); later ones read the files.
 * @example const ui = uiServer('http://127.0.0.1:26657'); await ui.serve('/ui/', res);
 */
export function uiServer(cometRpcUrl: string): UiServer {
  let ready: Promise<unknown> | undefined;
  return {
    async serve(pathname, res) {
      if (pathname === UI_PREFIX) {
        res.writeHead(302, { location: `${UI_PREFIX}/`, 'content-length': '0' });
        res.end();
        return;
      }
      if (pathname === `${UI_PREFIX}/config.json`) return reply(res, 200, 'application/json', JSON.stringify({ rpcUrl: cometRpcUrl }));
      const file = FILES[pathname];
      if (!file) return reply(res, 404, 'text/plain; charset=utf-8', `no ${pathname} in the explorer`);
      // A failed build is retried on the next request rather than remembered.
      ready ??= buildUi().catch((error: unknown) => {
        ready = undefined;
        throw error;
      });
      await ready;
      reply(res, 200, file[1], await readFile(join(UI_DIST, file[0])));
    },
  };
}

function reply(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-cache' });
  res.end(body);
}
