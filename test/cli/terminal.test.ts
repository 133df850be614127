/**
 * `nabla train` in a real terminal: run under a pseudo-terminal (util-linux `script`), its raw
 * output replayed through a small screen emulator must read in order — the run's header, the
 * epoch lines, then the summary (or, after Ctrl-C, the message) — with no progress bar left over.
 * A long toy-data run prints an epoch line every so many epochs, not one per epoch.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nativeAddon } from '../../src/node/native.js';
import { replay } from './screen.js';
import { repo, runNabla } from './spawn.js';

const work = mkdtempSync(join(tmpdir(), 'nabla-terminal-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const TSX = join(repo, 'node_modules', 'tsx', 'dist', 'loader.mjs');
const COLUMNS = 160;
const ROWS = 24;
const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** `script`'s arguments to run `nabla ...args` on a COLUMNS × ROWS pseudo-terminal. */
function inTerminal(args: readonly string[]): string[] {
  const nabla = [process.execPath, '--import', TSX, join(repo, 'src', 'cli', 'main.ts'), ...args];
  const command = `stty cols ${COLUMNS} rows ${ROWS} && exec ${nabla.map(quote).join(' ')}`;
  return ['-qec', command, '/dev/null'];
}

/** Starts `nabla ...args` in a terminal; `react` sees the raw output as it grows. */
function runInTerminal(
  args: readonly string[],
  react: (raw: string, type: (keys: string) => void) => void = () => {},
): Promise<{ code: number | null; raw: string }> {
  const child = spawn('script', inTerminal(args), {
    cwd: repo,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NABLA_DEBUG: '' },
  });
  let raw = '';
  const type = (keys: string): void => void child.stdin.write(keys);
  child.stdout.on('data', (d: Buffer) => {
    raw += d.toString();
    react(raw, type);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
  return new Promise((done) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      child.stdin.end();
      done({ code, raw });
    }),
  );
}

/** The epoch of an epoch line ("epoch 12/40 · loss …"), else undefined. */
function epochOf(line: string, epochs: number): number | undefined {
  const m = new RegExp(`^epoch (\\d+)/${epochs} · loss `).exec(line);
  return m === null ? undefined : Number(m[1]);
}

/** Checks the header and returns the lines after it. */
function afterHeader(screen: string[], epochs: number, out: string): string[] {
  expect(screen[0]).toMatch(/^nabla train: xor — \d+ training, \d+ validation, \d+ test examples$/);
  expect(screen[1]).toMatch(/^network 2-16-16-2 /);
  expect(screen[2]).toMatch(new RegExp(`, up to ${epochs} epochs, seed 0, backend `));
  expect(screen[3]).toBe(`writing to ${out}`);
  return screen.slice(4);
}

/** No line holds any part of a progress bar. */
function expectNoBar(screen: string[]): void {
  for (const line of screen) expect(line).not.toMatch(/[█░]|ETA|\^C/);
}

describe('the screen emulator', () => {
  it('keeps a restored cursor in screen coordinates, as the old bar misused it', () => {
    // Saved on line 1, restored after two more lines: the next line overwrites line 2.
    expect(replay('a\x1b7\r\nb\r\nc\x1b8\r\nX', 10, 5)).toEqual(['a', 'X', 'c']);
    // On a full screen the saved row keeps its place as the text scrolls up past it.
    expect(replay('1\r\n2\x1b7\r\n3\r\n4\x1b8X', 10, 2)).toEqual(['1', '2', '3', '4X']);
  });

  it('wraps at the last column, erases, and moves the cursor', () => {
    expect(replay('abcdef', 4, 5)).toEqual(['abcd', 'ef']);
    expect(replay('\x1b[?7labcdef\x1b[?7h', 4, 5)).toEqual(['abcf']);
    expect(replay('bar 50%\r\x1b[2Kdone\r\n', 20, 5)).toEqual(['done']);
    expect(replay('one\r\ntwo\x1b[1A\x1b[1G\x1b[KONE\x1b[?25l', 20, 5)).toEqual(['ONE', 'two']);
  });
});

describe.skipIf(!hasScript)('nabla train in a terminal', { timeout: 60_000 }, () => {
  it('reads in order: the epoch lines, then the summary, and no bar is left', async () => {
    const out = join(work, 'xor');
    const { code, raw } = await runInTerminal([
      'train',
      '--data',
      'xor',
      '--epochs',
      '40',
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    expect(raw).toMatch(/epoch \d+\/40 \[[█░]+\]/); // a bar was drawn while it trained
    const screen = replay(raw, COLUMNS, ROWS);
    const rest = afterHeader(screen, 40, out);
    const epochs = rest.slice(0, -3).map((line) => epochOf(line, 40));
    expect(epochs).not.toContain(undefined);
    // The first, every second, the last, and a new best validation loss after a plateau.
    expect(epochs.filter((e) => e === 1 || e! % 2 === 0)).toEqual([
      1,
      ...Array.from({ length: 20 }, (_, i) => 2 * (i + 1)),
    ]);
    expect(epochs).toEqual([...epochs].sort((a, b) => a! - b!));
    rest.forEach((line, i) => {
      if (epochs[i]! % 2 === 1 && epochs[i] !== 1) expect(line).toMatch(/ · new best val loss$/);
    });
    expect(rest.slice(-3)).toEqual([
      expect.stringMatching(/^trained 40 epochs \(all, best epoch \d+\) in [\d.]+ s: /),
      expect.stringMatching(/^test loss [\d.]+, test accuracy [\d.]+% \(\d+ examples\)$/),
      `saved the model, history.csv and summary.json in ${out}`,
    ]);
    expectNoBar(screen);
  });

  it.skipIf(nativeAddon() === undefined)(
    'after Ctrl-C: the epoch lines, the last finished epoch, the message, and no bar',
    async () => {
      const out = join(work, 'interrupted');
      let pressed = false;
      const { code, raw } = await runInTerminal(
        ['train', '--data', 'xor', '--epochs', '100000', '--out', out],
        (text, type) => {
          // Ctrl-C once the bar has shown a few epochs: the terminal sends SIGINT.
          if (!pressed && /epoch [3-9]\d*\/100000 \[/.test(text)) {
            pressed = true;
            type('\x03');
          }
        },
      );
      expect(pressed).toBe(true);
      expect(code).toBe(130);
      const screen = replay(raw, COLUMNS, ROWS);
      const rest = afterHeader(screen, 100000, out);
      expect(rest).toEqual([
        expect.stringMatching(/^epoch 1\/100000 · loss /),
        expect.stringMatching(/^epoch ([3-9]|\d\d+)\/100000 · loss /),
        expect.stringMatching(/^nabla: interrupted at step \d+; nothing saved /),
      ]);
      expectNoBar(screen);
    },
  );

  it('a 300-epoch toy run prints about 30 epoch lines, not 300', () => {
    const r = runNabla(['train', '--data', 'xor', '--out', join(work, 'long')]);
    expect(r.code).toBe(0);
    const epochs = r.stderr
      .trimEnd()
      .split('\n')
      .map((line) => epochOf(line, 300));
    expect(epochs).not.toContain(undefined);
    expect(epochs.filter((e) => e === 1 || e! % 10 === 0)).toEqual([
      1,
      ...Array.from({ length: 30 }, (_, i) => 10 * (i + 1)),
    ]);
    expect(epochs.length).toBeLessThanOrEqual(45);
    expect(r.stdout).toMatch(/^trained 300 epochs /m);
  });
});
