import cliProgress from 'cli-progress';
import type { BatchInfo, EpochInfo, ProgressReporter } from '../train/types.js';

/** Options of the terminal progress reporter. */
export interface ProgressBarOptions {
  /** Where to write (default process.stderr). */
  stream?: NodeJS.WriteStream;
  /** Draw a bar (default: when the stream is a terminal); otherwise print one line per epoch. */
  tty?: boolean;
}

function pct(v: number | undefined): string {
  return v === undefined ? '-' : `${(v * 100).toFixed(1)}%`;
}

function describeEpoch(e: EpochInfo, epochs: number): string {
  const parts = [`epoch ${e.epoch}/${epochs}`, `loss ${e.loss.toFixed(4)}`];
  if (e.accuracy !== undefined) parts.push(`accuracy ${pct(e.accuracy)}`);
  if (e.valLoss !== undefined) parts.push(`val loss ${e.valLoss.toFixed(4)}`);
  if (e.valAccuracy !== undefined) parts.push(`val accuracy ${pct(e.valAccuracy)}`);
  parts.push(
    `${Math.round(e.samplesPerSecond).toLocaleString('en-US')} samples/s`,
    `${e.seconds.toFixed(1)} s`,
  );
  return parts.join(' · ');
}

/**
 * A progress reporter for `fit` in a terminal: a bar over all steps showing the epoch, loss,
 * accuracy, samples/s and ETA, and a line per finished epoch; plain lines when the output is not
 * a terminal.
 *
 * @example
 * const data = datasets.moons({ samples: 200 });
 * const model = mlp([2, 16, 2]);
 * fit(model, data, { epochs: 10, progress: progressBar() });
 */
export function progressBar(options: ProgressBarOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? Boolean(stream.isTTY);
  let bar: cliProgress.SingleBar | undefined;
  let epochs = 0;
  let batches = 0;
  let prefix = '';
  let windowStart = 0;
  let windowSamples = 0;
  let rate = 0;
  let last: Partial<EpochInfo> = {};
  return {
    start(info) {
      epochs = info.epochs;
      batches = info.batches;
      prefix = info.runs !== undefined && info.runs > 1 ? `run ${info.run}/${info.runs} ` : '';
      windowStart = performance.now();
      windowSamples = 0;
      if (tty) {
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: `${prefix}epoch {epoch}/${epochs} [{bar}] {percentage}% · loss {loss} · accuracy {accuracy} · {rate} samples/s · ETA {eta_formatted}`,
            barsize: 24,
            hideCursor: true,
            clearOnComplete: false,
            etaBuffer: 50,
            fps: 10,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(epochs * batches, 0, { epoch: 1, loss: '-', accuracy: '-', rate: '-' });
      }
    },
    batch(info: BatchInfo) {
      windowSamples += info.size;
      const now = performance.now();
      if (now - windowStart > 500) {
        rate = (windowSamples * 1000) / (now - windowStart);
        windowStart = now;
        windowSamples = 0;
      }
      bar?.update((info.epoch - 1) * batches + info.batch, {
        epoch: info.epoch,
        loss: info.loss.toFixed(4),
        accuracy: pct(last.accuracy),
        rate:
          rate > 0 || last.samplesPerSecond
            ? Math.round(rate > 0 ? rate : (last.samplesPerSecond ?? 0)).toLocaleString('en-US')
            : '-',
      });
    },
    epoch(info: EpochInfo) {
      last = info;
      if (bar !== undefined) {
        bar.update((info.epoch - 1) * batches + batches, { accuracy: pct(info.accuracy) });
        // Print the finished epoch above the bar.
        stream.write('\r\x1b[2K');
        stream.write(`${prefix}${describeEpoch(info, epochs)}\n`);
        bar.render();
      } else {
        stream.write(`${prefix}${describeEpoch(info, epochs)}\n`);
      }
    },
    end() {
      bar?.stop();
      bar = undefined;
    },
  };
}
