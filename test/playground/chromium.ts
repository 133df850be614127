/**
 * Headless Chromium for the playground's end-to-end tests and benchmark: Debian's
 * /usr/bin/chromium (or CHROMIUM_PATH) driven by playwright-core, with the flags this closed
 * network needs (no background connections that would be refused) and a fresh profile.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

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
