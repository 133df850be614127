/**
 * The backprop inspector in headless Chromium: its default view at the lectures' level (the layer
 * equations and heat strips, exact numbers on demand), the toggle to every operation, step buttons
 * that move the way their labels say, live following of training (and the full graph's stale
 * notice), one screen at 1280×800, no horizontal overflow on a 390 px phone. (Screenshots for
 * people: bench/screenshots.ts.)
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PlaygroundServer } from '../../src/cli/playground.js';
import { closePlayground, openPlayground, poll } from './chromium.js';

let outDir = '';
let profile = '';
let server: PlaygroundServer | undefined;
let context: BrowserContext | undefined;
let page: Page;
const pageErrors: string[] = [];

/** Polls `read` until `ok` holds or `ms` pass (see chromium.ts). */
const until = <T>(read: () => Promise<T>, ok: (v: T) => boolean, ms?: number): Promise<T> =>
  poll(page, read, ok, ms);

async function open(p: Page, query = ''): Promise<void> {
  await p.goto(`${server!.url}${query}`);
  await p.locator('#network svg').waitFor({ timeout: 10_000 });
}

const position = async (): Promise<number> =>
  Number(await page.locator('#lecture-counter').getAttribute('data-position'));
const currentRow = (): Promise<string | null> =>
  page.locator('.lp-row.lp-current').getAttribute('data-layer');
const cellValues = (): Promise<string[]> =>
  page
    .locator('#backprop-grads .lp-cell')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-value') ?? ''));

