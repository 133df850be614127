/**
 * The playground for a lecture hall and a phone, in headless Chromium: readable text (at least
 * 14 px everywhere at the default, larger in projector mode), a labelled colour bar and a legend
 * for every chart's curves, classroom links that stay locked, a class picker for 3–5 classes, and
 * a header that fits a 390 px phone. (bench/screenshots.ts saves the screenshots for the notes.)
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PlaygroundServer } from '../../src/cli/playground.js';
import { closePlayground, openPlayground } from './chromium.js';

/*
 * The page's globals inside `page.evaluate`, declared for this file alone (Node's tsconfig has no
 * DOM library; the callbacks run in the page).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const getComputedStyle: any;
declare const Node: any;
declare const HTMLInputElement: any;
declare const SVGGraphicsElement: any;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** The page's test hooks this file reads (playground/src/main.ts). */
type PageWindow = {
  nablaPlayground?: { addedLabels(): number[]; classes(): number };
};

let outDir = '';
let profile = '';
let server: PlaygroundServer | undefined;
let context: BrowserContext | undefined;
const pageErrors: string[] = [];

/** A new page of `width × height` at `query`, once its views are drawn. */
async function open(query: string, width = 1280, height = 800): Promise<Page> {
  const page = await context!.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.setViewportSize({ width, height });
  await page.goto(`${server!.url}${query}`, { waitUntil: 'networkidle' });
  await page.locator('#network svg').waitFor({ timeout: 10_000 });
  await page.locator('#loss-chart svg').waitFor({ timeout: 10_000 });
  return page;
}

/** One piece of text on the page and the size it shows at. */
interface TextSize {
  text: string;
  px: number;
  where: string;
  /** In the backprop inspector's panel (its own styles; another part of the page). */
  inspector: boolean;
}

/**
 * The size every visible piece of text shows at: the computed font size of each element with
 * text of its own (for SVG text, times the SVG's scale on the screen). Option elements inside a
 * closed drop-down list are not drawn and are left out.
 */
