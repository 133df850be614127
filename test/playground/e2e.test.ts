/**
 * The playground end to end: Vite builds it into a temporary folder, `startPlaygroundServer` serves
 * it, and Chromium (Debian's /usr/bin/chromium, driven by playwright-core) uses it like a person:
 * trains, clicks points in, switches optimizers and checks the backprop view against nabla's own
 * gradients computed here in Node.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossEntropy, deserializeModel, tensor } from '../../src/index.js';
import type { PlaygroundServer } from '../../src/cli/playground.js';
import { closePlayground, openPlayground, poll } from './chromium.js';

const SCREENSHOT = join(import.meta.dirname, 'screenshots', 'playground.png');

/** What the page exposes for tests (and curious users) on `window.nablaPlayground`. */
interface PlaygroundHandle {
  pointPixel(i: number): { x: number; y: number };
  modelFiles(): Promise<{ json: string; weights: number[] }>;
  settings(): {
    dataset: string;
    optimizer: string;
    loss: string;
    mode: string;
    l2: number;
    dropout: number;
    jitter: number;
  };
  inspected(): { features: number[]; label: number } | null;
}
/** The page's global object, typed without the DOM library (Node's tsconfig has none). */
type PageWindow = { nablaPlayground?: PlaygroundHandle };

let outDir = '';
let profile = '';
let server: PlaygroundServer | undefined;
let context: BrowserContext | undefined;
let page: Page;
const consoleErrors: string[] = [];
const pageErrors: string[] = [];

/** A numeric `data-*` attribute of the first element matching `selector`. */
async function numberAttr(selector: string, attr: string): Promise<number> {
  const v = await page.locator(selector).first().getAttribute(attr);
  if (v === null) throw new Error(`${selector} has no ${attr} attribute`);
  return Number(v);
}

/** Polls `read` until `ok` holds or `ms` pass (see chromium.ts). */
const until = <T>(read: () => Promise<T>, ok: (v: T) => boolean, ms?: number): Promise<T> =>
  poll(page, read, ok, ms);

const boundaryImage = (): Promise<string> =>
  page.locator('#boundary').evaluate((c) => (c as unknown as { toDataURL(): string }).toDataURL());

const isPlaying = async (): Promise<boolean> => {
  const play = page.locator('#play');
  const pressed = await play.getAttribute('aria-pressed');
  if (pressed !== null) return pressed === 'true';
  return /pause/i.test((await play.textContent()) ?? '');
};

async function pause(): Promise<void> {
  if (await isPlaying()) await page.locator('#play').click();
  // Let the last snapshot from the worker arrive: the step counter stops moving.
  let last = await numberAttr('#step-count', 'data-value');
  for (let i = 0; i < 30; i++) {
    await page.waitForTimeout(200);
    const now = await numberAttr('#step-count', 'data-value');
    if (now === last) return;
    last = now;
  }
  throw new Error('the step counter still moves after Pause');
}

