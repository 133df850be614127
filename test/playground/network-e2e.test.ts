/**
 * The network view while training, in headless Chromium: the diagram is built once per network
 * and then updated in place — the same elements stay on the page while the weights' lines and the
 * neurons' pictures (canvases) change — and a new network shape builds it again. The header's
 * counters follow the worker. Structure only: the speed is measured in bench/playground.ts.
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

/** What the test reads of the network view, in the page. */
interface Seen {
  /** Whether the SVG and the first neuron are the elements marked earlier. */
  sameSvg: boolean;
  sameNeuron: boolean;
  neurons: number;
  /** The input neurons, one a feature. */
  inputs: number;
  canvases: number;
  /** The weights' paths' `d`, and each neuron's picture as a data URL. */
  paths: string[];
  pictures: string[];
}

/** Marks the network view's SVG and first neuron, to tell later whether they were replaced. */
const mark = (): Promise<unknown> =>
  page.evaluate(`(() => {
    const svg = document.querySelector('#network svg');
    svg.dataset.testMark = 'kept';
    svg.querySelector('g.neuron').dataset.testMark = 'kept';
  })()`);

const seen = (): Promise<Seen> =>
  page.evaluate(`(() => {
    const svg = document.querySelector('#network svg');
    return {
      sameSvg: svg.dataset.testMark === 'kept',
      sameNeuron: svg.querySelector('g.neuron').dataset.testMark === 'kept',
      neurons: svg.querySelectorAll('g.neuron').length,
      inputs: svg.querySelectorAll('g.neuron[data-layer="0"]').length,
      canvases: svg.querySelectorAll('g.neuron > foreignObject > canvas').length,
      paths: Array.from(svg.querySelectorAll('path.weights'), (p) => p.getAttribute('d')),
      pictures: Array.from(svg.querySelectorAll('g.neuron canvas'), (c) => c.toDataURL('image/png')),
    };
  })()`) as Promise<Seen>;

const step = async (): Promise<number> =>
  Number(await page.locator('#step-count').getAttribute('data-value'));

describe('the network view while training', { timeout: 60_000 }, () => {
  beforeAll(async () => {
    ({ outDir, server, context, profile, page } = await openPlayground('nabla-playground-net-'));
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 120_000);

  afterAll(() => closePlayground({ context, server, outDir, profile }));

  it('updates the weights and pictures in place, and builds the diagram again for a new shape', async () => {
    await page.goto(`${server!.url}?hidden=4,3`);
    await page.locator('#network svg g.neuron').first().waitFor({ timeout: 10_000 });
    const first = await seen();
    // the inputs, 4, 3 and 2 classes: one canvas a neuron, painted (not all alike)
    expect(first.inputs).toBeGreaterThan(0);
    expect(first.neurons).toBe(first.inputs + 4 + 3 + 2);
    expect(first.canvases).toBe(first.neurons);
    expect(new Set(first.pictures).size).toBeGreaterThan(1);
    // one path per width and sign, some of them drawn
    expect(first.paths.filter((d) => d !== '').length).toBeGreaterThan(0);
    await page.locator('#play').click();
    await poll(page, step, (s) => s > 0);
    await page.waitForTimeout(300);
    await mark();
    const s0 = await step();
    await poll(page, step, (s) => s > s0 + 50);
    await page.waitForTimeout(500);
    const later = await seen();
    // the same elements, new weights and new pictures
    expect(later.sameSvg).toBe(true);
    expect(later.sameNeuron).toBe(true);
    expect(later.paths).not.toEqual(first.paths);
    expect(later.pictures.filter((p, i) => p !== first.pictures[i]).length).toBeGreaterThan(0);
    // the counters show the worker's numbers
    expect(Number(await page.locator('#epoch-count').getAttribute('data-value'))).toBeGreaterThan(
      0,
    );
    await page.locator('#play').click();
    // a new network: a new diagram with its neurons
    await page.goto(`${server!.url}?hidden=2`);
    await poll(
      page,
      async () => (await seen()).neurons,
      (n) => n === first.inputs + 2 + 2,
    );
    expect(pageErrors).toEqual([]);
  });
});
