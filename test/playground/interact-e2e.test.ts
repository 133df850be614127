/**
 * TensorFlow Playground's interactions in nabla's playground, in Chromium: point at (or tab to) a
 * neuron to see its output large in the output panel; click a weight to type its value; the 2-D
 * regression sets (plane, multi-Gaussian) with regression's own controls.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePlayground, openPlayground, poll, type PlaygroundRig } from './chromium.js';

interface Ref {
  layer: number;
  to: number;
  from?: number;
}
/** What the page exposes for tests on `window.nablaPlayground` (the parts used here). */
interface Handle {
  parameter(ref: Ref): number;
  shownNeuron(): { layer: number; index: number } | null;
  settings(): { mode: string; target: string };
}
type PageWindow = { nablaPlayground?: Handle };

let rig: PlaygroundRig | undefined;
const pageErrors: string[] = [];

async function open(query: string): Promise<Page> {
  const page = await rig!.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${rig!.server.url}${query}`, { waitUntil: 'networkidle' });
  await page.waitForFunction(() => (globalThis as PageWindow).nablaPlayground !== undefined);
  await page.locator('#network g.neuron').first().waitFor();
  return page;
}

const boundaryImage = (page: Page): Promise<string> =>
  page.locator('#boundary').evaluate((c) => (c as unknown as { toDataURL(): string }).toDataURL());

const parameter = (page: Page, ref: Ref): Promise<number> =>
  page.evaluate((r) => (globalThis as PageWindow).nablaPlayground!.parameter(r), ref);

/** A point of a weight's line where the line itself is what the pointer hits. */
async function weightPoint(page: Page, ref: Required<Ref>): Promise<{ x: number; y: number }> {
  const selector = `#network line.weight-hit[data-layer="${ref.layer}"][data-from="${ref.from}"][data-to="${ref.to}"]`;
  const at = await page.evaluate((sel) => {
    type Line = {
      getBoundingClientRect(): { left: number; top: number; width: number; height: number };
      getAttribute(n: string): string | null;
    };
    const doc = (
      globalThis as unknown as {
        document: {
          querySelector(s: string): Line | null;
          elementFromPoint(x: number, y: number): unknown;
        };
      }
    ).document;
    const line = doc.querySelector(sel);
    if (line === null) return null;
    const r = line.getBoundingClientRect();
    const down = Number(line.getAttribute('y2')) >= Number(line.getAttribute('y1'));
    for (const t of [0.3, 0.2, 0.4, 0.15, 0.5, 0.6, 0.7, 0.8]) {
      const x = r.left + t * r.width;
      const y = down ? r.top + t * r.height : r.top + (1 - t) * r.height;
      if (doc.elementFromPoint(x, y) === line) return { x, y };
    }
    return null;
  }, selector);
  if (at === null) throw new Error(`no point of ${selector} is on top`);
  return at;
}

