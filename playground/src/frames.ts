/**
 * The drawing schedule. The fast view (the boundary) is drawn on every animation frame that has
 * new weights. The slower views (network, loss curve, warped space) take turns, one per frame,
 * each at most every `slowEveryMs` (or its own `everyMs`) while training runs, so that no frame
 * carries all of them and the page keeps answering while the worker trains. No view computes a
 * heat map here: the worker sends them finished (pictures.ts), the views copy their pixels.
 */
export interface View {
  name: string;
  draw(): void;
  /** While training runs, draw at most this often (ms); by default the loop's `slowEveryMs`. */
  everyMs?: number;
}

export class FrameLoop {
  /** How long the last drawing of each view took (ms), for the benchmark and the curious. */
  readonly timings: Record<string, number> = {};
  private dirty = true;
  private readonly stale = new Set<string>();
  private readonly drawnAt = new Map<string, number>();
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

  private timed(v: View): void {
    const t0 = performance.now();
    v.draw();
    this.timings[v.name] = performance.now() - t0;
  }

  private frame(now: number): void {
    const every = this.options.slowEveryMs ?? 100;
    try {
      if (this.dirty) {
        this.dirty = false;
        this.timed(this.fast);
        for (const v of this.slow) this.stale.add(v.name);
      }
      for (let k = 0; k < this.slow.length; k++) {
        const v = this.slow[(this.turn + k) % this.slow.length];
        const recent = now - (this.drawnAt.get(v.name) ?? -Infinity) < (v.everyMs ?? every);
        if (!this.stale.has(v.name) || (this.options.running() && recent)) continue;
        this.timed(v);
        this.drawnAt.set(v.name, now);
        this.stale.delete(v.name);
        this.turn = (this.turn + k + 1) % this.slow.length;
        break;
      }
    } catch (e) {
      this.stale.clear();
      this.options.onError(e as Error);
    }
  }
}
