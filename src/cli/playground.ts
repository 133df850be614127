/**
 * `nabla playground`: builds the browser playground with Vite when its build is missing or older
 * than its sources, then serves the static build on a local port.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sirv from 'sirv';
import type * as Vite from 'vite';
import { numberFlag } from './errors.js';

export interface PlaygroundFlags {
  port: string;
  host: string;
  open: boolean;
  rebuild?: boolean;
}

/** A running playground server. */
export interface PlaygroundServer {
  /** `http://HOST:PORT/`, with the port the server really listens on. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * The playground's folder in the repository: `../../playground` from this file, both as source
 * (src/cli/playground.ts) and compiled (dist/cli/playground.js).
 */
export function playgroundDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'playground');
}

/** The newest modification time of a file or of any file under a folder (0 if missing). */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'dist') continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/**
 * Whether the playground must be (re)built: its build is missing, or older than the app's sources,
 * its pages, its Vite config or the library's sources it bundles.
 */
export function playgroundNeedsBuild(dir: string = playgroundDir()): boolean {
  const built = join(dir, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const sources = [
    join(dir, 'src'),
    join(dir, 'index.html'),
    join(dir, 'digits.html'),
    join(dir, 'vite.config.ts'),
    join(dir, 'public'),
    join(dir, '..', 'src'),
  ];
  return sources.some((p) => newestMtime(p) > builtAt);
}

/** Builds the playground into playground/dist with Vite's JS API. */
export async function buildPlayground(
  dir: string = playgroundDir(),
  options: { outDir?: string; logLevel?: 'info' | 'warn' | 'error' | 'silent' } = {},
): Promise<void> {
  let vite: typeof Vite;
  try {
    vite = await import('vite');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
      throw new Error('cannot build the playground: vite is not installed (run `npm install`)');
    }
    throw e;
  }
  await vite.build({
    configFile: join(dir, 'vite.config.ts'),
    logLevel: options.logLevel ?? 'warn',
    ...(options.outDir ? { build: { outDir: options.outDir, emptyOutDir: true } } : {}),
  });
}

/**
 * Serves a built playground (a static folder) over HTTP. Port 0 picks any free port. The port is
 * bound first and `beforeServe` (a build, say) runs next, so a port in use fails fast; requests
 * that arrive meanwhile wait for it.
 */
export async function startPlaygroundServer(options: {
  port?: number;
  host?: string;
  root: string;
  beforeServe?: () => Promise<void>;
}): Promise<PlaygroundServer> {
  const port = options.port ?? 5173;
  const host = options.host ?? '127.0.0.1';
  const state: { ready?: Promise<ReturnType<typeof sirv>> } = {};
  const notFound = (res: ServerResponse): void => {
    res.statusCode = 404;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end('Not found');
  };
  const server = createServer((req, res) => {
    state.ready!.then(
      (serve) => serve(req, res, () => notFound(res)),
      () => {
        res.statusCode = 503;
        res.end('The playground could not be built');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') {
        reject(new Error(`port ${port} is in use: choose another with --port (0 = any free port)`));
      } else if (e.code === 'EACCES') {
        reject(new Error(`no permission to listen on port ${port}: choose another with --port`));
      } else {
        reject(new Error(`cannot listen on ${host}:${port}: ${e.message}`));
      }
    });
    server.listen(port, host, resolve);
  });
  const close = (): Promise<void> =>
    new Promise<void>((done, fail) => {
      server.closeAllConnections();
      server.close((err) => (err ? fail(err) : done()));
    });
  // sirv (dev: false) lists the folder once, so it is made after the build.
  state.ready = (options.beforeServe ? options.beforeServe() : Promise.resolve()).then(() =>
    sirv(options.root, {
      single: false,
      dev: false,
      etag: true,
      setHeaders: (res) => {
        for (const [name, value] of Object.entries(ISOLATION_HEADERS)) res.setHeader(name, value);
      },
    }),
  );
  try {
    await state.ready;
  } catch (e) {
    await close();
    throw e;
  }
  const real = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${shown}:${real}/`, port: real, close };
}

/**
 * The headers that make a page cross-origin isolated (COOP `same-origin`, COEP `require-corp`):
 * only such a page may share memory with Web Workers, which the wasm backend's threads need. The
 * playground loads nothing from other origins, so isolating it costs nothing.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Opens a URL in the desktop's browser, quietly doing nothing where there is none. */
function openBrowser(url: string): void {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser to open: the printed URL is enough.
  }
}

/** `nabla playground [--port N] [--host H] [--no-open] [--rebuild]`. */
export async function playgroundCommand(flags: PlaygroundFlags): Promise<void> {
  const port = numberFlag(flags.port, '--port', { integer: true, min: 0, max: 65535 });
  const host = flags.host;
  const dir = playgroundDir();
  if (!existsSync(join(dir, 'vite.config.ts')) && !existsSync(join(dir, 'dist', 'index.html'))) {
    throw new Error(`the playground is not part of this installation (no ${dir})`);
  }
  const build = async (): Promise<void> => {
    if (!flags.rebuild && !playgroundNeedsBuild(dir)) return;
    process.stdout.write('nabla playground: building the app with Vite…\n');
    try {
      await buildPlayground(dir);
    } catch (e) {
      // Vite's diagnostics (file, line, code frame) are the useful part: show them, then fail.
      const message = e instanceof Error ? e.message : String(e);
      const [first, ...rest] = message.split('\n');
      if (rest.join('').trim() !== '') process.stderr.write(`${rest.join('\n').trim()}\n`);
      throw new Error(`the playground's build failed: ${first.replace(/:$/, '')}`);
    }
  };
  const server = await startPlaygroundServer({
    port,
    host,
    root: join(dir, 'dist'),
    beforeServe: build,
  });
  process.stdout.write(`nabla playground: ${server.url}\n`);
  if (flags.open) openBrowser(server.url);
  const stop = (): void => {
    void server.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
