import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as nabla from '../src/index.js';
import * as nablaNode from '../src/node.js';
import * as nablaOnnx from '../src/onnx.js';
import * as nablaViz from '../src/viz.js';

/**
 * The package's entries: `nabla` (the browser-safe core, what training needs), `nabla/viz` and
 * `nabla/onnx` apart from it so that a page that only trains does not ship them, and `nabla/node`,
 * which re-exports all three. Each is declared in package.json and documented by TypeDoc.
 */
const ROOT = join(import.meta.dirname, '..');
const json = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, unknown>;

describe('the package entries', () => {
  it('keep the pictures and ONNX out of the core', () => {
    for (const name of ['trace', 'toDot', 'explainBackward', 'plotLoss', 'exportOnnx']) {
      expect(name in nabla, name).toBe(false);
    }
    expect(Object.keys(nablaViz)).toEqual(
      expect.arrayContaining(['trace', 'toDot', 'renderSvg', 'explainBackward', 'plotLoss']),
    );
    expect(Object.keys(nablaViz).filter((k) => k in nabla)).toEqual([]);
  });

  it('nabla/node re-exports the core, nabla/viz and nabla/onnx, the same values', () => {
    const node = nablaNode as Record<string, unknown>;
    for (const entry of [nabla, nablaViz, nablaOnnx] as Record<string, unknown>[]) {
      // The two the Node entry extends: `datasets` (the files it reads), `fit` (checkpoint files).
      const names = Object.keys(entry).filter((k) => k !== 'datasets' && k !== 'fit');
      expect(names.filter((k) => node[k] !== entry[k])).toEqual([]);
    }
  });

  it('are declared in package.json (types and code) and documented by TypeDoc', () => {
    const exports = json('package.json').exports as Record<string, Record<string, string>>;
    for (const [subpath, source] of [
      ['./viz', 'viz'],
      ['./onnx', 'onnx'],
      ['./node', 'node'],
    ]) {
      expect(exports[subpath]).toEqual({
        types: `./dist/${source}.d.ts`,
        default: `./dist/${source}.js`,
      });
    }
    expect(json('typedoc.json').entryPoints).toEqual(
      expect.arrayContaining(['src/index.ts', 'src/viz.ts', 'src/node.ts']),
    );
  });
});
