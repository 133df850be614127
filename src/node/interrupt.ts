/**
 * Stopping a synchronous training loop on Ctrl-C, SIGTERM or SIGHUP after its current step,
 * through the native addon's signal watch (a JavaScript listener would not run until the loop
 * returns).
 */
import { constants } from 'node:os';
import { nativeAddon } from './native.js';

/** What stopped a watched loop: the signal, by name. */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

/** A watch over the signals that stop a synchronous loop after its current step. */
export interface InterruptWatch {
  /** Whether one of the watched signals arrived. */
  interrupted(): boolean;
  /** Which one, or undefined while none has. */
  signal(): StopSignal | undefined;
  /** Restores the usual handling of the signals. */
  stop(): void;
}

/**
 * Watches for Ctrl-C, SIGTERM and SIGHUP while a synchronous loop runs (a JavaScript listener
 * would not run until the loop returns): `interrupted()` says whether one arrived, `signal()`
 * which, `stop()` restores the usual handling; a second signal before the loop notices ends the
 * process as usual. A SIGHUP that is ignored (as under `nohup`) stays ignored. Undefined without
 * the native addon, where these signals end the process at once; the run's lock then names a
 * process that is gone, and the next run takes it over.
 */
export function watchInterrupt(): InterruptWatch | undefined {
  const addon = nativeAddon();
  if (addon === undefined || typeof addon.watchInterrupt !== 'function') return undefined;
  if (!addon.watchInterrupt(true)) return undefined;
  const { SIGHUP, SIGINT, SIGTERM } = constants.signals;
  const names: Record<number, StopSignal> = {
    [SIGHUP]: 'SIGHUP',
    [SIGINT]: 'SIGINT',
    [SIGTERM]: 'SIGTERM',
  };
  return {
    interrupted: () => addon.interrupted(),
    signal: () => {
      if (!addon.interrupted()) return undefined;
      // An addon built before SIGTERM was watched knows only Ctrl-C.
      return typeof addon.interruptSignal === 'function'
        ? (names[addon.interruptSignal()] ?? 'SIGINT')
        : 'SIGINT';
    },
    stop: () => void addon.watchInterrupt(false),
  };
}
