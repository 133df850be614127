/**
 * The page's hooks for the end-to-end tests and for curious learners in the console:
 * `window.nablaPlayground`.
 *
 * @module
 */
import { serializeModel } from 'nabla';
import type { BoundaryView } from './boundary.js';
import type { FrameLoop } from './frames.js';
import type { State } from './page.js';
import { getParameter, type ParameterRef } from './parameters.js';
import { classCount } from './settings.js';

/** What the hooks read. */
export interface HookSources {
  state: State;
  boundary: BoundaryView;
  frames: FrameLoop;
  inspected: () => unknown;
}

/** Puts `window.nablaPlayground` on the page. */
export function exposeHooks({ state, boundary, frames, inspected }: HookSources): void {
  Object.assign(window, {
    nablaPlayground: {
      settings: () => structuredClone(state.settings),
      pointPixel: (i: number) => {
        const p = state.data.train.points;
        return boundary.toPixel(p[2 * i], p[2 * i + 1]);
      },
      modelFiles: () => {
        const { json, weights } = serializeModel(state.model);
        return { json, weights: Array.from(weights) };
      },
      inspected: () => inspected(),
      classes: () => classCount(state.settings),
      addedLabels: () => [...state.added.labels],
      timings: () => ({ ...frames.timings }),
      pagePictures: () => state.pagePictures,
      /** A weight (`from` given) or bias of the page's copy of the model, read only. */
      parameter: (ref: ParameterRef) => getParameter(state.model, ref),
      shownNeuron: () => (state.shownNeuron === undefined ? null : { ...state.shownNeuron }),
    },
  });
}
