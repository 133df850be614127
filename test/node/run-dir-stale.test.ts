/**
 * What a run killed while swapping its final files into place leaves beside its folder
 * (`.NAME.PID.HEX.tmp`, its `.old`, `latest.PID.HEX.tmp`, a lock moved aside) is cleared by the
 * next run that claims a folder there — only nabla's names, only from a process that is gone and
 * from before the run — and a swap cut short between its renames is finished, not lost.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { claimRunDir } from '../../src/node/run-dir.js';
import { removeStaleRunTemps } from '../../src/node/run-leftovers.js';

const work = mkdtempSync(join(tmpdir(), 'nabla-run-stale-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A pid that no process has (far above Linux's pid_max). */
const DEAD = 99999999;
const HOUR_AGO = (Date.now() - 3_600_000) / 1000;

/** Makes the folder `parent/name` holding `files`, dated an hour ago unless `fresh`. */
function folder(parent: string, name: string, files: Record<string, string>, fresh = false): void {
  mkdirSync(join(parent, name), { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(parent, name, file), text);
  if (!fresh) utimesSync(join(parent, name), HOUR_AGO, HOUR_AGO);
}

function file(parent: string, name: string): void {
  writeFileSync(join(parent, name), 'x');
  utimesSync(join(parent, name), HOUR_AGO, HOUR_AGO);
}

function parent(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir);
  return dir;
}

describe('removeStaleRunTemps', () => {
  it('removes only old entries of nabla’s names whose process is gone', () => {
    const p = parent('only-ours');
    folder(p, 'a', { 'model.json': 'kept' });
    const stale = [
      `.a.${DEAD}.0123abcd.tmp`,
      `.a.${DEAD}.89abcdef.tmp.old`,
      `latest.${DEAD}.0123abcd.tmp`,
      `.a.lock.stale-${DEAD}-0123abcd`,
    ];
    folder(p, stale[0], { 'model.json': 'partial' });
    folder(p, stale[1], { 'history.csv': 'old' });
    file(p, stale[2]);
    file(p, stale[3]);
    const keep = [
      '.a.tmp', // a user's
      `.a.${DEAD}.xyz.tmp`, // not of nabla's naming
      `a.${DEAD}.0123abcd.tmp`, // no leading dot
      `.a.${DEAD}.0123abcd.tmp.bak`,
      `.a.${process.ppid}.0123abcd.tmp`, // a running process's
      `.a.${process.pid}.0123abcd.tmp`, // this one's
      '.a.lock',
    ];
    for (const k of keep) folder(p, k, { f: 'kept' });
    const fresh = `.a.${DEAD}.fedcba98.tmp`; // written after the run began
    folder(p, fresh, { f: 'kept' }, true);
    const removed = removeStaleRunTemps(p, Date.now() - 60_000);
    expect(removed.sort()).toEqual([...stale].sort());
    expect(readdirSync(p).sort()).toEqual(['a', ...keep, fresh].sort());
    expect(readFileSync(join(p, 'a', 'model.json'), 'utf8')).toBe('kept');
  });

  it('finishes a swap cut short between its renames (new folder complete, old one aside)', () => {
    const p = parent('cut-short');
    folder(p, `.b.${DEAD}.0123abcd.tmp`, { 'model.json': 'new' });
    folder(p, `.b.${DEAD}.0123abcd.tmp.old`, { 'model.json': 'old' });
    removeStaleRunTemps(p, Date.now());
    expect(readdirSync(p)).toEqual(['b']);
    expect(readFileSync(join(p, 'b', 'model.json'), 'utf8')).toBe('new');
  });

  it('puts the old folder back when only it is left, and drops a new one never swapped', () => {
    const p = parent('old-only');
    folder(p, `.c.${DEAD}.0123abcd.tmp.old`, { 'model.json': 'old' });
    folder(p, `.d.${DEAD}.0123abcd.tmp`, { 'model.json': 'partial' }); // no .old: not begun
    removeStaleRunTemps(p, Date.now());
    expect(readdirSync(p)).toEqual(['c']);
    expect(readFileSync(join(p, 'c', 'model.json'), 'utf8')).toBe('old');
  });

  it('a folder that cannot be read changes nothing', () => {
    expect(removeStaleRunTemps(join(work, 'missing'), Date.now())).toEqual([]);
  });
});

describe('claimRunDir clears what a killed run left beside its folder', () => {
  /** The pid of a process that has ended (a real one, not a made-up number). */
  function gonePid(): number {
    const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    return Number(r.stdout);
  }

  it('for a run into the same parent, and for a resume into the same folder', () => {
    const p = parent('claims');
    const pid = gonePid();
    folder(p, 'run', { 'model.json': '{}' });
    folder(p, `.run.${pid}.0123abcd.tmp`, { 'model.json': 'partial' });
    folder(p, `.other.${pid}.0123abcd.tmp`, { 'model.json': 'partial' });
    const fresh = claimRunDir({
      dir: join(p, 'fresh'),
      versioned: false,
      overwrite: false,
      own: false,
      flag: '--out',
    });
    fresh.release();
    expect(readdirSync(p).sort()).toEqual(['run']);
    folder(p, `.run.${pid}.89abcdef.tmp`, { 'model.json': 'partial' });
    const own = claimRunDir({
      dir: join(p, 'run'),
      versioned: false,
      overwrite: false,
      own: true,
      flag: '--out',
    });
    expect(readdirSync(p).sort()).toEqual(['.run.lock', 'run']);
    own.release();
  });

  it('for a versioned run: in runs/<data>, before it picks its version', () => {
    const p = parent('versions');
    const pid = gonePid();
    folder(p, `.version_0.${pid}.0123abcd.tmp`, { 'model.json': 'new' });
    folder(p, `.version_0.${pid}.0123abcd.tmp.old`, { 'model.json': 'old' });
    file(p, `latest.${pid}.0123abcd.tmp`);
    const run = claimRunDir({
      dir: p,
      versioned: true,
      overwrite: false,
      own: false,
      flag: '--out',
    });
    // The cut-short swap of version_0 was finished; the new run takes version_1.
    expect(run.dir).toBe(join(p, 'version_1'));
    expect(readFileSync(join(p, 'version_0', 'model.json'), 'utf8')).toBe('new');
    run.release();
    expect(existsSync(join(p, 'version_1'))).toBe(false);
    expect(readdirSync(p).sort()).toEqual(['version_0']);
  });
});
