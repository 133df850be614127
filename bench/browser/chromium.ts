/**
 * Headless Chromium for the browser benchmark: Debian's /usr/bin/chromium (or CHROMIUM_PATH, as
 * the playground's tests) with the flags of this closed network, and WebGL on SwiftShader, the
 * CPU renderer (there is no GPU here; Chromium wants `--enable-unsafe-swiftshader` for it).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM } from '../../test/playground/chromium.js';

/** The flags: no background connections, WebGL through SwiftShader. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

/** Launches headless Chromium; the caller closes it. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}
