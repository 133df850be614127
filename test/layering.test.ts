import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The layers of DESIGN.md: each folder imports only folders above it in this list, and the core
 * (everything but the CLI and the Node entry) imports no `node:` module.
 */
const LAYERS = [
  'tensor',
  'backend',
  'autograd',
  'ops',
  'nn',
  'optim',
  'data',
  'train',
  'viz',
  'io',
  'node',
  'cli',
];
/** Node-only code: the file-system and terminal parts behind the `nabla/node` entry, and the CLI. */
const NODE_ONLY = ['node/', 'cli/', 'node.ts'];

const root = join(import.meta.dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function imports(source: string): string[] {
  const found: string[] = [];
  const re =
    /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) found.push(m[1] ?? m[2]);
  return found;
}

const layerOf = (path: string): number => LAYERS.indexOf(relative(root, path).split('/')[0]);

/** The source files `entry` reaches through relative imports (static or dynamic), itself included. */
function reached(entry: string): string[] {
  const seen = new Set([join(root, entry)]);
  const todo = [...seen];
  while (todo.length > 0) {
    const file = todo.pop()!;
    for (const spec of imports(readFileSync(file, 'utf8'))) {
      const target = join(file, '..', spec).replace(/\.js$/, '.ts');
      if (!spec.startsWith('.') || seen.has(target)) continue;
      seen.add(target);
      todo.push(target);
    }
  }
  return [...seen].map((f) => relative(root, f));
}

describe('layering', () => {
  const all = files(root);

  it('finds the source files', () => {
    expect(all.length).toBeGreaterThan(20);
  });

  it.each(all.map((f) => [relative(root, f), f]))(
    '%s imports only from its own layer or the ones above',
    (_name, file) => {
      const own = layerOf(file);
      if (own === -1) return; // the entries at the top of src/ may import anything
      for (const spec of imports(readFileSync(file, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = join(file, '..', spec);
        const layer = layerOf(target);
        expect(layer, `${relative(root, file)} imports ${spec}`).toBeGreaterThanOrEqual(0);
        expect(
          layer,
          `${relative(root, file)} (layer ${LAYERS[own]}) imports ${spec} (layer ${LAYERS[layer]}), a lower layer`,
        ).toBeLessThanOrEqual(own);
      }
    },
  );

  it.each(all.map((f) => [relative(root, f), f]))(
    '%s: the core imports no node: module',
    (name, file) => {
      if (NODE_ONLY.some((p) => name.startsWith(p))) return;
      for (const spec of imports(readFileSync(file, 'utf8'))) {
        expect(
          spec.startsWith('node:') ||
            ['fs', 'path', 'os', 'url', 'crypto', 'child_process'].includes(spec),
          `${name} imports ${spec}`,
        ).toBe(false);
      }
    },
  );

  // The browser entries: the core (what training needs), and the pictures and ONNX apart from it.
  it.each(['index.ts', 'viz.ts', 'onnx.ts'])('%s reaches no Node-only module', (entry) => {
    const nodeOnly = reached(entry).filter((f) => NODE_ONLY.some((p) => f.startsWith(p)));
    expect(nodeOnly).toEqual([]);
  });

  it('the core entry reaches no viz module (nabla/viz is an entry of its own)', () => {
    const files = reached('index.ts');
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((f) => f.startsWith('viz/') || f === 'viz.ts')).toEqual([]);
    expect(reached('viz.ts')).toContain('viz/trace.ts');
  });
});
