import { spawn } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileChecked, writeFileAtomic, writeFileAtomicSync } from '../../src/node/files.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nabla-files-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const filled = (n: number, byte: number): Uint8Array => new Uint8Array(n).fill(byte);
const list = (d = dir): string[] => readdirSync(d).sort();

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe.each([
  ['writeFileAtomic', (p: string, d: Uint8Array | string) => writeFileAtomic(p, d)],
  ['writeFileAtomicSync', async (p: string, d: Uint8Array | string) => writeFileAtomicSync(p, d)],
])('%s', (_name, write) => {
  it('creates, then replaces, a file with the whole new content', async () => {
    const path = join(dir, 'model.safetensors');
    await write(path, filled(1000, 1));
    expect(readFileSync(path)).toEqual(Buffer.from(filled(1000, 1)));
    await write(path, filled(10, 2));
    expect(readFileSync(path)).toEqual(Buffer.from(filled(10, 2)));
    await write(path, new Uint8Array(0));
    expect(readFileSync(path).length).toBe(0);
    expect(list()).toEqual(['model.safetensors']);
  });

  it('writes strings as UTF-8', async () => {
    const path = join(dir, 'model.json');
    await write(path, '{"name":"héllo ✓"}\n');
    expect(readFileSync(path, 'utf8')).toBe('{"name":"héllo ✓"}\n');
  });

  it('keeps the mode of the file it replaces', async () => {
    const path = join(dir, 'secret.bin');
    writeFileSync(path, 'old');
    chmodSync(path, 0o640);
    await write(path, 'new');
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it('fails naming the file when the directory does not exist, and leaves nothing', async () => {
    const path = join(dir, 'missing', 'model.safetensors');
    const error = await rejection(Promise.resolve().then(() => write(path, 'x')));
    expect(error.message).toBe(
      `cannot write ${path}: the directory ${join(dir, 'missing')} does not exist`,
    );
    expect((error as { code?: string }).code).toBe('ENOENT');
    expect(list()).toEqual([]);
  });

  it('fails when the target is a directory, and removes its temporary file', async () => {
    // The temporary file is written; the rename over a directory fails.
    const path = join(dir, 'taken');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), 'keep');
    const error = await rejection(Promise.resolve().then(() => write(path, filled(100, 3))));
    expect(error.message).toMatch(new RegExp(`^cannot write ${path}: `));
    expect(error.message).not.toContain('\n');
    expect(list()).toEqual(['taken']);
    expect(readFileSync(join(path, 'inside'), 'utf8')).toBe('keep');
  });

  it('refuses data that is neither bytes nor a string', async () => {
    const error = await rejection(
      Promise.resolve().then(() => write(join(dir, 'x'), 42 as unknown as string)),
    );
    expect(error.message).toMatch(/data must be a Uint8Array or a string, got 42/);
    expect(list()).toEqual([]);
  });
});

describe('writeFileAtomic under concurrency and crashes', () => {
  it('concurrent writes leave one whole content, and readers never see a mix', async () => {
    const path = join(dir, 'model.safetensors');
    const size = 256 * 1024;
    writeFileSync(path, filled(size, 0));
    const contents = Array.from({ length: 16 }, (_, i) => filled(size + i * 7, i + 1));
    let done = false;
    const seen = new Set<string>();
    const reader = (async () => {
      while (!done) {
        const bytes = readFileSync(path);
        const first = bytes[0];
        const whole =
          bytes.every((b) => b === first) &&
          bytes.length === (first === 0 ? size : size + (first - 1) * 7);
        expect(whole, `a read saw ${bytes.length} bytes starting with ${first}`).toBe(true);
        seen.add(`${first}`);
        await new Promise((r) => setImmediate(r));
      }
    })();
    await Promise.all(contents.map((c) => writeFileAtomic(path, c)));
    done = true;
    await reader;
    const final = readFileSync(path);
    expect(contents.some((c) => Buffer.from(c).equals(final))).toBe(true);
    expect(list()).toEqual(['model.safetensors']);
    expect(seen.size).toBeGreaterThan(0);
  });

  it('a writer killed at any moment leaves the old or a new content, whole', async () => {
    const path = join(dir, 'model.safetensors');
    const size = 2 * 1024 * 1024;
    writeFileSync(path, filled(size, 0));
    const script = join(dir, 'writer.ts');
    const files = new URL('../../src/node/files.ts', import.meta.url).pathname;
    writeFileSync(
      script,
      `import { writeFileAtomicSync } from ${JSON.stringify(files)};\n` +
        `for (let i = 1; ; i = (i % 250) + 1) {\n` +
        `  writeFileAtomicSync(${JSON.stringify(path)}, new Uint8Array(${size}).fill(i));\n` +
        `  if (i === 1) process.stdout.write('.');\n` +
        `}\n`,
    );
    for (const delay of [150, 400, 900]) {
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      // Wait for the first write, then let it run a while and kill it without warning.
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const bytes = readFileSync(path);
      expect(bytes.length).toBe(size);
      expect(bytes.every((b) => b === bytes[0])).toBe(true);
    }
    // A killed writer may leave its temporary file behind (nothing runs to remove it), but never
    // anything else, and never under the target's name.
    for (const name of list()) {
      expect(
        name === 'model.safetensors' ||
          name === 'writer.ts' ||
          /^model\.safetensors\.\d+\.[0-9a-f]{12}\.tmp$/.test(name),
        name,
      ).toBe(true);
    }
  }, 30_000);
});

describe('readFileChecked', () => {
  it('returns the bytes as a plain Uint8Array of their own', () => {
    const path = join(dir, 'model.safetensors');
    writeFileSync(path, Buffer.from([1, 2, 3]));
    const bytes = readFileChecked(path, 'model weights');
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect(Array.from(bytes)).toEqual([1, 2, 3]);
    expect(readFileChecked(join(dir, '.', 'model.safetensors'), 'x').length).toBe(3);
  });

  it('says which file is missing and where', () => {
    const path = join(dir, 'model.safetensors');
    const error = thrown(() => readFileChecked(path, 'model.safetensors'));
    expect(error.message).toBe(`model.safetensors not found in ${dir}`);
    expect((error as { code?: string }).code).toBe('ENOENT');
    expect(thrown(() => readFileChecked(path, 'model weights')).message).toBe(
      `model weights (model.safetensors) not found in ${dir}`,
    );
  });

  it('says when the directory itself is missing', () => {
    const path = join(dir, 'run-7', 'model.json');
    expect(thrown(() => readFileChecked(path, 'model.json')).message).toBe(
      `model.json not found: the directory ${join(dir, 'run-7')} does not exist`,
    );
  });

  it('says when a directory stands where the file should be', () => {
    mkdirSync(join(dir, 'model.safetensors'));
    expect(thrown(() => readFileChecked(join(dir, 'model.safetensors'), 'weights')).message).toBe(
      `weights: ${join(dir, 'model.safetensors')} is a directory, not a file`,
    );
  });

  it('says when a part of the path is a file', () => {
    writeFileSync(join(dir, 'plain'), '');
    const path = join(dir, 'plain', 'model.json');
    expect(thrown(() => readFileChecked(path, 'config')).message).toBe(
      `config (model.json) not found: a part of the path ${join(dir, 'plain')} is not a directory`,
    );
  });
});
