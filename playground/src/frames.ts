/**
 * The drawing schedule. The fast view (the boundary) is drawn on every animation frame that has
 * new weights. The slower views (network, loss curve, warped space) take turns, one per frame,
 * each at most every `slowEveryMs` (or its own `everyMs`) while training runs, so that no frame
 * carries all of them and the page keeps answering while the worker trains. No view computes a
 * heat map here: the worker sends them finished (pictures.ts), the views copy their pixels. A
 * view with nothing new to draw says so (its `draw` returns false): it neither takes the frame's
 * turn nor counts as a drawing in `timings`. On a loaded machine, where drawings take longer, a
 * slow view waits longer: while training runs it spends at most a fifth of the page's time.
 */
/** The browser's frame clock (declared here too: the tests type-check this file without the DOM). */
declare const requestAnimationFrame: (callback: (now: number) => void) => number;

export interface View {
  name: string;
  /** Draws the view; false when it had nothing new to draw (and drew nothing). */
  draw(): boolean | void;
  /** While training runs, draw at most this often (ms); by default the loop's `slowEveryMs`. */
  everyMs?: number;
}

/** While training runs, a slow view whose drawings take c ms waits at least c / SLOW_SHARE ms. */
export const SLOW_SHARE = 0.2;

export class FrameLoop {
  /** How long the last drawing of each view took (ms), for the benchmark and the curious. */
  readonly timings: Record<string, number> = {};
  private dirty = true;
  private readonly stale = new Set<string>();
  private readonly drawnAt = new Map<string, number>();
  /** Each slow view's typical drawing time (ms): a moving average of its recent drawings. */
  private readonly cost = new Map<string, number>();
  private turn = 0;

  constructor(
    private readonly fast: View,
    private readonly slow: readonly View[],
    private readonly options: {
      running(): boolean;
      onError(e: Error): void;
      slowEveryMs?: number;
    },
  ) {}

  /** New weights or data: every view draws again. */
  invalidate(): void {
    this.dirty = true;
  }

  start(): void {
    const frame = (now: number): void => {
      this.frame(now);
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  /** Draws a view, keeping the time of its drawing; false when it had nothing to draw. */
  private timed(v: View): boolean {
    const t0 = performance.now();
    if (v.draw() === false) return false;
    const ms = performance.now() - t0;
    this.timings[v.name] = ms;
    this.cost.set(v.name, 0.7 * (this.cost.get(v.name) ?? ms) + 0.3 * ms);
    return true;
  }

  /** How long a slow view waits between drawings while training runs. */
  private waitMs(v: View): number {
    const every = v.everyMs ?? this.options.slowEveryMs ?? 100;
    return Math.max(every, (this.cost.get(v.name) ?? 0) / SLOW_SHARE);
  }

  private frame(now: number): void {
    try {
      if (this.dirty) {
        this.dirty = false;
        this.timed(this.fast);
        for (const v of this.slow) this.stale.add(v.name);
      }
      for (let k = 0; k < this.slow.length; k++) {
        const v = this.slow[(this.turn + k) % this.slow.length];
        const recent = now - (this.drawnAt.get(v.name) ?? -Infinity) < this.waitMs(v);
        if (!this.stale.has(v.name) || (this.options.running() && recent)) continue;
        this.stale.delete(v.name);
        if (!this.timed(v)) continue;
        this.drawnAt.set(v.name, now);
        this.turn = (this.turn + k + 1) % this.slow.length;
        break;
      }
    } catch (e) {
      this.stale.clear();
      this.options.onError(e as Error);
    }
  }
}
