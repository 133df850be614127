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
 *   one with its hint;
 * - `digits.png`: the digits page at 1280 × 800 after two epochs of the MLP, a 3 drawn on its pad.
 *
 * Run with `npx tsx bench/screenshots.ts [name…]` (all of them without names, else those named:
 * laptop, projector, phone, exercise, digits); it writes to bench/results/ and prints each file.
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

/** Draws a stroke through `points` (fractions of the pad's width and height) with the mouse. */
async function stroke(page: Page, points: [number, number][]): Promise<void> {
  const box = (await page.locator('#pad').boundingBox())!;
  const at = ([x, y]: [number, number]): [number, number] => [
    box.x + x * box.width,
    box.y + y * box.height,
  ];
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 6 });
  await page.mouse.up();
}

/** The digits page after two epochs of the MLP, a 3 drawn on its pad and read. */
async function digits(rig: PlaygroundRig): Promise<void> {
  const page = await rig.context.newPage();
  page.on('pageerror', (e) => console.error(`page error (digits): ${e.message}`));
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${rig.server.url}digits.html`, { waitUntil: 'networkidle' });
  await page.locator('#play:not([disabled])').waitFor({ timeout: 60_000 });
  await page.locator('#play').click();
  await page.locator('#epochs tbody tr:nth-child(2)').waitFor({ timeout: 300_000 });
  await page.locator('#play').click();
  await stroke(page, [
    [0.3, 0.22],
    [0.5, 0.15],
    [0.68, 0.25],
    [0.6, 0.42],
    [0.45, 0.5],
    [0.65, 0.6],
    [0.68, 0.78],
    [0.5, 0.87],
    [0.3, 0.8],
  ]);
  await page.locator('#verdict', { hasText: 'It reads' }).waitFor();
  await page.waitForTimeout(500);
  await save(page, 'digits.png');
  await page.close();
}

const SHOTS: Record<string, (rig: PlaygroundRig) => Promise<void>> = {
  laptop: laptopAndInspector,
  projector,
  phone,
  exercise,
  digits,
};
const chosen = process.argv.slice(2);
for (const name of chosen)
  if (!(name in SHOTS))
    throw new Error(`no screenshot named ${name}: ${Object.keys(SHOTS).join(', ')}`);

mkdirSync(RESULTS, { recursive: true });
const rig = await openPlayground('nabla-screenshots-');
try {
  for (const [name, shoot] of Object.entries(SHOTS))
    if (chosen.length === 0 || chosen.includes(name)) await shoot(rig);
} finally {
  await closePlayground(rig);
}
