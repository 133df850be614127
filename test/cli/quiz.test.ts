import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repo, type Run } from './spawn.js';

const TSX = join(repo, 'node_modules', 'tsx', 'dist', 'loader.mjs');

/** `nabla ...args` with `input` piped to its standard input. */
function quiz(input: string, ...args: string[]): Run {
  const r = spawnSync(
    process.execPath,
    ['--import', TSX, join(repo, 'src', 'cli', 'main.ts'), 'explain', '--quiz', ...args],
    {
      cwd: repo,
      input,
      encoding: 'utf8',
      env: { ...process.env, NABLA_DEBUG: '' },
      timeout: 120_000,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The right answers to (x + y)·z at x = −2, y = 5, z = −4, in backward order. */
const ADD_MUL = ['-4', '-4', '3', '3', '1', '-4', '1', '-4'];

describe('nabla explain --quiz', () => {
  it('prints the circuit, checks every answer piped in, and gives a full score', () => {
    const r = quiz(`${ADD_MUL.join('\n')}\n`, 'add-mul');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('f = q1 · z = −12');
    expect(r.stdout).toContain('[1/8] ∂f/∂q1, the local gradient of f = q1 · z with respect to q1');
    expect(r.stdout.match(/✓/g)).toHaveLength(8);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('score: 8/8');
  });

  it('names the mistake: a wrong branch, then a retry', () => {
    // What f sends back to q1 is −4; 3 is what it sends to z.
    const answers = ['-4', '3', '-4', ...ADD_MUL.slice(2)];
    const r = quiz(`${answers.join('\n')}\n`, 'add-mul');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✗ that is what f sends to z; this blank is what it sends to q1');
    expect(r.stdout).toContain('score: 8/8 (1 after a hint)');
  });

  it('reveals a step on ?, and scores what is left unanswered', () => {
    const r = quiz('?\n-4\n', 'add-mul');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('step: ∂f/∂q1 = z = −4');
    expect(r.stdout).toContain('score: 1/8 (1 revealed, 6 not answered)');
  });

  it('asks the sum over paths in the staged example, and says when a path is left out', () => {
    const r = quiz('1.583\n', 'staged:22');
    expect(r.stdout).toContain('given: ∂f/∂q2, the local gradient');
    expect(r.stdout).toContain('[1/1] ∂f/∂x, the total gradient of x (it feeds q4, q3, q2)');
    expect(r.stdout).toMatch(/✗ that leaves out a path/);
  });

  it('random circuits are reproducible by seed', () => {
    const a = quiz('', 'random', '--size', '5', '--seed', '7');
    const b = quiz('', 'random', '--seed=7', '--size=5');
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('exercise random-5-7: a random circuit of 5 gates (seed 7)');
    expect(b.stdout).toBe(a.stdout);
  });

  it.each([
    [['nope'], /--quiz: exercise code "nope": unknown circuit/],
    [['random', '--size', '99'], /--size must be at most 12, got 99/],
    [['staged', '--seed', '1'], /--size and --seed go with --quiz random/],
  ])('%j is a one-line usage error', (args, message) => {
    const r = quiz('', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
