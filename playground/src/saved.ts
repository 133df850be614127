/**
 * A saved network read back: the two files a user picked (model.json and model.safetensors, as
 * files.ts downloads them), and the settings saved with them, checked by the schema as the URL's
 * are. Free of the DOM, so the tests run it in Node.
 */
import {
  keepRegressionFeatures,
  REGRESSION_FEATURES,
  SETTING_KEYS,
  type SettingKey,
} from './schema.js';
import { readSetting, type Settings } from './settings.js';

/** What the page's file input gives (a File): a name, and contents to read. */
export interface PickedFile {
  readonly name: string;
  text(): Promise<string>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** The text form of a value saved in JSON, as the URL writes it: a list comma-separated. */
function savedText(value: unknown): string {
  if (Array.isArray(value)) return value.join(',');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const isSettingKey = (key: string): key is SettingKey =>
  (SETTING_KEYS as readonly string[]).includes(key);

/**
 * The settings a model file was saved with, over `current` (a file may hold only some), each read
 * back through the schema from its text as the URL's would be, the features usable in the file's
 * problem. Throws one Error naming the file, then each setting that cannot be used and what was
 * expected.
 */
export function settingsFromFile(
  saved: unknown,
  current: Readonly<Settings>,
  file: string,
): Settings {
  if (typeof saved !== 'object' || saved === null || Array.isArray(saved))
    throw new Error(`${file}: its playground settings are not an object of settings`);
  const settings = structuredClone(current) as Settings;
  const problems: string[] = [];
  for (const [key, value] of Object.entries(saved)) {
    if (!isSettingKey(key)) {
      problems.push(`unknown setting "${key}"`);
      continue;
    }
    try {
      readSetting(settings, key, savedText(value));
    } catch (e) {
      problems.push(`${key} = ${JSON.stringify(value)}: expected ${(e as Error).message}`);
    }
  }
  const features = JSON.stringify(settings.features);
  if (problems.length === 0 && keepRegressionFeatures(settings))
    problems.push(`features = ${features}: ${REGRESSION_FEATURES}`);
  if (problems.length > 0)
    throw new Error(
      `${file}: the playground settings saved in it cannot be used: ${problems.join('; ')}`,
    );
  return settings;
}

/**
 * Reads the two files a user picked. The settings saved with them (if they came from the
 * playground), over `current` and checked, are returned too, so that the page can rebuild the same
 * network before loading.
 */
export async function readModelFiles(
  files: Iterable<PickedFile> | null,
  current: Readonly<Settings>,
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
  let saved: unknown;
  try {
    saved = (JSON.parse(text) as { metadata?: { playground?: { settings?: unknown } } }).metadata
      ?.playground?.settings;
  } catch {
    throw new Error(`${json.name}: not valid JSON`);
  }
  if (saved === undefined) return { json: text, weights: bytes };
  return { json: text, weights: bytes, settings: settingsFromFile(saved, current, json.name) };
}
