/**
 * The exercise mode in headless Chromium: a shared link opens its exercise; a right answer gets ✓,
 * a wrong-branch one its hint; a step can be revealed; the score follows; a random circuit is the
 * same from the same seed and its link reopens it; the staged example's circuit picture carries
 * each branch gradient of x on its own wire and their sum on x (issue 13, items 3 and 8); a picked
 * exercise asks its key blanks unless "all blanks" is ticked; the network exercises have a picture
 * with each blank's place marked. (bench/screenshots.ts saves the screenshot for the notes.)
 */
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PlaygroundServer } from '../../src/cli/playground.js';
import { makeExercise } from '../../src/viz.js';
import { closePlayground, openPlayground, poll } from './chromium.js';

let outDir = '';
let profile = '';
let server: PlaygroundServer | undefined;
let context: BrowserContext | undefined;
let page: Page;

async function open(query: string): Promise<void> {
  await page.goto(`${server!.url}${query}`);
  await page.locator('#exercise-name').waitFor({ timeout: 10_000 });
}

const text = async (selector: string): Promise<string> =>
  (await page.locator(selector).textContent()) ?? '';

async function answer(value: string): Promise<void> {
  await page.locator('#exercise-answer').fill(value);
  await page.locator('#exercise-check').click();
}

/** The texts of the circuit picture's gradient labels (red), in drawing order. */
const gradientLabels = (): Promise<string[]> =>
  page
    .locator('#exercise-picture svg text[fill="#c0392b"]')
    .evaluateAll((els) => els.map((e) => e.textContent ?? ''));

