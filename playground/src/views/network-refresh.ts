/**
 * The network view's schedule. The diagram is built (network.ts) when the network's shape, the
 * inputs, the mode, the width or the point inspected change, and whenever training is paused;
 * while training runs, each drawing only writes the new weights and pictures into the elements
 * already on the page (network-live.ts) — no new elements, and no reads of the layout: the
 * root's width comes from a ResizeObserver.
 */
import type { Module } from 'nabla';
import type { Settings } from '../settings.js';
import { inputFeatures } from '../trainer.js';
import { neuronLayerSizes } from './activations.js';
import { renderNetwork } from './network.js';
import type { LiveNetwork } from './network-live.js';
import { textScale } from './text-scale.js';

/**
 * While training runs, the tooltips' values follow at most this often (ms); with a point
 * inspected, the whole diagram is drawn again this often (its activations change with the weights).
 */
export const FULL_DRAWING_EVERY_MS = 400;

/** What the network view draws: the model, the settings, the point inspected, the pictures. */
export interface NetworkScene {
  model: Module;
  settings: Settings;
  point: [number, number] | undefined;
  images: Uint8ClampedArray<ArrayBuffer>[][];
  running: boolean;
}

/** The network view: a full drawing when needed, else an update in place. */
export class NetworkDrawer {
  private live: LiveNetwork | undefined;
  private model: Module | undefined;
  private shape = '';
  private fullAt = -Infinity;
  private labelsAt = -Infinity;
  private width: number | undefined;

  /** `around` wraps each full drawing (network-edit.ts keeps the focus through it). */
  constructor(
    private readonly root: HTMLElement,
    private readonly around: (draw: () => void) => void = (draw) => draw(),
  ) {
    if (typeof ResizeObserver === 'function')
      new ResizeObserver(() => {
        this.width = root.clientWidth;
      }).observe(root);
  }

  /** Draws `scene`: in full when the diagram must change, else only its weights and pictures. */
  draw(scene: NetworkScene): void {
    const { model, settings, point, images, running } = scene;
    const now = performance.now();
    const shape = JSON.stringify([
      neuronLayerSizes(model),
      inputFeatures(settings),
      settings.mode,
      textScale(settings),
      this.width,
      point,
    ]);
    const live = this.live;
    const recent = point === undefined || now - this.fullAt < FULL_DRAWING_EVERY_MS;
    const same = live !== undefined && model === this.model && shape === this.shape;
    if (running && same && recent) {
      const labels = now - this.labelsAt >= FULL_DRAWING_EVERY_MS;
      if (labels) this.labelsAt = now;
      live.weights(model, labels);
      live.paint(images);
      return;
    }
    this.around(() => {
      this.live = renderNetwork(this.root, model, settings, point, images, this.width);
    });
    this.shape = shape;
    this.model = model;
    this.fullAt = this.labelsAt = now;
  }
}
