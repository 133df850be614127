import type { Viz } from '@viz-js/viz';
import { fail } from '../tensor/check.js';

/**
 * Renders Graphviz DOT text to SVG in-process, with the WebAssembly build of Graphviz
 * (`@viz-js/viz`, which works in Node and in browsers). The module is loaded on first use.
 *
 * @example
 * import { renderSvg, toDot, trace } from 'nabla/viz';
 * const f = scalar(3, { requiresGrad: true, name: 'x' }).square();
 * const svg = await renderSvg(toDot(trace(f)));
 */
export async function renderSvg(dot: string): Promise<string> {
  if (typeof dot !== 'string')
    fail(
      { where: 'renderSvg' },
      'dot',
      'Graphviz DOT text (a string such as toDot(trace(f)))',
      dot,
      TypeError,
    );
  const viz = await instance();
  const result = viz.render(dot, { format: 'svg' });
  if (result.status !== 'success') {
    const messages = result.errors.map((e) => e.message).join('; ');
    throw new Error(`renderSvg: Graphviz could not lay out the graph: ${messages}`);
  }
  return result.output;
}

const loaded: { viz?: Promise<Viz> } = {};

function instance(): Promise<Viz> {
  loaded.viz ??= import('@viz-js/viz').then((m) => m.instance());
  return loaded.viz;
}
