/**
 * Files for Node.js: writes that leave either the old or the new content (never half a file), and
 * reads whose errors say in one line which file and what is wrong.
 */
import {
  closeSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, resolve } from 'node:path';
import { fail } from '../tensor/check.js';

/**
 * `path` when it is a non-empty string, else an error naming `where` and the argument: a
 * TypeError for another sort of value, a RangeError for ''. (Node's own message would name
 * neither.)
 */
export function checkPath(where: string, key: string, path: unknown): string {
  if (typeof path !== 'string' || path === '') {
    fail({ where }, key, 'a non-empty string', path, path === '' ? RangeError : TypeError);
  }
  return path;
}

/** The temporary file a write goes to first: beside the target, so that renaming it is atomic. */
function tempPathFor(path: string): string {
  return `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** An error whose message names the file and the problem in one line, keeping the system's code. */
function fileError(message: string, cause: unknown): Error {
  const error = new Error(message, { cause }) as Error & { code?: string };
  const code = codeOf(cause);
  if (code !== undefined) error.code = code;
  return error;
}

function writeProblem(path: string, err: unknown): Error {
  const dir = dirname(resolve(path));
  const why = ((): string => {
    switch (codeOf(err)) {
      case 'ENOENT':
        return `the directory ${dir} does not exist`;
      case 'ENOTDIR':
        return `a part of the path ${dir} is not a directory`;
      case 'EISDIR':
        return `${path} is a directory`;
      case 'EACCES':
      case 'EPERM':
        return `permission denied`;
      case 'EROFS':
        return `the file system is read-only`;
      case 'ENOSPC':
        return `no space left on the device`;
      case 'EDQUOT':
        return `the disk quota is exceeded`;
      default:
        return messageOf(err);
    }
  })();
  return fileError(`cannot write ${path}: ${why}`, err);
}

/** Directory fsync is refused on some platforms and file systems; there it is skipped. */
const DIRECTORY_SYNC_REFUSED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EBADF']);

function toBytes(where: string, data: Uint8Array | string): Uint8Array {
  if (typeof data === 'string') return new TextEncoder().encode(data);
  if (data instanceof Uint8Array) return data;
  return fail({ where }, 'data', 'a Uint8Array or a string', data, TypeError);
}

/** The mode of an existing target, so that replacing it keeps its permissions. */
function existingMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
  }
}

/**
 * Writes `data` (a string as UTF-8) to `path` so that the file holds either its old content or
 * the new, whole, whatever happens: the data go to a temporary file in the same directory, which
 * is flushed to disk and renamed over `path`; then the directory is flushed so that the rename
 * survives a crash. On any failure the temporary file is removed and the error names `path`.
 * Concurrent writes to the same path each use their own temporary file; the last rename wins.
 *
 * @example
 * const model = mlp([2, 8, 1]);
 * await writeFileAtomic('model.safetensors', encodeSafetensors(model.stateDict()));
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  checkPath('writeFileAtomic', 'path', path);
  const bytes = toBytes('writeFileAtomic', data);
  const tmp = tempPathFor(path);
  const mode = existingMode(path);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, 'wx', mode ?? 0o666);
    if (mode !== undefined) await handle.chmod(mode); // the umask must not narrow it
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw writeProblem(path, err);
  }
  await syncDirectory(dirname(path));
}

/** The synchronous form of {@link writeFileAtomic}, with the same guarantees. */
export function writeFileAtomicSync(path: string, data: Uint8Array | string): void {
  checkPath('writeFileAtomicSync', 'path', path);
  const bytes = toBytes('writeFileAtomicSync', data);
  const tmp = tempPathFor(path);
  const mode = existingMode(path);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', mode ?? 0o666);
    writeFileSync(fd, bytes);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already failing; the first error is the one to report
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already gone
    }
    throw writeProblem(path, err);
  }
  syncDirectorySync(dirname(path));
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (err) {
    if (!DIRECTORY_SYNC_REFUSED.has(codeOf(err) ?? '')) {
      throw fileError(`cannot flush the directory ${dir} to disk: ${messageOf(err)}`, err);
    }
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function syncDirectorySync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (err) {
    if (!DIRECTORY_SYNC_REFUSED.has(codeOf(err) ?? '')) {
      throw fileError(`cannot flush the directory ${dir} to disk: ${messageOf(err)}`, err);
    }
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Reads a whole file, with errors a person can act on: one line that starts with `what` and names
 * the file and the problem. With `what` the file's own name, a missing file gives
 * `model.safetensors not found in /runs/a`; with a description, `model weights (model.safetensors)
 * not found in /runs/a`. Also: a missing directory, a directory where the file should be,
 * permission denied. The error keeps the system's `code` and has the system error as `cause`.
 * The bytes are a plain Uint8Array of their own.
 *
 * @param what The file's name or what it is for (`model.safetensors`, `model weights`).
 * @example
 * save(mlp([2, 8, 1]), 'runs/a');
 * const bytes = readFileChecked('runs/a/model.safetensors', 'model.safetensors');
 */
export function readFileChecked(path: string, what: string): Uint8Array {
  checkPath('readFileChecked', 'path', path);
  if (typeof what !== 'string' || what === '')
    fail({ where: 'readFileChecked' }, 'what', 'a non-empty string', what, TypeError);
  try {
    const buffer = readFileSync(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (err) {
    throw fileError(readProblem(path, what, err), err);
  }
}

function readProblem(path: string, what: string, err: unknown): string {
  const dir = dirname(resolve(path));
  const name = basename(path);
  const subject = what === name ? what : `${what} (${name})`;
  switch (codeOf(err)) {
    case 'ENOENT':
      return isDirectory(dir)
        ? `${subject} not found in ${dir}`
        : `${subject} not found: the directory ${dir} does not exist`;
    case 'ENOTDIR':
      return `${subject} not found: a part of the path ${dir} is not a directory`;
    case 'EISDIR':
      return `${what}: ${path} is a directory, not a file`;
    case 'EACCES':
    case 'EPERM':
      return `${what}: permission denied reading ${path}`;
    default:
      return `${what}: cannot read ${path}: ${messageOf(err)}`;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