describe('the exercise mode in Chromium', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    ({ outDir, server, context, profile, page } = await openPlayground('nabla-exercise-'));
  }, 120_000);

  afterAll(() => closePlayground({ context, server, outDir, profile }));

  it('opens ?exercise=add-mul, checks answers, hints at a wrong branch, reveals a step', async () => {
    await open('?exercise=add-mul');
    expect(await text('#exercise-name')).toContain('add-mul: f = (x + y)·z');
    expect(await text('#exercise-score')).toBe('score: 0/8 (8 to go)');
    // ∂f/∂q1 of f = q1·z is z = −4
    await answer('−4');
    const first = page.locator('#exercise-blanks li[data-index="0"]');
    expect(await first.getAttribute('data-state')).toBe('right');
    expect(await first.textContent()).toContain('✓');
    expect(await text('#exercise-score')).toBe('score: 1/8 (7 to go)');
    // what f sends back to q1 is −4 × 1; 3 is what it sends back to z: the wrong branch
    await answer('3');
    expect(await text('#exercise-feedback')).toMatch(/✗ that is what f sends to z/);
    expect(
      await page.locator('#exercise-blanks li[data-index="1"]').getAttribute('data-state'),
    ).toBe('current');
    await page.locator('#exercise-reveal').click();
    const revealed = page.locator('#exercise-blanks li[data-index="1"]');
    expect(await revealed.getAttribute('data-state')).toBe('revealed');
    expect(await revealed.textContent()).toContain('step: 1 × −4 = −4');
    expect(await text('#exercise-score')).toBe('score: 1/8 (1 revealed, 6 to go)');
    expect(await page.locator('#exercise-score').getAttribute('data-right')).toBe('1');
  });

  it('draws a random circuit the same from the same seed, and its link reopens it', async () => {
    await open('?exercise=add-mul');
    const pick = async (name: string, size?: string, seed?: string): Promise<string> => {
      await page.locator('#exercise-pick').selectOption(name);
      if (size !== undefined) await page.locator('#exercise-size').fill(size);
      if (seed !== undefined) await page.locator('#exercise-seed').fill(seed);
      await page.locator('#exercise-start').click();
      await poll(
        page,
        () => text('#exercise-name'),
        (t) => t.startsWith(name === 'random' ? `random-${size}-${seed}` : name),
      );
      return text('#exercise-circuit');
    };
    const first = await pick('random', '5', '42');
    expect(page.url()).toContain('exercise=random-5-42');
    expect(first).toMatch(/^f = /);
    expect(await pick('staged')).not.toBe(first);
    expect(page.url()).toContain('exercise=staged');
    expect(await pick('random', '5', '42')).toBe(first);
    expect(await pick('random', '5', '43')).not.toBe(first);
    // the URL round-trips: opening the link shows the same exercise
    await open('?exercise=random-5-42');
    expect(await text('#exercise-circuit')).toBe(first);
    expect(await page.locator('#exercise-pick').inputValue()).toBe('random');
    expect(await page.locator('#exercise-seed').inputValue()).toBe('42');
  });

  it("labels each branch of the staged example's x with its own gradient, and x with their sum", async () => {
    await open('?exercise=staged');
    await page.locator('#exercise-picture svg').waitFor({ timeout: 20_000 });
    // before any answer, every gradient but the output's own 1 is a blank
    const before = await gradientLabels();
    expect(before.filter((t) => t !== '?')).toEqual(['1']);
    // f = q2 / q6: ∂f/∂q2 = 1/q6 and what f sends back to q2, then ∂f/∂q6 = −q2/q6²; each
    // answer shows its gradient in the picture
    for (const v of ['0.5121', '0.5121', '−0.7916']) await answer(v);
    expect((await gradientLabels()).filter((t) => t !== '?')).toEqual(['0.5121', '1']);
    await answer('0.5121'); // what f sends back to q2, not to q6
    expect(await text('#exercise-feedback')).toMatch(/that is what f sends to q2/);
    await page.locator('#exercise-solution').click();
    const after = await gradientLabels();
    for (const branch of ['1.583', '−0.03576', '0.5121']) expect(after).toContain(branch);
    expect(after).toContain('1.583 − 0.03576 + 0.5121 = 2.06');
    expect(await text('#exercise-picture')).toContain('gradients add where paths meet');
    expect(await page.locator('#exercise-score').getAttribute('data-done')).toBe('true');
  });

  it('asks only the key blanks of a picked exercise; the box asks them all', async () => {
    await page.goto(server!.url);
    await page.locator('#exercise-pick').waitFor();
    expect(await page.locator('#exercise-all').isChecked()).toBe(false);
    await page.locator('#exercise-pick').selectOption('staged');
    await page.locator('#exercise-start').click();
    await poll(
      page,
      () => text('#exercise-name'),
      (t) => t.startsWith('staged:key'),
    );
    expect(new URL(page.url()).searchParams.get('exercise')).toBe('staged:key');
    expect(await text('#exercise-score')).toBe('score: 0/10 (10 to go)');
    // f = q2 / q6: ∂f/∂q2 asked; what f sends back to q2 (1 × 0.5121, a copy) given
    expect(await text('#exercise-blanks li[data-state="current"] .ex-prompt')).toMatch(/^∂f\/∂q2/);
    await answer('0.5121');
    const copy = page.locator('#exercise-blanks li[data-index="1"]');
    expect(await copy.getAttribute('data-state')).toBe('given');
    expect(
      await page.locator('#exercise-blanks li[data-state="current"]').getAttribute('data-index'),
    ).toBe('2');
    // every blank: the exercise starts over, the link says so
    await page.locator('#exercise-all').check();
    await poll(
      page,
      () => text('#exercise-score'),
      (t) => t === 'score: 0/24 (24 to go)',
    );
    expect(new URL(page.url()).searchParams.get('exercise')).toBe('staged');
    await page.locator('#exercise-all').uncheck();
    await poll(
      page,
      () => text('#exercise-score'),
      (t) => t === 'score: 0/10 (10 to go)',
    );
    // a shared link to the key blanks opens with the box unticked
    await open('?exercise=add-mul:key');
    expect(await page.locator('#exercise-all').isChecked()).toBe(false);
    expect(await text('#exercise-score')).toBe('score: 0/2 (2 to go)');
  });

  it('draws the network exercises with the place of each blank marked', async () => {
    await open('?exercise=net-2-2-1:key');
    const svg = page.locator('#exercise-picture svg.ex-network');
    await svg.waitFor({ timeout: 10_000 });
    const mark = (i: number) => page.locator(`#exercise-picture .ex-net-mark[data-blank="${i}"]`);
    for (const i of [0, 1, 2, 3]) expect(await mark(i).getAttribute('data-known')).toBe('false');
    expect(await mark(3).locator('text').allTextContents()).toEqual(['?', '?', '?', '?', 'G⁽1⁾']);
    // δ⁽²⁾ = 2(o⁽²⁾ − y)·θ′(s⁽²⁾): ∂e/∂o⁽²⁾ alone is the upstream, not δ
    const delta = makeExercise('net-2-2-1').blanks[0];
    const upstream = delta.distractors.find((d) => d.mistake === 'upstream')!.value[0];
    await answer(upstream.toFixed(4));
    expect(await text('#exercise-feedback')).toMatch(/✗ that is ∂e\/∂o⁽2⁾ alone/);
    expect(await mark(0).getAttribute('data-known')).toBe('false');
    await answer(delta.answer[0].toFixed(4));
    expect(await mark(0).getAttribute('data-known')).toBe('true');
    const [shown] = await mark(0).locator('text').allTextContents();
    expect(Number(shown.replace('−', '-'))).toBeCloseTo(delta.answer[0], 3);
    // the softmax layer: δ on its three units, G on its six weights, ∂L/∂x on the two inputs
    await open('?exercise=softmax');
    await svg.waitFor({ timeout: 10_000 });
    const counts = await page
      .locator('#exercise-picture .ex-net-mark')
      .evaluateAll((els) => els.map((e) => e.querySelectorAll('text').length - 1));
    expect(counts).toEqual([3, 6, 2]);
    expect(await svg.evaluate((e) => e.getBoundingClientRect().width)).toBeGreaterThan(300);
  });

  it('fits a 390 px phone: nothing in the panel reaches past the screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const exercise of ['staged', 'random-8-3']) {
        await open(`?exercise=${exercise}`);
        await page.locator('#exercise-picture svg').waitFor({ timeout: 20_000 });
        const panel = page.locator('section.panel.exercise');
        const { scroll, client, right, past } = await panel.evaluate((el) => {
          type Box = { getBoundingClientRect(): { right: number; width: number } };
          type El = Box & {
            scrollWidth: number;
            clientWidth: number;
            tagName: string;
            id: string;
            className: unknown;
            parentElement: { closest(s: string): unknown } | null;
            querySelectorAll(s: string): Iterable<El>;
          };
          const p = el as unknown as El;
          // The circuit's text and picture scroll inside their own boxes; those boxes must fit.
          const inScroller = (e: El): boolean =>
            e.parentElement !== null &&
            e.parentElement.closest('.ex-picture, .ex-circuit') !== null;
          const over = [...p.querySelectorAll('*')]
            .filter((e) => !inScroller(e) && e.getBoundingClientRect().width > 0)
            .filter((e) => e.getBoundingClientRect().right > 390.5)
            .map((e) => `${e.tagName}#${e.id}.${String(e.className)}`);
          return {
            scroll: p.scrollWidth,
            client: p.clientWidth,
            right: p.getBoundingClientRect().right,
            past: over,
          };
        });
        expect(client, exercise).toBeGreaterThan(300);
        expect(past, exercise).toEqual([]);
        expect(scroll, exercise).toBeLessThanOrEqual(client);
        expect(right, exercise).toBeLessThanOrEqual(390);
      }
    } finally {
      await page.setViewportSize({ width: 1400, height: 1000 });
    }
  });

  it('is not built on a classroom link that hides it (hide=exercise)', async () => {
    await page.goto(`${server!.url}?hide=exercise&exercise=staged`);
    await page.locator('#network g.neuron').first().waitFor({ timeout: 10_000 });
    expect(await page.locator('#exercise-panel').isHidden()).toBe(true);
    expect(await page.locator('#exercise').evaluate((e) => e.childNodes.length)).toBe(0);
    // Locked: no box on the page brings it back.
    expect(await page.locator('#classroom').count()).toBe(0);
  });
});