describe('TF Playground’s interactions', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    rig = await openPlayground('nabla-interact-');
  }, 120_000);
  afterAll(() => closePlayground(rig ?? {}));

  it('shows a hidden neuron’s output large while it is pointed at or focused', async () => {
    const page = await open('?');
    await page.waitForTimeout(300);
    const model = await boundaryImage(page);
    const caption = page.locator('#output-focus');
    expect(await caption.isHidden()).toBe(true);

    await page.locator('#network g.neuron[data-layer="1"][data-index="2"]').hover();
    await poll(
      page,
      () => caption.isVisible(),
      (v) => v,
    );
    expect(await caption.textContent()).toContain('neuron 3 of hidden layer 1');
    const shown = await poll(
      page,
      () => boundaryImage(page),
      (img) => img !== model,
    );
    expect(shown).not.toBe(model);
    expect(
      await page.evaluate(() => (globalThis as PageWindow).nablaPlayground!.shownNeuron()),
    ).toEqual({ layer: 1, index: 2 });

    // Leaving the network brings the model's output back.
    await page.locator('#output-title').hover();
    await poll(
      page,
      () => caption.isHidden(),
      (v) => v,
    );
    expect(
      await poll(
        page,
        () => boundaryImage(page),
        (img) => img === model,
      ),
    ).toBe(model);

    // The keyboard does the same: focus a neuron, then move the focus away.
    await page.locator('#network g.neuron[data-layer="2"][data-index="0"]').focus();
    await poll(
      page,
      () => caption.isVisible(),
      (v) => v,
    );
    expect(await caption.textContent()).toContain('neuron 1 of hidden layer 2');
    await page.locator('#network g.neuron[data-layer="0"][data-index="1"]').focus();
    await poll(
      page,
      async () => (await caption.textContent()) ?? '',
      (t) => t.includes('x₂'),
    );
    expect(await caption.textContent()).toContain('input x₂');
    await page.locator('#play').focus();
    await poll(
      page,
      () => caption.isHidden(),
      (v) => v,
    );
    expect(await caption.isHidden()).toBe(true);
    await page.close();
  });

  it('sets a weight typed into its box (Enter); Escape leaves it', async () => {
    const page = await open('?hidden=3&speed=step');
    const ref = { layer: 1, from: 2, to: 0 };
    const before = await parameter(page, ref);
    const image = await boundaryImage(page);

    let at = await weightPoint(page, ref);
    await page.mouse.click(at.x, at.y);
    const box = page.locator('.weight-editor input');
    await box.waitFor();
    expect(Number(await box.inputValue())).toBeCloseTo(before, 3);
    await box.fill('0.75');
    await box.press('Enter');
    expect(await box.count()).toBe(0);
    expect(await parameter(page, ref)).toBe(0.75);
    // The heat maps show the new weight at once.
    expect(
      await poll(
        page,
        () => boundaryImage(page),
        (img) => img !== image,
      ),
    ).not.toBe(image);

    // The worker's model has it too: one step of training starts from 0.75 (Adam moves it ≤ η).
    await page.locator('#step').click();
    await poll(
      page,
      () => page.locator('#step-count').getAttribute('data-value'),
      (v) => v === '1',
    );
    const trained = await poll(
      page,
      () => parameter(page, ref),
      (v) => v !== 0.75,
    );
    expect(trained).not.toBe(0.75);
    expect(Math.abs(trained - 0.75)).toBeLessThan(0.02);

    // Escape cancels.
    at = await weightPoint(page, ref);
    await page.mouse.click(at.x, at.y);
    await box.waitFor();
    await box.fill('5');
    await box.press('Escape');
    expect(await box.count()).toBe(0);
    expect(await parameter(page, ref)).toBe(trained);

    // A bias by its marker.
    await page.locator('#network rect.bias[data-layer="0"][data-to="1"]').click();
    await box.waitFor();
    await box.fill('-0.5');
    await box.press('Enter');
    expect(await parameter(page, { layer: 0, to: 1 })).toBe(-0.5);
    await page.close();
  });

  it('edits a weight from the keyboard: focus its line, Enter, type, Enter', async () => {
    const page = await open('?hidden=3&speed=step');
    const ref = { layer: 1, from: 2, to: 0 };
    const selector = `#network line.weight-hit[data-layer="1"][data-from="2"][data-to="0"]`;
    const line = page.locator(selector);
    expect(await line.getAttribute('tabindex')).toBe('0');
    expect(await line.getAttribute('role')).toBe('button');
    const before = await parameter(page, ref);
    expect(await line.getAttribute('aria-label')).toBe(
      `weight from neuron 3 of hidden layer 1 to output 1, value ${before.toPrecision(3)}: Enter to edit`,
    );
    const focused = (): Promise<boolean> =>
      line.evaluate(
        (e) =>
          (globalThis as unknown as { document: { activeElement: unknown } }).document
            .activeElement === e,
      );
    await line.evaluate((e) => (e as unknown as { focus(): void }).focus());
    expect(await focused()).toBe(true);
    await page.keyboard.press('Enter');
    const box = page.locator('.weight-editor input');
    await box.waitFor();
    expect(Number(await box.inputValue())).toBeCloseTo(before, 3);
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('-1.25');
    await page.keyboard.press('Enter');
    expect(await box.count()).toBe(0);
    expect(await parameter(page, ref)).toBe(-1.25);
    // The focus is back on the weight's line, and Space opens the box too.
    expect(await poll(page, focused, (f) => f)).toBe(true);
    await page.keyboard.press('Space');
    await box.waitFor();
    expect(Number(await box.inputValue())).toBe(-1.25);
    await page.keyboard.press('Escape');
    expect(await box.count()).toBe(0);
    // A bias square is a button of the keyboard too.
    const bias = page.locator('#network rect.bias[data-layer="0"][data-to="1"]');
    expect(await bias.getAttribute('aria-label')).toMatch(
      /^bias of neuron 2 of hidden layer 1, value /,
    );
    await page.close();
  });

  it('learns the plane to a low test loss at the default settings, with regression’s controls', async () => {
    const page = await open('?mode=regression&target=plane');
    // Classification's controls are gone; regression's are there.
    expect(await page.locator('#target').isVisible()).toBe(true);
    expect(await page.locator('#dataset').count()).toBe(0);
    expect(await page.locator('#classes').count()).toBe(0);
    expect(await page.locator('#add-class').count()).toBe(0);
    expect(await page.locator('#test-accuracy').isHidden()).toBe(true);
    expect(await page.locator('#output-legend [data-classes]').count()).toBe(0);
    expect(await page.locator('#output-legend [data-scale="value"]').isVisible()).toBe(true);
    expect(await page.locator('#test-loss').locator('xpath=..').textContent()).toContain('MSE');
    expect(await page.locator('#loss-chart').textContent()).toContain('MSE');
    // Both inputs feed the network.
    expect(await page.locator('#network g.neuron[data-layer="0"]').count()).toBe(2);

    const start = await boundaryImage(page);
    await page.locator('#play').click();
    const loss = await poll(
      page,
      async () => Number(await page.locator('#test-loss').getAttribute('data-value')),
      (v) => v < 0.005,
      30_000,
    );
    expect(loss).toBeLessThan(0.005);
    expect(await boundaryImage(page)).not.toBe(start);
    await page.close();
  });

  it('switches to the multi-Gaussian set and back to classification', async () => {
    const page = await open('?mode=regression&target=plane');
    await page.locator('#target').selectOption('gauss');
    await poll(
      page,
      () => page.evaluate(() => (globalThis as PageWindow).nablaPlayground!.settings().target),
      (t) => t === 'gauss',
    );
    expect(page.url()).toContain('target=gauss');
    await page.locator('#mode').selectOption('classification');
    await page.locator('#dataset').waitFor();
    expect(await page.locator('#target').count()).toBe(0);
    expect(await page.locator('#test-accuracy').isVisible()).toBe(true);
    expect(await page.locator('#train-loss').locator('xpath=..').textContent()).not.toContain(
      'MSE',
    );
    await page.close();
  });

  it('raised no page error', () => {
    expect(pageErrors).toEqual([]);
  });
});
