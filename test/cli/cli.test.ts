import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ACTIVATIONS } from '../../src/nn/index.js';
import { OPTIMIZER_NAMES } from '../../src/optim/index.js';
import { repo, runNabla, type Run } from './spawn.js';

const out = mkdtempSync(join(tmpdir(), 'nabla-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const nabla = (...args: string[]): Run => runNabla(args);

describe('the nabla command', () => {
  it('has help for each command', () => {
    const top = nabla('--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/train .*evaluate .*predict/s);
    for (const cmd of ['train', 'evaluate', 'predict']) {
      const r = nabla(cmd, '--help');
      expect(r.code, cmd).toBe(0);
      expect(r.stdout).toContain(`Usage: nabla ${cmd}`);
    }
  });

  it('prints its version with --version and -V, from package.json', () => {
    const { version } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      const r = nabla(flag);
      expect(r.code, flag).toBe(0);
      expect(r.stdout, flag).toBe(`${version}\n`);
    }
  });

  it.each([
    [['train', '--bogus'], /unknown option '--bogus'/],
    [['train', '--lr', '-1'], /--lr must be greater than 0, got -1/],
    [['train', '--lr', 'fast'], /--lr must be a number, got "fast"/],
    [['train', '--batch-size', '0'], /--batch-size must be at least 1, got 0/],
    [
      ['train', '--optimizer', 'lion'],
      /--optimizer must be one of sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw/,
    ],
    [['train', '--data', 'imagenet'], /unknown --data "imagenet"/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('%j is a one-line error with exit code 2', (args, message) => {
    const r = nabla(...(args as string[]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('train --help lists every activation, optimizer and loss the flags accept', () => {
    const help = nabla('train', '--help').stdout;
    // The text of one option's help, up to the next option.
    const block = (flag: string): string => help.slice(help.indexOf(flag)).split(/\n\s+--/)[0];
    for (const name of ACTIVATIONS) expect(block('--activation'), name).toContain(`"${name}"`);
    for (const name of OPTIMIZER_NAMES) expect(block('--optimizer'), name).toContain(`"${name}"`);
    for (const name of ['crossEntropy', 'mse']) expect(block('--loss')).toContain(`"${name}"`);
  });

  it.each([
    [
      ['train', '--activation', 'swish'],
      `--activation must be one of ${ACTIVATIONS.join(', ')}, got "swish"`,
    ],
    [['train', '--loss', 'hinge'], '--loss must be one of crossEntropy, mse, got "hinge"'],
  ])('%j names the choices in one line, exit code 2', (args, message) => {
    const r = nabla(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`nabla: ${message}\n`);
  });

  it('a missing file is a one-line error with exit code 1', () => {
    const r = nabla('train', '--data', 'csv:/no/such/file.csv');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/\/no\/such\/file\.csv/);
  });

  it('trains on toy data, writes the model, history and summary; evaluate and predict use them', () => {
    const dir = join(out, 'xor');
    const r = nabla(
      'train',
      '--data',
      'xor',
      '--epochs',
      '60',
      '--hidden',
      '8',
      '--lr',
      '0.03',
      '--out',
      dir,
      '--no-progress',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/test accuracy (9\d|100)\.\d+%/);
    for (const f of ['model.json', 'model.safetensors', 'history.csv', 'summary.json'])
      expect(existsSync(join(dir, f)), f).toBe(true);
    const history = readFileSync(join(dir, 'history.csv'), 'utf8').trim().split('\n');
    expect(history[0]).toBe(
      'epoch,loss,accuracy,val_loss,val_accuracy,lr,seconds,samples_per_second',
    );
    expect(history).toHaveLength(61);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(summary.test.accuracy).toBeGreaterThan(0.9);

    const ev = nabla('evaluate', dir);
    expect(ev.code).toBe(0);
    expect(ev.stdout).toMatch(/accuracy (9\d|100)\.\d+%/);
    expect(ev.stdout).toContain('confusion matrix');

    const input = join(out, 'points.csv');
    writeFileSync(input, 'x,y\n0.5,0.5\n-0.5,0.5\n');
    const pr = nabla('predict', dir, '--input', input);
    expect(pr.code).toBe(0);
    const rows = pr.stdout.trim().split('\n');
    expect(rows[0]).toBe('row,class,probability,probability_0,probability_1');
    expect(rows.slice(1).map((l) => l.split(',').slice(0, 2))).toEqual([
      ['1', '0'],
      ['2', '1'],
    ]);
    // Each row: its class's probability, then every class's, which sum to 1.
    for (const row of rows.slice(1)) {
      const [, k, p, ...all] = row.split(',').map(Number);
      expect(p).toBe(all[k]);
      expect(all[0] + all[1]).toBeCloseTo(1, 3);
    }
    const json = nabla('predict', dir, '--input', input, '--format', 'json');
    expect(json.code).toBe(0);
    const objects = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { row: number; class: string; probabilities: number[] });
    expect(objects.map((o) => [o.row, o.class])).toEqual([
      [1, '0'],
      [2, '1'],
    ]);
    // --json, the older spelling, still works; at odds with --format it is a usage error.
    expect(nabla('predict', dir, '--input', input, '--json').stdout).toBe(json.stdout);
    const odds = nabla('predict', dir, '--input', input, '--json', '--format', 'csv');
    expect(odds.code).toBe(2);
    expect(odds.stderr).toMatch(/--json asks for --format json, but --format is csv/);
  });

  it('trains on a CSV file with text labels', () => {
    const csv = join(out, 'blobs.csv');
    const lines = ['a,b,kind'];
    for (let i = 0; i < 150; i++) {
      const k = i % 3;
      lines.push(
        `${(k * 3 + Math.sin(i)).toFixed(3)},${(k * -2 + Math.cos(i * 1.3)).toFixed(3)},${['red', 'green', 'blue'][k]}`,
      );
    }
    writeFileSync(csv, lines.join('\n'));
    const dir = join(out, 'blobs');
    const r = nabla(
      'train',
      '--data',
      `csv:${csv}`,
      '--epochs',
      '40',
      '--out',
      dir,
      '--no-progress',
      '--lr',
      '0.01',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/test accuracy 100\.00%/);
    const bad = join(out, 'bad.csv');
    writeFileSync(bad, 'a,b,kind\n1,2,red\n3,x,green\n');
    const e = nabla('train', '--data', `csv:${bad}`);
    expect(e.code).toBe(1);
    expect(e.stderr).toMatch(/bad\.csv: line 3, column "b": "x" is not a number/);
  });

  it('explain prints the steps of the backward pass and writes the circuit', () => {
    const svg = join(out, 'circuit.svg');
    const dot = join(out, 'circuit.dot');
    const r = nabla(
      'explain',
      '(x + y) * z',
      '--x',
      '-2',
      '--y',
      '5',
      '--z',
      '-4',
      '--svg',
      svg,
      '--dot',
      dot,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('forward: f = −12');
    expect(r.stdout).toContain('∂f/∂q1 = z = −4;  upstream × local = 1 × −4 = −4');
    expect(r.stdout).toMatch(/∂f\/∂x = −4\n∂f\/∂y = −4\n∂f\/∂z = 3/);
    expect(readFileSync(dot, 'utf8')).toContain('label=<×>');
    expect(readFileSync(svg, 'utf8')).toContain('>−12</text>');
    const sig = nabla(
      'explain',
      '1 / (1 + exp(-(w0*x0 + w1*x1 + w2)))',
      '--w0',
      '2',
      '--w1',
      '-3',
      '--w2',
      '-3',
      '--x0',
      '-1',
      '--x1',
      '-2',
    );
    expect(sig.code).toBe(0);
    expect(sig.stdout).toMatch(/∂f\/∂w0 = −0\.1966/);
  });

  it('explain points at the column of a syntax error, and names a missing value', () => {
    const r = nabla('explain', '(x + * y)', '--x', '1', '--y', '2');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^nabla: unexpected '\*' at column 6/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const m = nabla('explain', 'x * y', '--x', '1');
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/no value for y; pass --y NUMBER/);
  });

  it('train --plots writes the charts, with the decision boundary for 2-D data', () => {
    const dir = join(out, 'plots');
    const r = nabla(
      'train',
      '--data',
      'moons',
      '--epochs',
      '20',
      '--plots',
      '--out',
      dir,
      '--no-progress',
    );
    expect(r.code).toBe(0);
    for (const name of ['loss', 'accuracy', 'gradient-norms', 'decision-boundary']) {
      expect(
        readFileSync(join(dir, `${name}.png`))
          .subarray(1, 4)
          .toString(),
      ).toBe('PNG');
      expect(readFileSync(join(dir, `${name}.svg`), 'utf8')).toContain('<svg');
    }
    expect(readFileSync(join(dir, 'loss.svg'), 'utf8')).toContain('validation loss');
    expect(readFileSync(join(dir, 'gradient-norms.svg'), 'utf8')).toContain('0.weight');
  });
});
