/**
 * The playground page's own state (settings, data, the page's copy of the model, what is shown)
 * and the one way the page finds its elements.
 *
 * @module
 */
import { Generator, type Module } from 'nabla';
import type { PointSet, Split } from './data.js';
import { buildModel } from './model.js';
import type { Pictures } from './pictures.js';
import type { LossPoint } from './protocol.js';
import type { Settings } from './schema.js';
import type { NeuronRef } from './views/network-edit.js';

/** The element `#id` of the page; a missing one is an error naming it. */
export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`the page has no #${id}`);
  return el as T;
};

/** What the page keeps between frames. */
export interface State {
  settings: Settings;
  generated: PointSet;
  /** Points the user clicked in, added to the training set. */
  added: PointSet;
  data: Split;
  model: Module;
  running: boolean;
  step: number;
  epoch: number;
  history: LossPoint[];
  /** Index into the training set of the point whose backprop is shown. */
  inspected?: number;
  clickAction: 'add' | 'inspect';
  /** The class a click adds (classification). */
  addClass: number;
  /** The heat maps of the newest weights: drawn by the worker, or here while it has sent none. */
  pictures?: Pictures;
  /** How often the page drew the heat maps itself (forward passes on its thread), for the tests. */
  pagePictures: number;
  /** The neuron of the network view the output panel shows (pointed at or focused), if any. */
  shownNeuron?: NeuronRef;
}

/** The state of a page opened with `settings`: no data yet, the network built from the seed. */
export function initialState(settings: Settings): State {
  return {
    settings,
    generated: { points: [], labels: [] },
    added: { points: [], labels: [] },
    data: { train: { points: [], labels: [] }, test: { points: [], labels: [] } },
    model: buildModel(settings, new Generator(settings.seed)),
    running: false,
    step: 0,
    epoch: 0,
    history: [],
    clickAction: 'add',
    addClass: 0,
    pagePictures: 0,
  };
}
