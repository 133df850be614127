import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from '../../src/index.js';
import { runNabla } from './spawn.js';

// The command line a checkpoint records is read back by --resume: a field of the wrong sort or
// value is one line naming the file and the field, never an internal crash or a huge allocation.

const root = mkdtempSync(join(tmpdir(), 'nabla-saved-flags-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const nabla = (...args: string[]) => runNabla(args, root);

describe('the flags a checkpoint recorded', () => {
  const out = join(root, 'run');
  const checkpoints = join(out, 'checkpoints');
  const file = join(checkpoints, 'checkpoint.safetensors');

  /** Rewrites the checkpoint with `meta.flags.<field>` set to `value`, and resumes from it. */
  function resumeWith(original: Uint8Array, field: string, value: unknown) {
    const { tensors, metadata } = decodeSafetensors(original);
    const description = JSON.parse(metadata['nabla.checkpoint']);
    description.meta.flags[field] = value;
    const json = JSON.stringify(description);
    writeFileSync(file, encodeSafetensors(tensors, { ...metadata, 'nabla.checkpoint': json }));
    return nabla('train', '--resume', checkpoints, '--no-progress');
  }

  it('are checked for their sorts and values, naming the file and the field', () => {
    const args = ['--data', 'xor', '--epochs', '2', '--checkpoint-every', '5', '--max-steps', '5'];
    expect(nabla('train', ...args, '--out', out, '--no-progress').code).toBe(0);
    const original = new Uint8Array(readFileSync(file));
    const cases: [string, unknown, string][] = [
      ['lr', 0.1, `"meta.flags.lr" is 0.1; expected a string`],
      ['data', 42, `"meta.flags.data" is 42; expected a string`],
      ['plots', 'yes', `"meta.flags.plots" is "yes"; expected true or false`],
      ['seed', '1e30', 'the flags it recorded (meta.flags) do not work: --seed must be at most'],
      ['samples', '1e18', 'do not work: --samples 1000000000000000000 would need about'],
      ['lr', 'fast', 'the flags it recorded (meta.flags) do not work: --lr must be a number'],
    ];
    for (const [field, value, message] of cases) {
      const r = resumeWith(original, field, value);
      expect(r.stderr, `${field} = ${JSON.stringify(value)}`).toContain(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.code).not.toBe(0);
    }
    writeFileSync(file, original);
    expect(nabla('train', '--resume', checkpoints, '--no-progress').code).toBe(0);
  }, 120_000);
});

describe('flags out of range', () => {
  it('--seed beyond what a generator takes is a usage error (exit 2)', () => {
    const r = nabla('train', '--data', 'xor', '--seed', '1e30', '--no-progress');
    expect(r.stderr).toBe('nabla: --seed must be at most 9007199254740991, got 1e+30\n');
    expect(r.code).toBe(2);
  });

  it('an unknown command is one line and exit 2', () => {
    const r = nabla('frobnicate');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    expect(r.code).toBe(2);
  });
});
