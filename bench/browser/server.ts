/**
 * The local HTTP server of the browser benchmark: the bundles under `/iso/` with the headers of
 * cross-origin isolation (COOP `same-origin`, COEP `require-corp`: SharedArrayBuffer and threads
 * for WebAssembly) and under `/plain/` without them; the peers' `.wasm` files from
 * bench/peers/node_modules under `<prefix>/wasm/tfjs/`. Nothing else, and no network.
 */
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** The headers of a cross-origin isolated page and of its same-origin resources. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** An empty page: the harness imports an entry into it. */
const PAGE = '<!doctype html><meta charset="utf-8"><title>nabla browser bench</title>';

/** The file a request path names, or undefined: `/iso/x.js` → bundle/x.js, `/plain/wasm/tfjs/y.wasm` → the peer's. */
export function resolveRequest(
  urlPath: string,
  dirs: { bundle: string; tfjsWasm: string },
): { file?: string; page?: true; isolated: boolean } | undefined {
  const m = /^\/(iso|plain)\/([\w./-]*)$/.exec(urlPath);
  if (m === null || m[2].split('/').includes('..')) return undefined;
  const isolated = m[1] === 'iso';
  const rest = m[2];
  if (rest === '' || rest === 'index.html') return { page: true, isolated };
  if (rest.startsWith('wasm/tfjs/')) {
    return { file: path.join(dirs.tfjsWasm, rest.slice('wasm/tfjs/'.length)), isolated };
  }
  return rest.includes('/') ? undefined : { file: path.join(dirs.bundle, rest), isolated };
}

/** Starts the server on a free port of 127.0.0.1; resolves with its origin and a close. */
export async function startServer(dirs: {
  bundle: string;
  tfjsWasm: string;
}): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const target = resolveRequest(new URL(req.url ?? '/', 'http://x').pathname, dirs);
    const headers = target?.isolated === true ? { ...ISOLATION_HEADERS } : {};
    const send = (status: number, type: string, body: string | Buffer): void => {
      res.writeHead(status, { ...headers, 'Content-Type': type, 'Cache-Control': 'no-cache' });
      res.end(body);
    };
    if (target === undefined) return send(404, 'text/plain', 'not found');
    if (target.page === true) return send(200, TYPES['.html'], PAGE);
    readFile(target.file!).then(
      (body) => send(200, TYPES[path.extname(target.file!)] ?? 'application/octet-stream', body),
      () => send(404, 'text/plain', 'not found'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
