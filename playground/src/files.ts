/**
 * The trained network as nabla's own files — model.json (the architecture, with the playground's
 * settings in its metadata) and model.safetensors (the weights) — downloaded (saved.ts reads them
 * back); and the link to the settings, copied.
 */
import { MODEL_JSON, MODEL_WEIGHTS, serializeModel, type Module } from 'nabla';
import { readModelFiles } from './saved.js';
import type { Settings } from './settings.js';

function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Downloads model.json and model.safetensors; `nabla evaluate`/`load(dir)` read them back. */
export function downloadModel(
  model: Module,
  settings: Settings,
  progress: { step: number; epoch: number },
): void {
  const { json, weights } = serializeModel(model, { playground: { settings, ...progress } });
  download(MODEL_JSON, json, 'application/json');
  download(MODEL_WEIGHTS, weights as Uint8Array<ArrayBuffer>, 'application/octet-stream');
}

/** A click on `button` copies the page's link (its settings); `onError` shows it if it cannot. */
export function copyLinkOnClick(button: HTMLElement, onError: (message: string) => void): void {
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      button.textContent = '✓ Link copied';
    } catch {
      onError(`Copy this link: ${location.href}`);
    }
  });
}

/** What the page does with a model chosen in the file box. */
export interface ModelUpload {
  current: () => Readonly<Settings>;
  /** The files carry the settings they were saved with: the page rebuilds itself for them. */
  rebuild: (saved: Settings) => void;
  /** Hands the files to the worker, which takes the weights. */
  load: (json: string, weights: Uint8Array) => void;
  showError: (message: string) => void;
}

/** Reads the model.json and model.safetensors chosen in `input` and loads them (see {@link ModelUpload}). */
export function onModelUpload(input: HTMLInputElement, page: ModelUpload): void {
  input.addEventListener('change', async () => {
    try {
      const files = await readModelFiles(input.files, page.current());
      if (files.settings !== undefined) page.rebuild(files.settings);
      page.load(files.json, files.weights);
    } catch (err) {
      page.showError((err as Error).message);
    } finally {
      input.value = '';
    }
  });
}
