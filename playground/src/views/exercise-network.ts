/**
 * The picture of a layer-level exercise (the 2-2-1 network, the softmax cross-entropy layer): the
 * network as the lectures draw it — units in columns, weights as lines, the loss on the right —
 * with the place of each blank marked: δ⁽ˡ⁾ beside the units of layer l, G⁽ˡ⁾ on the weights into
 * layer l, ∂L/∂x beside the inputs. A blank not found yet shows "?" in red; an answered, revealed
 * or given one its value. Plain SVG text, built without the DOM (the tests run it in Node).
 */
import type { Blank, Exercise } from 'nabla/viz';

/** Where one blank is drawn: on the units of a layer (δ, ∂L/∂x) or on the weights into it (G). */
export interface NetworkMark {
  blank: number;
  on: 'units' | 'weights';
  layer: number;
  /** The blank's name in the lectures' notation: `δ⁽2⁾`, `G`, `∂L/∂x`. */
  name: string;
}

/** A network exercise's picture plan: units per layer (inputs first), the loss, the marks. */
export interface NetworkPlan {
  sizes: number[];
  loss: string;
  marks: NetworkMark[];
}

/** The name a blank's prompt starts with: `δ⁽2⁾ = ∂e/∂s⁽2⁾ …` → `δ⁽2⁾`; `… ∂L/∂x …` → `∂L/∂x`. */
function nameOf(b: Blank): string {
  const partial = /∂\w\/∂\w/.exec(b.prompt);
  return b.kind === 'product' && partial !== null ? partial[0] : b.prompt.split(' = ')[0];
}

/**
 * The plan of an exercise's network, read from its blanks (each G's shape gives two layers'
 * sizes; in backward order the k-th G and δ belong to the k-th layer from the output); undefined
 * for a scalar circuit (no G blank).
 */
export function networkPlan(ex: Exercise): NetworkPlan | undefined {
  const weights = ex.blanks.flatMap((b, i) => (b.kind === 'weightGrad' ? [i] : []));
  if (weights.length === 0) return undefined;
  const depth = weights.length;
  const sizes = new Array<number>(depth + 1).fill(1);
  weights.forEach((i, k) => {
    [sizes[depth - k], sizes[depth - k - 1]] = ex.blanks[i].shape;
  });
  const marks: NetworkMark[] = [];
  let [g, d] = [0, 0];
  for (const [i, b] of ex.blanks.entries()) {
    if (b.kind === 'weightGrad')
      marks.push({ blank: i, on: 'weights', layer: depth - g++, name: nameOf(b) });
    else if (b.kind === 'delta')
      marks.push({ blank: i, on: 'units', layer: depth - d++, name: nameOf(b) });
    else if (b.answer.length === sizes[0])
      marks.push({ blank: i, on: 'units', layer: 0, name: nameOf(b) });
  }
  const loss = ex.blanks.some((b) => b.prompt.includes('∂L/')) ? 'L' : 'e';
  return { sizes, loss, marks };
}

const RED = '#c0392b';
const GAP = 78;
const TOP = 56;

/** A number in three significant digits with a true minus: `−0.0358`. */
const short = (v: number): string => Number(v.toPrecision(3)).toString().replace('-', '−');

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function text(x: number, y: number, body: string, attrs = ''): string {
  return `<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${attrs}>${esc(body)}</text>`;
}

/** Where the units go: column x of each layer (the loss last), row y of each unit. */
function geometry(sizes: readonly number[]): {
  width: number;
  height: number;
  x: (l: number) => number;
  y: (l: number, i: number) => number;
} {
  const tallest = Math.max(...sizes);
  const width = 140 + 200 * sizes.length;
  const height = TOP + GAP * tallest + 44;
  const mid = TOP + (GAP * tallest) / 2;
  return {
    width,
    height,
    x: (l) => 90 + 200 * l,
    y: (l, i) => mid + GAP * (i - (sizes[l] - 1) / 2),
  };
}

/**
 * The SVG of a plan: `known(i)` says whether blank i's value is shown (given, answered or
 * revealed); the others show "?"; the name of blank `current` (the one asked) has a ▸. Each mark is a `g.ex-net-mark` with `data-blank` and
 * `data-known`.
 */
