import { checkObject, fail } from '../tensor/check.js';
import type { BatchInfo, EpochInfo, ProgressReporter } from '../train/types.js';

/**
 * What the reporter writes to: process.stderr or any stream like it (described here rather than
 * as NodeJS.WriteStream, so that the published types compile without @types/node).
 */
export interface TerminalStream {
  write(text: string): unknown;
  /** Whether it is a terminal (then the bar is drawn). */
  isTTY?: boolean;
  /** The terminal's width in characters. */
  columns?: number;
}

/** Options of the terminal progress reporter. */
export interface ProgressBarOptions {
  /** Where to write (default process.stderr). */
  stream?: TerminalStream;
  /** Draw a bar (default: when the stream is a terminal); otherwise print only the epoch lines. */
  tty?: boolean;
  /**
   * Print the line of every `every`-th epoch (default: every epoch up to 30 epochs, else a round
   * number that gives about 12–30 lines). The first and the last epoch always get one, and so
   * does a new best validation loss after at least `every` epochs without one.
   */
  every?: number;
}

function pct(v: number | undefined): string {
  return v === undefined ? '-' : `${(v * 100).toFixed(1)}%`;
}

/** A loss: four decimals, or three significant digits when it is huge (a diverging run). */
function lossText(v: number): string {
  return Math.abs(v) < 1e6 ? v.toFixed(4) : v.toPrecision(3);
}

function describeEpoch(e: EpochInfo, epochs: number): string {
  const parts = [`epoch ${e.epoch}/${epochs}`, `loss ${lossText(e.loss)}`];
  if (e.accuracy !== undefined) parts.push(`accuracy ${pct(e.accuracy)}`);
  if (e.valLoss !== undefined) parts.push(`val loss ${lossText(e.valLoss)}`);
  if (e.valAccuracy !== undefined) parts.push(`val accuracy ${pct(e.valAccuracy)}`);
  parts.push(
    `${Math.round(e.samplesPerSecond).toLocaleString('en-US')} samples/s`,
    e.seconds < 1 ? `${Math.round(e.seconds * 1000)} ms` : `${e.seconds.toFixed(1)} s`,
  );
  return parts.join(' · ');
}

/** Every epoch up to 30 epochs; else the smallest of 1, 2, 5, 10, 20, 50, … giving ≤ 30 lines. */
function epochLineInterval(epochs: number): number {
  if (epochs <= 30) return 1;
  for (let scale = 1; ; scale *= 10)
    for (const step of [1, 2, 5]) if (step * scale * 30 >= epochs) return step * scale;
}

/** Seconds as "42s", "3m07s" or "1h05m". */
function eta(seconds: number): string {
  const s = Math.ceil(seconds);
  const two = (n: number): string => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  return `${Math.floor(s / 3600)}h${two(Math.floor((s % 3600) / 60))}m`;
}

/**
 * The bar's own line on a terminal. It is redrawn in place with a carriage return, never wider
 * than the terminal (so it cannot wrap), and erased before any other line is printed: nothing
 * saves or restores the cursor, so what was printed stays where it is.
 */
class BarLine {
  private shown = false;
  private drawn = 0;

  constructor(private readonly stream: TerminalStream) {}

  /** Draws `text` (at most ten times a second unless `now`). */
  draw(text: string, now = false): void {
    const time = performance.now();
    if (this.shown && !now && time - this.drawn < 100) return;
    // Short of the last columns: a full line would wrap when Ctrl-C echoes "^C" after it.
    const width = Math.max(1, (this.stream.columns || 80) - 3);
    this.stream.write(`\r${[...text].slice(0, width).join('')}\x1b[K`);
    this.shown = true;
    this.drawn = time;
  }

  /** Erases the bar and leaves the cursor at the start of its (now empty) line. */
  clear(): void {
    if (!this.shown) return;
    this.stream.write('\r\x1b[2K');
    this.shown = false;
  }

  /** Prints `line` where the bar was; the next `draw` puts the bar back below it. */
  print(line: string): void {
    this.clear();
    this.stream.write(`${line}\n`);
  }
}

/** Which epochs get a line: the first, every `every`-th, the last, and a best after a wait. */
class EpochLines {
  private printed = 0;
  private best = Infinity;
  private bestEpoch = 0;
  private last: EpochInfo | undefined;

  constructor(
    private readonly every: number,
    private readonly epochs: number,
    private readonly print: (line: string) => void,
  ) {}

  epoch(e: EpochInfo): void {
    this.last = e;
    let plateauEnded = false;
    if (e.valLoss !== undefined && e.valLoss < this.best) {
      plateauEnded = this.bestEpoch > 0 && e.epoch - this.bestEpoch >= this.every;
      this.best = e.valLoss;
      this.bestEpoch = e.epoch;
    }
    if (this.printed === 0 || e.epoch % this.every === 0 || e.epoch === this.epochs)
      this.line(e, '');
    else if (plateauEnded) this.line(e, ' · new best val loss');
  }