describe('the backprop inspector in Chromium', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    ({ outDir, server, context, profile, page } = await openPlayground('nabla-inspector-', {
      width: 1280,
      height: 800,
    }));
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await open(page);
  }, 120_000);

  afterAll(() => closePlayground({ context, server, outDir, profile }));

  it('picks a point and shows the layers as the lectures write them, as heat strips', async () => {
    await page.locator('#backprop-pick').click();
    await page.locator('#lecture .lp-row').first().waitFor();
    const text = (await page.locator('#lecture').textContent()) ?? '';
    // the default network: two hidden tanh layers of 8, two outputs, softmax cross-entropy
    for (const eq of [
      's⁽¹⁾ = W⁽¹⁾o⁽⁰⁾ + b⁽¹⁾',
      'o⁽¹⁾ = tanh(s⁽¹⁾)',
      'δ⁽²⁾ = (W⁽³⁾ᵀδ⁽³⁾) ⊙ θ′(s⁽²⁾)',
      'G⁽¹⁾ = δ⁽¹⁾o⁽⁰⁾ᵀ',
      'δ⁽³⁾ = p − y',
    ])
      expect(text).toContain(eq);
    expect(text).not.toMatch(/parameter \d/);
    expect(await page.locator('#lecture .lp-row').count()).toBe(5);
    // heat strips: one cell per neuron, coloured; G⁽²⁾ is 8 × 8
    expect(await page.locator('[data-q="s2"] .lp-cell').count()).toBe(8);
    expect(await page.locator('[data-q="G2"] .lp-cell').count()).toBe(64);
    const colours = await page
      .locator('[data-q="d1"] .lp-cell')
      .evaluateAll((els) =>
        els.map((e) => (e as unknown as { style: { background: string } }).style.background),
      );
    expect(colours.some((c) => c.startsWith('rgba'))).toBe(true);
    // the exact number on demand
    const cell = page.locator('[data-q="G1"] .lp-cell').nth(3);
    await cell.hover();
    const readout = (await page.locator('#lecture-readout').textContent()) ?? '';
    expect(readout).toContain(`G⁽¹⁾₂,₂ = ${await cell.getAttribute('data-value')}`);
    expect(readout).toContain('= ∂L/∂W⁽¹⁾₂,₂ (0.weight)');
    expect(pageErrors).toEqual([]);
  });

  it('fits one screen at 1280×800', async () => {
    const box = await page.locator('section.panel.backprop').boundingBox();
    expect(box!.height).toBeLessThanOrEqual(800);
  });

  it('steps the way its buttons say: back toward the loss, forward toward the inputs', async () => {
    // at first every layer is shown: the walk is at layer 1
    expect(await position()).toBe(3);
    expect(await currentRow()).toBe('1');
    await page.locator('#lecture-back').click();
    expect(await position()).toBe(2);
    expect(await currentRow()).toBe('2');
    expect(await page.locator('[data-q="G1"].lp-pending').count()).toBe(1);
    await page.locator('#lecture-back').click();
    await page.locator('#lecture-back').click();
    expect(await position()).toBe(0);
    expect(await currentRow()).toBe('loss');
    expect(await page.locator('#lecture-back').isDisabled()).toBe(true);
    await page.locator('#lecture-forward').click();
    expect(await position()).toBe(1);
    expect(await currentRow()).toBe('3');
    expect(await page.locator('[data-q="G3"].lp-pending').count()).toBe(0);
    expect(await page.locator('[data-q="d2"].lp-pending').count()).toBe(1);
  });

  it('follows training live', async () => {
    const step0 = Number(await page.locator('#backprop-live').getAttribute('data-step'));
    const values0 = await cellValues();
    await page.locator('#play').click();
    const step1 = await until(
      async () => Number(await page.locator('#backprop-live').getAttribute('data-step')),
      (s) => s > step0,
    );
    await page.locator('#play').click();
    expect(step1).toBeGreaterThan(step0);
    const values1 = await until(cellValues, (v) => v.join() !== values0.join());
    expect(values1).not.toEqual(values0);
    expect(pageErrors).toEqual([]);
  });

  it('shows every operation behind the toggle, with steps in their direction and a stale notice', async () => {
    await page.locator('#backprop-full-toggle').check();
    expect(await page.locator('#lecture').isHidden()).toBe(true);
    await page.locator('#backprop-full svg').waitFor({ timeout: 15_000 });
    const counter = page.locator('#backprop-full .bp-counter');
    expect(await counter.textContent()).toMatch(/^start \(0 of \d+ steps\)$/);
    await page.locator('#backprop-forward').click();
    expect(await counter.textContent()).toMatch(/^step 1 of \d+$/);
    await page.locator('#backprop-forward').click();
    expect(await counter.textContent()).toMatch(/^step 2 of \d+$/);
    await page.locator('#backprop-back').click();
    expect(await counter.textContent()).toMatch(/^step 1 of \d+$/);
    expect(await page.locator('#backprop-stale').isHidden()).toBe(true);
    // training moves on: the graph says it is a snapshot, and a refresh redraws it
    await page.locator('#step').click();
    await page.locator('#backprop-stale').waitFor({ timeout: 5_000 });
    expect(await page.locator('#backprop-stale').textContent()).toMatch(/Stale: .* snapshot/);
    await page.locator('#backprop-refresh').click();
    expect(await page.locator('#backprop-stale').isHidden()).toBe(true);
    await page.locator('#backprop-full-toggle').uncheck();
    expect(await page.locator('#lecture').isVisible()).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('has no horizontal overflow on a 390 px phone', async () => {
    const phone = await context!.newPage();
    try {
      await phone.setViewportSize({ width: 390, height: 844 });
      await open(phone);
      await phone.locator('#backprop-pick').click();
      await phone.locator('#lecture .lp-row').first().waitFor();
      const overflow = await phone.locator('section.panel.backprop').evaluate((panel) => {
        const out: string[] = [];
        for (const e of [panel, ...panel.querySelectorAll('*')]) {
          const r = e.getBoundingClientRect();
          if (r.width > 0 && r.right > 390.5)
            out.push(`${e.tagName}.${e.className} ends at ${r.right}`);
        }
        return out;
      });
      expect(overflow).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
