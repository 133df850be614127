// Failures the file system will not produce on demand here (tests may run as root, which ignores
// permissions; disks are not full): the node:fs functions are wrapped so that a test can make
// one call fail, after the temporary file exists.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFileChecked, writeFileAtomic, writeFileAtomicSync } from '../../src/node/files.js';

vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  return {
    ...actual,
    readFileSync: vi.fn(actual.readFileSync),
    renameSync: vi.fn(actual.renameSync),
    writeFileSync: vi.fn(actual.writeFileSync),
    fsyncSync: vi.fn(actual.fsyncSync),
  };
});
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof fsp>();
  return { ...actual, rename: vi.fn(actual.rename) };
});

const actualFs = await vi.importActual<typeof fs>('node:fs');

const systemError = (code: string, syscall: string): Error =>
  Object.assign(new Error(`${code}: simulated, ${syscall}`), { code, syscall });

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nabla-files-fail-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A file in the test's folder that holds 'old'. */
function oldFile(): string {
  const path = join(dir, 'model.safetensors');
  writeFileSync(path, 'old');
  return path;
}

/** The old file still holds 'old', and no temporary file is left beside it. */
function expectOldKept(path: string): void {
  expect(readFileSync(path, 'utf8')).toBe('old');
  expect(readdirSync(dir)).toEqual(['model.safetensors']);
}

describe('atomic writes that fail after the temporary file exists', () => {
  it('writeFileAtomic: a failed rename keeps the old content and removes the temporary file', async () => {
    const path = oldFile();
    vi.mocked(fsp.rename).mockRejectedValueOnce(systemError('EXDEV', 'rename'));
    await expect(writeFileAtomic(path, 'new content')).rejects.toThrow(
      `cannot write ${path}: EXDEV: simulated, rename`,
    );
    expectOldKept(path);
  });

  it('writeFileAtomicSync: a failed rename keeps the old content and removes the temporary file', () => {
    const path = oldFile();
    vi.mocked(fs.renameSync).mockImplementationOnce(() => {
      throw systemError('EACCES', 'rename');
    });
    expect(() => writeFileAtomicSync(path, 'new content')).toThrow(
      `cannot write ${path}: permission denied`,
    );
    expectOldKept(path);
  });

  it('writeFileAtomicSync: a full disk while writing keeps the old content', () => {
    const path = oldFile();
    vi.mocked(fs.writeFileSync).mockImplementationOnce(() => {
      throw systemError('ENOSPC', 'write');
    });
    expect(() => writeFileAtomicSync(path, new Uint8Array(64))).toThrow(
      `cannot write ${path}: no space left on the device`,
    );
    expectOldKept(path);
  });

  it('skips the directory flush where the platform refuses it, but reports other failures', () => {
    const path = join(dir, 'a.bin');
    let calls = 0;
    vi.mocked(fs.fsyncSync).mockImplementation((fd) => {
      calls++;
      if (calls === 2) throw systemError('EISDIR', 'fsync'); // the directory
      actualFs.fsyncSync(fd);
    });
    writeFileAtomicSync(path, 'x');
    expect(readFileSync(path, 'utf8')).toBe('x');
    calls = 0;
    vi.mocked(fs.fsyncSync).mockImplementation((fd) => {
      calls++;
      if (calls === 2) throw systemError('EIO', 'fsync');
      actualFs.fsyncSync(fd);
    });
    expect(() => writeFileAtomicSync(path, 'y')).toThrow(
      `cannot flush the directory ${dir} to disk: EIO: simulated, fsync`,
    );
    vi.mocked(fs.fsyncSync).mockImplementation(actualFs.fsyncSync);
  });
});

describe('readFileChecked when the file may not be read', () => {
  it('says permission is denied, naming the file', () => {
    const path = join(dir, 'model.safetensors');
    writeFileSync(path, 'x');
    vi.mocked(fs.readFileSync).mockImplementationOnce(() => {
      throw systemError('EACCES', 'open');
    });
    expect(() => readFileChecked(path, 'model weights')).toThrow(
      `model weights: permission denied reading ${path}`,
    );
  });

  it('passes other errors on in one line, naming the file', () => {
    const path = join(dir, 'model.safetensors');
    vi.mocked(fs.readFileSync).mockImplementationOnce(() => {
      throw systemError('EIO', 'read');
    });
    expect(() => readFileChecked(path, 'model weights')).toThrow(
      `model weights: cannot read ${path}: EIO: simulated, read`,
    );
  });
});
