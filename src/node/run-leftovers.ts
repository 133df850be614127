/**
 * What a killed `nabla train` leaves beside its run folder, and how a later run clears it: the
 * temporary folders of the swap of its final files ({@link removeStaleRunTemps}), a pointer being
 * made, a lock being taken over. Only nabla's names, only from a process that is gone.
 *
 * @module
 */
import { existsSync, lstatSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Whether process `pid` is running (or exists but is not ours to signal). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What the swap of the final files leaves when a run is killed: `.NAME.PID.HEX8.tmp` (the new
 * files), `.NAME.PID.HEX8.tmp.old` (the run's folder moved aside), `latest.PID.HEX8.tmp` (a
 * pointer being made) and `.NAME.lock.stale-PID-HEX8` (a stale lock being taken over).
 */
const SWAP_TEMP = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp(\.old)?$/;
const OTHER_TEMPS = [/^latest\.(\d+)\.[0-9a-f]{8}\.tmp$/, /^\..+\.lock\.stale-(\d+)-[0-9a-f]{8}$/];

/** Whether `name` in `parent` was left by a process now gone, and last changed before `before`. */
function leftBehind(parent: string, name: string, pid: number, before: number): boolean {
  if (pid === process.pid || pidAlive(pid)) return false;
  try {
    return lstatSync(join(parent, name)).mtimeMs < before;
  } catch {
    return false;
  }
}

/**
 * Clears what killed runs left in `parent` while swapping their final files into place: only
 * entries named as nabla names them, left by a process that is gone, last changed before `before`
 * (ms since the epoch). A swap cut short after the run's folder was moved aside is finished
 * rather than undone (the complete new folder, or failing that the old one, goes in place), so
 * that no run is lost. Returns the names removed or put in place; a folder that cannot be read
 * changes nothing.
 */
export function removeStaleRunTemps(parent: string, before: number): string[] {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return [];
  }
  const done: string[] = [];
  for (const name of names) {
    const m = SWAP_TEMP.exec(name);
    const pid = m?.[2] ?? OTHER_TEMPS.map((p) => p.exec(name)?.[1]).find((g) => g !== undefined);
    if (pid === undefined || !leftBehind(parent, name, Number(pid), before)) continue;
    try {
      if (m !== null && !existsSync(join(parent, m[1]))) {
        const tmp = m[3] === undefined ? name : name.slice(0, -'.old'.length);
        // The swap began (the old folder is aside): the new folder is complete; put it in place,
        // or the old one when the new one is gone.
        const restore = m[3] === undefined ? names.includes(`${tmp}.old`) : !names.includes(tmp);
        if (restore) {
          renameSync(join(parent, name), join(parent, m[1]));
          done.push(name);
          continue;
        }
      }
      rmSync(join(parent, name), { recursive: true, force: true });
      done.push(name);
    } catch {
      // gone already, or not ours to remove: leave it
    }
  }
  return done;
}
