// `nabla explain` writes circuit pictures whose fanned-out wires carry their own branch gradients
// (issue 13): CS231n's staged example f = (x + σ(y)) / (σ(x) + (x + y)²) at x = 3, y = −4.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runNabla } from './spawn.js';

const out = mkdtempSync(join(tmpdir(), 'nabla-explain-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('nabla explain pictures', () => {
  it('label each branch of x with its own gradient and show their sum on x', () => {
    const file = (name: string): string => join(out, name);
    const r = runNabla([
      'explain',
      '(x + sigmoid(y)) / (sigmoid(x) + (x + y)^2)',
      '--x',
      '3',
      '--y',
      '-4',
      '--dot',
      file('staged.dot'),
      '--mermaid',
      file('staged.mmd'),
      '--svg',
      file('staged.svg'),
      '--png',
      file('staged.png'),
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('∂f/∂x = 1.583 − 0.03576 + 0.5121 = 2.06\n');
    expect(r.stdout).toContain('∂q5/∂q4 = 2·q4 = −2;');
    expect(r.stdout).toContain(`wrote the circuit diagram to ${file('staged.mmd')} (Mermaid)`);
    const red = (s: string): string => `<font color="#c0392b">${s}</font>`;
    const dot = readFileSync(file('staged.dot'), 'utf8');
    expect(dot).toContain(`  n0 -> n5 [label=<3<br/>${red('1.583')}>];`);
    expect(dot).toContain(`  n0 -> n4 [label=<3<br/>${red('−0.03576')}>];`);
    expect(dot).toContain(`  n0 -> n3 [label=<3<br/>${red('0.5121')}>];`);
    expect(dot).toContain(red('1.583 − 0.03576 + 0.5121 = 2.06'));
    expect(dot).toContain('gradients add where paths meet');
    const svg = readFileSync(file('staged.svg'), 'utf8');
    for (const text of ['1.583', '−0.03576', '0.5121', '1.583 − 0.03576 + 0.5121 = 2.06'])
      expect(svg).toContain(`>${text}</text>`);
    expect(readFileSync(file('staged.mmd'), 'utf8')).toContain('n0 -- "3 / ∂ −0.03576" --> n4');
    expect(existsSync(file('staged.png'))).toBe(true);
    expect(readFileSync(file('staged.png')).subarray(1, 4).toString()).toBe('PNG');
  });
});
