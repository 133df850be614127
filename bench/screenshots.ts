/**
 * Screenshots of the playground for the notes, taken in headless Chromium from a fresh build:
 *
 * - `laptop.png`: the whole page at 1280 × 800 while it trains, a point inspected (what fits one
 *   screen: the header, the network, the boundary, the warped space, the inspector's top);
 * - `inspector.png`: the backprop inspector at the lectures' level while the network trains;
 * - `projector.png`: projector mode (large=1) at 1280 × 800 on the 3-class spiral, after a little
 *   training;
 * - `phone.png`: a 390 × 844 phone, the top of the page;
 * - `exercise.png`: the staged example's exercise (its key blanks), one right answer, then a wrong
 *   one with its hint.
 *
 * Run with `npx tsx bench/screenshots.ts`; it writes to bench/results/ and prints each file.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  closePlayground,
  openPlayground,
  type PlaygroundRig,
} from '../test/playground/chromium.js';

const RESULTS = join(import.meta.dirname, 'results');

/** Opens `query` at `width × height` and waits for the network and the loss chart. */
async function open(
  rig: PlaygroundRig,
  query: string,
  width: number,
  height: number,
): Promise<Page> {
  const page = await rig.context.newPage();
  page.on('pageerror', (e) => console.error(`page error (${query}): ${e.message}`));
  await page.setViewportSize({ width, height });
  await page.goto(`${rig.server.url}${query}`, { waitUntil: 'networkidle' });
  await page.locator('#network svg').waitFor({ timeout: 15_000 });
  await page.locator('#loss-chart svg').waitFor({ timeout: 15_000 });
  return page;
}

async function save(page: Page, name: string, what?: string): Promise<void> {
  const path = join(RESULTS, name);
  if (what === undefined) await page.screenshot({ path });
  else await page.locator(what).screenshot({ path });
  console.log(`saved ${path}`);
}

/** The page at 1280 × 800 while training, a point inspected; and the inspector alone. */
async function laptopAndInspector(rig: PlaygroundRig): Promise<void> {
  const page = await open(rig, '', 1280, 800);
  await page.locator('#backprop-pick').click();
  await page.locator('#lecture .lp-row').first().waitFor();
  await page.locator('#play').click();
  await page.waitForTimeout(3_000);
  // Picking scrolled the inspector into view; the laptop's screen is the page's top.
  await page.evaluate('window.scrollTo({ top: 0, behavior: "instant" })');
  await page.waitForTimeout(300);
  await save(page, 'laptop.png');
  await save(page, 'inspector.png', 'section.panel.backprop');
  await page.close();
}

async function projector(rig: PlaygroundRig): Promise<void> {
  const page = await open(rig, '?large=1&data=spiral&classes=3', 1280, 800);
  await page.locator('#play').click();
  await page.waitForTimeout(4_000);
  await page.locator('#play').click();
  await page.waitForTimeout(300);
  await save(page, 'projector.png');
  await page.close();
}

async function phone(rig: PlaygroundRig): Promise<void> {
  const page = await open(rig, '', 390, 844);
  await page.locator('#play').click();
  await page.waitForTimeout(2_000);
  await page.locator('#play').click();
  await page.waitForTimeout(300);
  await save(page, 'phone.png');
  await page.close();
}

async function exercise(rig: PlaygroundRig): Promise<void> {
  const page = await open(rig, '?exercise=staged:key', 1280, 800);
  await page.locator('#exercise-picture svg').waitFor({ timeout: 20_000 });
  const answer = async (text: string): Promise<void> => {
    await page.locator('#exercise-answer').fill(text);
    await page.locator('#exercise-check').click();
  };
  // f = q2 / q6: ∂f/∂q2 = 1/q6 is right; for ∂f/∂q6 the other input's local gradient is wrong
  await answer('0.5121');
  await answer('0.5121');
  await page.locator('#exercise-feedback.ex-wrong').waitFor();
  await save(page, 'exercise.png', 'section.panel.exercise');
  await page.close();
}

mkdirSync(RESULTS, { recursive: true });
const rig = await openPlayground('nabla-screenshots-');
try {
  await laptopAndInspector(rig);
  await projector(rig);
  await phone(rig);
  await exercise(rig);
} finally {
  await closePlayground(rig);
}
