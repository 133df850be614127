/**
 * Where the neurons of a neuron diagram go: the classic layout (big circles with their values) or
 * the compact one for a page (names in the margins).
 *
 * @module
 */
import type { NeuronDiagramOptions } from '../neurons.js';

/** Where the neurons go: column x, row y and the size of a neuron. */
export interface Layout {
  width: number;
  height: number;
  /** The side of a neuron (a circle's diameter or an image's side). */
  cell: number;
  xOf: (l: number) => number;
  yOf: (l: number, i: number) => number;
}

/** The classic layout: big circles with their values, 230 px between layers. */
function classicLayout(sizes: number[]): Layout {
  const width = 140 + 230 * (sizes.length - 1) + 140;
  const height = 100 + 80 * Math.max(...sizes);
  return {
    width,
    height,
    cell: 34,
    xOf: (l) => 110 + 230 * l,
    yOf: (l, i) => 70 + (height - 110) * ((i + 0.5) / sizes[l]),
  };
}

/** The compact layout: rows of at most 48 px, layers spread over `width`, names in the margins. */
function compactLayout(
  sizes: number[],
  width: number,
  inputNames: readonly string[],
  outputNames: readonly string[],
  titled: boolean,
): Layout {
  const tallest = Math.max(...sizes);
  const slot = Math.min(48, Math.max(24, 360 / tallest));
  const cell = Math.round(slot - Math.max(4, slot * 0.18));
  const nameWidth = (names: readonly string[]): number =>
    Math.max(0, ...names.map((n) => n.length * 11 * 0.6)) + 12;
  const left = Math.max(16, nameWidth(inputNames));
  const right = Math.max(16, nameWidth(outputNames));
  const gaps = Math.max(1, sizes.length - 1);
  const step = Math.max(cell * 1.5, Math.min(170, (width - left - right - cell) / gaps));
  const used = left + right + cell + step * (sizes.length - 1);
  const w = Math.max(width, Math.ceil(used));
  const x0 = left + (w - used) / 2 + cell / 2;
  const top = (titled ? 44 : 20) + 10;
  const height = Math.ceil(top + slot * tallest + 24);
  return {
    width: w,
    height,
    cell,
    xOf: (l) => x0 + step * l,
    yOf: (l, i) => top + slot * (tallest / 2 - sizes[l] / 2 + i + 0.5),
  };
}

/** The layout the options ask for: compact (names in the margins) or classic. */
export function layoutOf(sizes: number[], options: NeuronDiagramOptions): Layout {
  return options.compact === true
    ? compactLayout(
        sizes,
        options.width ?? 600,
        options.inputNames ?? [],
        options.outputNames ?? [],
        options.title !== undefined,
      )
    : classicLayout(sizes);
}
