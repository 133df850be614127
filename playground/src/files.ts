/**
 * The trained network as nabla's own files — model.json (the architecture, with the playground's
 * settings in its metadata) and model.safetensors (the weights) — downloaded, and read back.
 */
import { MODEL_JSON, MODEL_WEIGHTS, serializeModel, type Module } from 'nabla';
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

/**
 * Reads the two files a user picked. The settings saved with them (if they came from the
 * playground) are returned too, so that the page can rebuild the same network before loading.
 */
export async function readModelFiles(
  files: FileList | null,
): Promise<{ json: string; weights: Uint8Array; settings?: Settings }> {
  const list = [...(files ?? [])];
  const json = list.find((f) => f.name.endsWith('.json'));
  const weights = list.find((f) => f.name.endsWith('.safetensors'));
  if (json === undefined || weights === undefined)
    throw new Error(
      `Load needs both files of a saved network: model.json and model.safetensors (got ${list.map((f) => f.name).join(', ') || 'none'})`,
    );
  const text = await json.text();
  const bytes = new Uint8Array(await weights.arrayBuffer());
  let settings: Settings | undefined;
  try {
    settings = (JSON.parse(text) as { metadata?: { playground?: { settings?: Settings } } })
      .metadata?.playground?.settings;
  } catch {
    throw new Error(`${json.name}: not valid JSON`);
  }
  return { json: text, weights: bytes, ...(settings === undefined ? {} : { settings }) };
}
