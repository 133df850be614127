/**
 * The page's side of the network view's interactions (views/network-edit.ts): the caption of the
 * neuron the output panel shows, and a weight or bias set by hand — here and in the training
 * worker's model, as an ordinary change of a parameter that training goes on from.
 */
import type { Module } from 'nabla';
import { FEATURE_LABELS } from './choices.js';
import { parameterSlot, setParameter, type ParameterRef } from './parameters.js';
import type { ToWorker } from './protocol.js';
import { layerSizes, type Settings } from './settings.js';
import { inputFeatures } from './trainer.js';
import { NetworkInteraction, neuronName, type NeuronRef } from './views/network-edit.js';

/** The caption over the output panel while it shows a neuron: "neuron 3 of hidden layer 1: …". */
export function shownCaption(s: Settings, n: NeuronRef): string {
  const sizes = layerSizes(s);
  const label =
    n.layer === 0
      ? FEATURE_LABELS[inputFeatures(s)[n.index]]
      : n.layer !== sizes.length - 1
        ? undefined
        : s.mode === 'classification'
          ? `class ${n.index}`
          : 'ŷ';
  return `${neuronName(sizes, n, label)}: its output over the plane`;
}

/** What the wiring needs of the page. */
export interface NetworkPage {
  model(): Module;
  settings(): Settings;
  post(m: ToWorker): void;
  /** The output panel shows this neuron (undefined: the model's output again). */
  show(neuron: NeuronRef | undefined): void;
  /** The weights changed here: draw the heat maps of the new ones. */
  changed(): void;
  showError(message: string | undefined): void;
}

/** Hooks the network view's root up: hover and focus show a neuron, a click edits a weight. */
export function wireNetwork(
  root: HTMLElement,
  caption: HTMLElement,
  page: NetworkPage,
): NetworkInteraction {
  return new NetworkInteraction(root, {
    model: page.model,
    focus: (neuron) => {
      caption.hidden = neuron === undefined;
      caption.textContent = neuron === undefined ? '' : shownCaption(page.settings(), neuron);
      page.show(neuron);
    },
    edit: (ref: ParameterRef, value: number) => {
      try {
        const { name, index } = parameterSlot(page.model(), ref);
        setParameter(page.model(), name, index, value);
        page.post({ type: 'setParameter', name, index, value });
        page.showError(undefined);
        page.changed();
      } catch (e) {
        page.showError((e as Error).message);
      }
    },
  });
}

/** Regression has no accuracy, and its loss is the mean squared error: the counters say so. */
export function showModeCounters(regression: boolean): void {
  const counter = (id: string): HTMLElement => {
    const el = document.getElementById(id);
    if (el === null) throw new Error(`the page has no #${id}`);
    return el;
  };
  counter('test-accuracy').parentElement!.hidden = regression;
  const mse = regression ? ' (MSE)' : '';
  counter('train-loss').previousElementSibling!.textContent = `training loss${mse}`;
  counter('test-loss').previousElementSibling!.textContent = `test loss${mse}`;
}
