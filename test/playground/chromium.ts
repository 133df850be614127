/**
 * Headless Chromium for the playground's end-to-end tests and benchmark: Debian's
 * /usr/bin/chromium (or CHROMIUM_PATH) driven by playwright-core, with the flags this closed
 * network needs (no background connections that would be refused) and a fresh profile.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import {
  buildPlayground,
  playgroundDir,
  startPlaygroundServer,
  type PlaygroundServer,
} from '../../src/cli/playground.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches Chromium with a new profile folder; the caller closes the context. */
export async function launchChromium(viewport = { width: 1400, height: 1000 }): Promise<{
  context: BrowserContext;
  profile: string;
}> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install it (apt-get install chromium) or set CHROMIUM_PATH`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'nabla-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return { context, profile };
}

/** A built playground, served, and Chromium on it: what the end-to-end tests share. */
export interface PlaygroundRig {
  /** The folder the playground was built into (and where tests may write files). */
  outDir: string;
  server: PlaygroundServer;
  context: BrowserContext;
  profile: string;
  /** The context's first page, not yet opened at the server. */
  page: Page;
}

/**
 * Builds the playground into a new temporary folder (named from `prefix`), serves it on a free
 * port and launches Chromium with `viewport`; {@link closePlayground} undoes it all.
 */
export async function openPlayground(
  prefix: string,
  viewport?: { width: number; height: number },
): Promise<PlaygroundRig> {
  const outDir = mkdtempSync(join(tmpdir(), prefix));
  await buildPlayground(playgroundDir(), { outDir, logLevel: 'warn' });
  const server = await startPlaygroundServer({ port: 0, host: '127.0.0.1', root: outDir });
  const { context, profile } = await launchChromium(viewport);
  const page = context.pages()[0] ?? (await context.newPage());
  return { outDir, server, context, profile, page };
}

/** Closes Chromium and the server of {@link openPlayground} and removes its folders. */
export async function closePlayground(rig: Partial<PlaygroundRig>): Promise<void> {
  await rig.context?.close();
  await rig.server?.close();
  for (const dir of [rig.outDir, rig.profile])
    if (dir) rmSync(dir, { recursive: true, force: true });
}

/** Polls `read` on `page` every 100 ms until `ok` holds or `ms` pass; returns the last value read. */
export async function poll<T>(
  page: Page,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  ms = 5_000,
): Promise<T> {
  const end = Date.now() + ms;
  let v = await read();
  while (!ok(v) && Date.now() < end) {
    await page.waitForTimeout(100);
    v = await read();
  }
  return v;
}