export function networkSvg(
  plan: NetworkPlan,
  ex: Exercise,
  known: (i: number) => boolean,
  current?: number,
): string {
  const { sizes } = plan;
  const { width, height, x, y } = geometry(sizes);
  const last = sizes.length - 1;
  const out: string[] = [];
  const weightMark = (l: number): NetworkMark | undefined =>
    plan.marks.find((m) => m.on === 'weights' && m.layer === l);
  // the weights into each layer, and the last layer into the loss
  for (let l = 1; l <= last; l++) {
    const m = weightMark(l);
    const open = m !== undefined && !known(m.blank);
    for (let i = 0; i < sizes[l]; i++)
      for (let j = 0; j < sizes[l - 1]; j++)
        out.push(
          `<line x1="${x(l - 1)}" y1="${y(l - 1, j)}" x2="${x(l)}" y2="${y(l, i)}" stroke="${open ? RED : '#8a93a6'}" stroke-width="1.6"${open ? ' stroke-dasharray="6 4"' : ''}/>`,
        );
  }
  const lossY = y(last, (sizes[last] - 1) / 2);
  for (let i = 0; i < sizes[last]; i++)
    out.push(
      `<line x1="${x(last)}" y1="${y(last, i)}" x2="${x(last + 1) - 22}" y2="${lossY}" stroke="#8a93a6" stroke-width="1.6"/>`,
    );
  for (let l = 0; l <= last; l++) {
    for (let i = 0; i < sizes[l]; i++)
      out.push(
        `<circle cx="${x(l)}" cy="${y(l, i)}" r="17" fill="${l === 0 ? '#eef2f8' : '#fff'}" stroke="#333" stroke-width="1.4"/>`,
      );
    const caption = l === 0 ? 'inputs x' : l === last ? `layer ${l} (output)` : `layer ${l}`;
    out.push(text(x(l), 24, caption, 'text-anchor="middle" font-size="15" fill="#333"'));
  }
  out.push(
    `<rect x="${x(last + 1) - 22}" y="${lossY - 20}" width="44" height="40" rx="6" fill="#fff6d6" stroke="#333"/>`,
    text(
      x(last + 1),
      lossY + 6,
      plan.loss,
      'text-anchor="middle" font-size="18" font-style="italic"',
    ),
  );
  for (const m of plan.marks) {
    // the blank being asked: its name pointed at
    const mark = m.blank === current ? { ...m, name: `▸ ${m.name}` } : m;
    out.push(markSvg(mark, ex.blanks[m.blank], known(m.blank), x, y, sizes));
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" class="ex-network" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="system-ui, sans-serif" role="img" aria-label="the network, with the place of each blank">${out.join('')}</svg>`;
}

/** One blank's mark: its name and, per unit or per weight, "?" or the value. */
function markSvg(
  m: NetworkMark,
  blank: Blank,
  shown: boolean,
  x: (l: number) => number,
  y: (l: number, i: number) => number,
  sizes: readonly number[],
): string {
  const fill = shown ? '#1d2330' : RED;
  const value = (k: number): string => (shown ? short(blank.answer[k]) : '?');
  const parts: string[] = [];
  const attrs = `font-size="14" fill="${fill}"`;
  if (m.on === 'units') {
    // inputs: on the left of each unit; a layer: under each unit, to the right
    const left = m.layer === 0;
    for (let i = 0; i < sizes[m.layer]; i++) {
      const [tx, ty] = left ? [x(0) - 24, y(0, i) + 5] : [x(m.layer) + 20, y(m.layer, i) + 30];
      parts.push(text(tx, ty, value(i), `text-anchor="${left ? 'end' : 'start'}" ${attrs}`));
    }
    const top = y(m.layer, 0) - 26;
    const anchor = left ? 'end' : 'start';
    parts.push(
      text(
        left ? x(0) - 24 : x(m.layer) + 20,
        top,
        m.name,
        `text-anchor="${anchor}" ${attrs} font-weight="600"`,
      ),
    );
  } else {
    const l = m.layer;
    const cols = sizes[l - 1];
    for (let i = 0; i < sizes[l]; i++)
      for (let j = 0; j < cols; j++) {
        const t = 0.64;
        const tx = x(l - 1) + t * (x(l) - x(l - 1));
        const ty = y(l - 1, j) + t * (y(l, i) - y(l - 1, j)) - 4;
        parts.push(
          text(
            tx,
            ty,
            value(i * cols + j),
            `text-anchor="middle" ${attrs} paint-order="stroke" stroke="#fff" stroke-width="4"`,
          ),
        );
      }
    const mid = (x(l - 1) + x(l)) / 2;
    parts.push(text(mid, 44, m.name, `text-anchor="middle" ${attrs} font-weight="600"`));
  }
  return `<g class="ex-net-mark" data-blank="${m.blank}" data-known="${shown}">${parts.join('')}</g>`;
}