describe('the playground in Chromium', { timeout: 30_000 }, () => {
  beforeAll(async () => {
    ({ outDir, server, context, profile, page } = await openPlayground('nabla-playground-'));
    page.on('console', (m) => {
      if (m.type() === 'error') {
        const at = m.location().url;
        consoleErrors.push(at ? `${m.text()} (${at})` : m.text());
      }
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(server.url, { waitUntil: 'networkidle' });
  }, 90_000);

  afterAll(() => closePlayground({ context, server, outDir, profile }));

  it('loads with no console error and no page error', async () => {
    expect(await page.title()).toMatch(/nabla playground/);
    await page.waitForFunction(
      () => (globalThis as PageWindow).nablaPlayground !== undefined,
      undefined,
      {
        timeout: 10_000,
      },
    );
    await page.waitForTimeout(500);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('trains the circles below a loss of 0.2, and the decision boundary changes', async () => {
    const settings = await page.evaluate(() =>
      (globalThis as PageWindow).nablaPlayground!.settings(),
    );
    expect(settings).toMatchObject({ dataset: 'circles' });
    const before = await boundaryImage();
    await page.locator('#play').click();
    const loss = await until(
      () => numberAttr('#train-loss', 'data-value'),
      (v) => v < 0.2,
      20_000,
    );
    await pause();
    expect(loss).toBeLessThan(0.2);
    expect(await numberAttr('#step-count', 'data-value')).toBeGreaterThan(0);
    // The boundary is redrawn from the worker's latest weights.
    const after = await until(boundaryImage, (img) => img !== before, 3_000);
    expect(after).not.toBe(before);
  });

  it('adds a point with a click, one of the other class with shift-click', async () => {
    await page.locator('#click-action').selectOption('add');
    const canvas = page.locator('#boundary');
    const train0 = await numberAttr('#point-count', 'data-train');
    const class10 = await numberAttr('#point-count', 'data-class1');

    await canvas.click({ position: { x: 40, y: 40 } });
    const train1 = await until(
      () => numberAttr('#point-count', 'data-train'),
      (n) => n !== train0,
      3_000,
    );
    expect(train1).toBe(train0 + 1);
    const class11 = await numberAttr('#point-count', 'data-class1');

    await canvas.click({ position: { x: 60, y: 50 }, modifiers: ['Shift'] });
    const train2 = await until(
      () => numberAttr('#point-count', 'data-train'),
      (n) => n !== train1,
      3_000,
    );
    expect(train2).toBe(train1 + 1);
    // A plain click adds a point of class 0, a shift-click one of class 1.
    expect(class11).toBe(class10);
    expect(await numberAttr('#point-count', 'data-class1')).toBe(class11 + 1);
  });

  it.each(['sgd', 'momentum'])('keeps training with the %s optimizer', async (optimizer) => {
    await page.locator('#optimizer').selectOption(optimizer);
    await page.waitForTimeout(200);
    const settings = await page.evaluate(() =>
      (globalThis as PageWindow).nablaPlayground!.settings(),
    );
    expect(settings).toMatchObject({ optimizer });
    const steps0 = await numberAttr('#step-count', 'data-value');
    await page.locator('#step').click();
    const steps1 = await until(
      () => numberAttr('#step-count', 'data-value'),
      (n) => n > steps0,
      5_000,
    );
    expect(steps1).toBeGreaterThan(steps0);
    await page.locator('#play').click();
    await page.waitForTimeout(1_000);
    await pause();
    expect(await numberAttr('#step-count', 'data-value')).toBeGreaterThan(steps1);
    const loss = await numberAttr('#train-loss', 'data-value');
    expect(Number.isFinite(loss)).toBe(true);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it("shows the backprop of one example with nabla's own gradients", async () => {
    await pause();
    await page.locator('#click-action').selectOption('inspect');
    const settings = await page.evaluate(() =>
      (globalThis as PageWindow).nablaPlayground!.settings(),
    );
    expect(settings).toMatchObject({ mode: 'classification', loss: 'crossEntropy' });
    expect(settings.l2 ?? 0).toBe(0);
    const at = await page.evaluate(() => (globalThis as PageWindow).nablaPlayground!.pointPixel(3));
    await page.locator('#boundary').click({ position: at });
    // The cells: elements with a parameter's name and a flat index (a group may carry the name too).
    const cells = page.locator('#backprop-grads [data-param][data-index]');
    await cells.first().waitFor({ timeout: 5_000 });

    const inspected = await page.evaluate(() =>
      (globalThis as PageWindow).nablaPlayground!.inspected(),
    );
    expect(inspected).not.toBeNull();
    const files = await page.evaluate(() =>
      (globalThis as PageWindow).nablaPlayground!.modelFiles(),
    );
    const shown = await cells.evaluateAll((els) =>
      els.map((e) => ({
        param: e.getAttribute('data-param') ?? '',
        index: Number(e.getAttribute('data-index')),
        value: Number(e.getAttribute('data-value')),
      })),
    );
    expect(shown.length).toBeGreaterThan(0);

    const { model } = deserializeModel(files.json, Uint8Array.from(files.weights));
    model.eval();
    const { features, label } = inspected!;
    const logits = model.call(tensor(features).reshape([1, -1]));
    crossEntropy(logits, tensor([label], { dtype: 'int32' })).backward();
    const grads = new Map(
      model
        .namedParameters()
        .map(([name, p]) => [name, (p.grad?.toArray() as unknown[]).flat(Infinity) as number[]]),
    );
    const wrong: string[] = [];
    for (const { param, index, value } of shown) {
      const g = grads.get(param);
      if (g === undefined || !(index >= 0 && index < g.length)) {
        wrong.push(`${param}[${index}]: no such parameter element in the model`);
        continue;
      }
      const want = g[index];
      // Relative 1e-5 (the gradients of a well-classified point are tiny: an absolute 1e-5 would
      // pass a page that shows zeros), with a floor far below float32 resolution of these values.
      if (!(Math.abs(value - want) <= 1e-5 * Math.abs(want) + 1e-12)) {
        wrong.push(`${param}[${index}]: page ${value}, nabla ${want}`);
      }
    }
    expect(wrong, `${wrong.length} of ${shown.length} gradients differ`).toEqual([]);
    expect(Math.max(...shown.map((c) => Math.abs(c.value)))).toBeGreaterThan(0);
    // Every element of every parameter's gradient is shown once.
    const total = [...grads.values()].reduce((n, g) => n + g.length, 0);
    expect(new Set(shown.map((c) => `${c.param}[${c.index}]`)).size).toBe(total);
    expect(shown).toHaveLength(total);
    // The page's model did not move while we looked (training is paused).
    const again = await page.evaluate(() =>
      (globalThis as PageWindow).nablaPlayground!.modelFiles(),
    );
    expect(again.weights).toEqual(files.weights);
  });

  it('downloads the network as model.json + model.safetensors and loads it back', async () => {
    await pause();
    const files = await page.evaluate(() =>
      (globalThis as PageWindow).nablaPlayground!.modelFiles(),
    );
    const downloads = Promise.all([
      page.waitForEvent('download'),
      page.waitForEvent('download', (d) => d.suggestedFilename() === 'model.safetensors'),
    ]);
    await page.locator('#download').click();
    const saved: string[] = [];
    for (const d of await downloads) {
      const path = join(outDir, d.suggestedFilename());
      await d.saveAs(path);
      saved.push(path);
    }
    expect(saved.map((f) => f.slice(outDir.length + 1)).sort()).toEqual([
      'model.json',
      'model.safetensors',
    ]);
    // What was downloaded is the page's network, in nabla's own format.
    const json = readFileSync(join(outDir, 'model.json'), 'utf8');
    const bytes = readFileSync(join(outDir, 'model.safetensors'));
    expect(Array.from(bytes)).toEqual(files.weights);
    expect(JSON.parse(json)).toMatchObject({ format: 'nabla-model', metadata: { playground: {} } });

    // Reset puts the initial weights back; loading the files restores the trained ones.
    await page.locator('#reset').click();
    const reset = await until(
      () => page.evaluate(() => (globalThis as PageWindow).nablaPlayground!.modelFiles()),
      (f) => JSON.stringify(f.weights) !== JSON.stringify(files.weights),
      5_000,
    );
    expect(reset.weights).not.toEqual(files.weights);
    await page.locator('#upload').setInputFiles(saved);
    const loaded = await until(
      () => page.evaluate(() => (globalThis as PageWindow).nablaPlayground!.modelFiles()),
      (f) => JSON.stringify(f.weights) === JSON.stringify(files.weights),
      5_000,
    );
    expect(loaded.weights).toEqual(files.weights);
    expect(await page.locator('#error').isHidden()).toBe(true);
  });

  it('carries the settings in the URL, and a classroom link hides controls', async () => {
    const url = new URL(page.url());
    expect(url.searchParams.get('optimizer')).toBe('momentum');
    const second = await context!.newPage();
    try {
      await second.goto(`${server!.url}?data=spiral&classes=3&seed=7&hide=optimizer,seed`);
      await second.locator('#network svg').waitFor({ timeout: 5_000 });
      expect(await second.locator('#dataset').inputValue()).toBe('spiral');
      expect(await second.locator('#classes').inputValue()).toBe('3');
      expect(await second.locator('#optimizer').isVisible()).toBe(false);
      expect(await second.locator('#seed').isVisible()).toBe(false);
      expect(await second.locator('#activation').isVisible()).toBe(true);
      // Three classes: the network ends in three outputs.
      expect(
        await second.evaluate(() => (globalThis as PageWindow).nablaPlayground!.settings()),
      ).toMatchObject({ dataset: 'spiral', classes: 3, seed: 7 });
    } finally {
      await second.close();
    }
  });

  it('keeps a usable feature in regression, from a link and when x₁ is unticked', async () => {
    const second = await context!.newPage();
    const errors: string[] = [];
    second.on('pageerror', (e) => errors.push(e.message));
    const features = (): Promise<string[]> =>
      second.evaluate(
        () =>
          (
            (globalThis as PageWindow).nablaPlayground!.settings() as unknown as {
              features: string[];
            }
          ).features,
      );
    try {
      // x₂ alone: regression (a function of x₁) would have no input; x₁ is used, and the page says so.
      await second.goto(`${server!.url}?mode=regression&features=y`);
      await second.locator('#network svg').waitFor({ timeout: 5_000 });
      expect(await features()).toEqual(['x']);
      expect(await second.locator('#error').textContent()).toContain('features="y"');
      // Unticking x₁ while x₂ (not shown in regression) is still selected keeps x₁.
      await second.goto(`${server!.url}?mode=regression`);
      await second.locator('#network svg').waitFor({ timeout: 5_000 });
      await second.locator('#feature-x').click();
      await second.waitForTimeout(300);
      expect(await second.locator('#feature-x').isChecked()).toBe(true);
      expect(await features()).toEqual(['x']);
      expect(errors).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('saves a screenshot of the whole page', async () => {
    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
    console.log(`playground screenshot: ${SCREENSHOT}`);
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