function visibleTextSizes(page: Page): Promise<TextSize[]> {
  return page.evaluate(() => {
    const out: { text: string; px: number; where: string; inspector: boolean }[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      if (el.closest('option, script, style, select') !== null && el.tagName !== 'SELECT') continue;
      const own = [...el.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
      // Drop-down lists and text or number boxes show their value as text.
      const isSelect =
        el.tagName === 'SELECT' ||
        (el instanceof HTMLInputElement && ['text', 'number'].includes(el.type));
      if (own === '' && !isSelect) continue;
      if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      let px = Number.parseFloat(getComputedStyle(el).fontSize);
      // The SVG's scale on the screen (rotated text too: the length of the matrix's first column).
      const m = el instanceof SVGGraphicsElement ? el.getScreenCTM() : null;
      if (m !== null) px *= Math.hypot(m.a, m.b);
      const where = el.id
        ? `#${el.id}`
        : `${el.tagName.toLowerCase()}.${el.getAttribute('class') ?? ''}`;
      const text = (isSelect ? el.value : own).slice(0, 40);
      out.push({ text, px, where, inspector: el.closest('.panel.backprop') !== null });
    }
    return out;
  });
}

describe('the playground for a projector and a phone', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    ({ outDir, server, context, profile } = await openPlayground('nabla-projector-', {
      width: 1280,
      height: 800,
    }));
  }, 120_000);

  afterAll(() => closePlayground({ context, server, outDir, profile }));

  it('shows every piece of text at 14 px or more, and larger in projector mode', async () => {
    const page = await open('');
    const sizes = await visibleTextSizes(page);
    expect(sizes.length).toBeGreaterThan(60);
    const small = sizes.filter((s) => s.px < 13.95);
    expect(small).toEqual([]);

    const large = await open('?large=1');
    expect(await large.locator('#large').isChecked()).toBe(true);
    const bigger = await visibleTextSizes(large);
    const smallest = (list: TextSize[]): number => Math.min(...list.map((s) => s.px));
    // Projector mode grows the text of every panel but the inspector's (styled on its own).
    const grown = bigger.filter((s) => !s.inspector);
    expect(grown.filter((s) => s.px <= smallest(sizes) * 1.2)).toEqual([]);
    // The same pieces of text, one by one: a caption, a heading, a chart's legend, a counter.
    for (const selector of ['.caption', 'h2', '#loss-chart .legend-item text', '.counters dt']) {
      const px = (p: Page): Promise<number> =>
        p
          .locator(selector)
          .first()
          .evaluate(
            (el) =>
              Number.parseFloat(getComputedStyle(el).fontSize) *
              (el instanceof SVGGraphicsElement ? (el.getScreenCTM()?.a ?? 1) : 1),
          );
      expect(await px(large), selector).toBeGreaterThan((await px(page)) * 1.2);
    }
    // Ticking the box in the header turns projector mode off, and the URL says so.
    await large.locator('#large').click();
    await large.waitForTimeout(300);
    expect(new URL(large.url()).searchParams.has('large')).toBe(false);
    expect(await large.evaluate(() => document.documentElement.classList.contains('large'))).toBe(
      false,
    );
    await Promise.all([page.close(), large.close()]);
  });

  it('labels the heat map with a colour bar, and every chart’s curves with a legend', async () => {
    const page = await open('');
    const bar = page.locator('#output-legend .colour-bar');
    expect(await bar.count()).toBe(1);
    expect(await bar.isVisible()).toBe(true);
    expect(await page.locator('#output-legend .colour-title').textContent()).toContain(
      'P(class 1)',
    );
    expect(await page.locator('#output-legend .colour-ticks span').allTextContents()).toEqual([
      '0',
      '0.5',
      '1',
    ]);
    // The loss chart: one legend entry per curve.
    const curves = await page.locator('#loss-chart .legend-item text').allTextContents();
    expect(curves).toEqual(['training', 'test']);
    // The warped space: its grid lines (both families and the axes) and its points.
    const warp = await page
      .locator('#warp .legend-entry')
      .evaluateAll((els) => els.map((e) => e.dataset.entry));
    expect(warp).toEqual(expect.arrayContaining(['rows', 'columns', 'axes', 'points']));
    await page.close();

    // Four classes: a bar per class, labelled from a toss-up to certain.
    const four = await open('?data=spiral&classes=4');
    expect(await four.locator('#output-legend .colour-bar').count()).toBe(4);
    expect(await four.locator('#output-legend .colour-ticks').textContent()).toContain('p = 1/4');
    await four.close();

    // Regression: the fitted curve has its entry.
    const regression = await open('?mode=regression');
    expect(await regression.locator('#output-legend [data-entry="curve"]').textContent()).toContain(
      'fit',
    );
    await regression.close();
  });

  it('keeps a classroom link locked: no box to undo it, no empty heading', async () => {
    const query = '?data=spiral&classes=3&hide=optimizer,regularization,seed,pace,feature-sinx';
    const page = await open(query);
    expect(await page.locator('#classroom').count()).toBe(0);
    expect(await page.locator('[id^="hide-"]').count()).toBe(0);
    for (const id of ['optimizer', 'lr', 'l2', 'dropout', 'speed', 'step-by', 'feature-sinx'])
      expect(await page.locator(`#${id}`).count(), id).toBe(0);
    expect(await page.locator('#seed').isVisible()).toBe(false);
    expect(await page.locator('#feature-x').isVisible()).toBe(true);
    // Every visible heading of the controls has a visible control under it.
    const empty = await page.evaluate(() =>
      [...document.querySelectorAll('.panel h2')]
        .filter((h) => h.checkVisibility())
        .filter((h) => {
          const next = h.nextElementSibling;
          if (next === null || !next.classList.contains('controls')) return false;
          return ![...next.querySelectorAll('input, select, button')].some((c) =>
            c.checkVisibility(),
          );
        })
        .map((h) => h.textContent),
    );
    expect(empty).toEqual([]);
    expect(await page.locator('h2', { hasText: 'Training' }).isVisible()).toBe(false);
    // Nothing on the page brings a hidden control back: no checkbox or list names a group.
    const controls = await page
      .locator('input, select')
      .evaluateAll((els) => els.map((e) => e.id).filter((id) => id !== ''));
    expect(controls.some((id) => /hide|classroom/.test(id))).toBe(false);
    await page.close();

    // A teacher's link keeps the box, with the hidden groups ticked.
    const teacher = await open(`${query}&unlock=1`);
    expect(await teacher.locator('#classroom').isVisible()).toBe(true);
    expect(await teacher.locator('#hide-optimizer').isChecked()).toBe(true);
    await teacher.locator('#hide-optimizer').uncheck();
    await teacher.locator('#optimizer').waitFor({ timeout: 5_000 });
    await teacher.close();
  });

  it('adds a point of the chosen class with four classes', async () => {
    const page = await open('?data=spiral&classes=4');
    const options = await page.locator('#add-class option').allTextContents();
    expect(options).toEqual(['class 0', 'class 1', 'class 2', 'class 3']);
    await page.locator('#add-class').selectOption('3');
    const box = (await page.locator('#boundary').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.3);
    await page.waitForTimeout(200);
    const labels = await page.evaluate(() =>
      (globalThis as PageWindow).nablaPlayground!.addedLabels(),
    );
    expect(labels).toEqual([3]);
    await page.close();
  });

  it('fits a 390 px phone: no sideways scrolling, the header inside the screen', async () => {
    const page = await open('', 390, 844);
    const widths = await page.evaluate(() => ({
      page: document.scrollingElement!.scrollWidth,
      header: document.querySelector('.topbar')!.scrollWidth,
      right: Math.max(
        ...[...document.querySelectorAll('.topbar *')].map((e) => e.getBoundingClientRect().right),
      ),
    }));
    expect(widths.page).toBeLessThanOrEqual(390);
    expect(widths.header).toBeLessThanOrEqual(390);
    expect(widths.right).toBeLessThanOrEqual(390);
    // A click on the shrunk canvas still lands where it was aimed: a point is added.
    const box = (await page.locator('#boundary').boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.waitForTimeout(200);
    expect(
      await page.evaluate(() => (globalThis as PageWindow).nablaPlayground!.addedLabels()),
    ).toEqual([0]);
    await page.close();
  });

  it('trains in projector mode at 1280 × 800 without a page error', async () => {
    const page = await open('?large=1&data=spiral&classes=3');
    await page.locator('#play').click();
    await page.waitForTimeout(4_000);
    await page.locator('#play').click();
    await page.waitForTimeout(300);
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