  /** The last epoch's line, when a stop before the planned end left it out. */
  end(): void {
    if (this.last !== undefined && this.printed !== this.last.epoch) this.line(this.last, '');
  }

  private line(e: EpochInfo, note: string): void {
    this.print(`${describeEpoch(e, this.epochs)}${note}`);
    this.printed = e.epoch;
  }
}

/** A run's bar: the position over all steps, samples/s over half-second windows, the ETA. */
class Bar {
  private windowStart = performance.now();
  private windowSamples = 0;
  private rate = 0;
  private first: { at: number; time: number } | undefined;
  private last: EpochInfo | undefined;

  constructor(
    private readonly line: BarLine,
    private readonly prefix: string,
    private readonly epochs: number,
    private readonly batches: number,
  ) {
    this.draw(0, 1, '-', true);
  }

  batch(info: BatchInfo): void {
    this.windowSamples += info.size;
    const now = performance.now();
    if (now - this.windowStart > 500) {
      this.rate = (this.windowSamples * 1000) / (now - this.windowStart);
      this.windowStart = now;
      this.windowSamples = 0;
    }
    const at = (info.epoch - 1) * this.batches + info.batch;
    this.first ??= { at, time: now };
    this.draw(at, info.epoch, lossText(info.loss));
  }

  epoch(info: EpochInfo): void {
    this.last = info;
  }

  private draw(at: number, epoch: number, loss: string, now = false): void {
    const total = this.epochs * this.batches;
    const filled = Math.round((24 * Math.min(at, total)) / total);
    const first = this.first;
    const left =
      first === undefined || at <= first.at
        ? '-'
        : eta((((performance.now() - first.time) / 1000) * (total - at)) / (at - first.at));
    const speed = this.rate > 0 ? this.rate : this.last?.samplesPerSecond;
    const text = [
      `${this.prefix}epoch ${epoch}/${this.epochs} [${'█'.repeat(filled)}${'░'.repeat(24 - filled)}] ${Math.floor((100 * at) / total)}%`,
      `ETA ${left}`,
      `loss ${loss}`,
      `accuracy ${pct(this.last?.accuracy)}`,
      `${speed === undefined ? '-' : Math.round(speed).toLocaleString('en-US')} samples/s`,
    ];
    this.line.draw(text.join(' · '), now);
  }
}

/**
 * A progress reporter for `fit` in a terminal: a bar over all steps showing the epoch, ETA,
 * loss, accuracy and samples/s, and a line per finished epoch (for long runs, every so many
 * epochs); only the lines when the output is not a terminal. The bar is erased when training
 * ends, so what is printed next follows the epoch lines.
 *
 * @example
 * const data = datasets.moons({ samples: 200 });
 * const model = mlp([2, 16, 2]);
 * fit(model, data, { epochs: 10, progress: progressBar() });
 */
export function progressBar(options: ProgressBarOptions = {}): ProgressReporter {
  const ctx = { where: 'progressBar' };
  checkObject(ctx, 'options', options);
  const stream = options.stream ?? process.stderr;
  if (typeof (stream as Partial<TerminalStream> | null)?.write !== 'function')
    fail(ctx, 'stream', 'a writable stream such as process.stderr', stream, TypeError);
  if (options.tty !== undefined && typeof options.tty !== 'boolean')
    fail(ctx, 'tty', 'true or false', options.tty, TypeError);
  const every = options.every;
  if (every !== undefined && !(Number.isInteger(every) && every >= 1))
    fail(ctx, 'every', 'a whole number ≥ 1', every, TypeError);
  const line = (options.tty ?? Boolean(stream.isTTY)) ? new BarLine(stream) : undefined;
  let bar: Bar | undefined;
  let lines: EpochLines | undefined;
  return {
    start(info) {
      const prefix =
        info.runs !== undefined && info.runs > 1 ? `run ${info.run}/${info.runs} ` : '';
      const print = (text: string): void =>
        line === undefined ? void stream.write(`${prefix}${text}\n`) : line.print(prefix + text);
      lines = new EpochLines(every ?? epochLineInterval(info.epochs), info.epochs, print);
      bar = line && new Bar(line, prefix, info.epochs, info.batches);
    },
    batch(info: BatchInfo) {
      bar?.batch(info);
    },
    epoch(info: EpochInfo) {
      bar?.epoch(info);
      lines?.epoch(info);
    },
    end() {
      lines?.end();
      line?.clear();
      bar = lines = undefined;
    },
  };
}
