// The shell blocks of the README and the guides, checked without running them (they train for
// minutes and serve pages): every `nabla` command they show exists and takes the flags shown, every
// file of the repository they name is there, and every `npm run` script is in package.json.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/program.js';
import { markdownBlocks, markdownFiles, ROOT } from './extract.js';

/** One command of a shell block: where it is, and its words (quotes kept together, comment cut). */
interface Command {
  where: string;
  words: string[];
}

function commands(): Command[] {
  return markdownFiles().flatMap((file) =>
    markdownBlocks(readFileSync(join(ROOT, file), 'utf8'))
      .filter((b) => b.language === 'sh')
      .flatMap((b) =>
        b.code.flatMap((row, i) =>
          row
            .replace(/\s#.*$/, '')
            .split('&&')
            .map((part) => ({
              where: `${file}:${b.line + i}`,
              words: part.match(/"[^"]*"|\S+/g) ?? [],
            }))
            .filter((c) => c.words.length > 0),
        ),
      ),
  );
}

/** What `nabla ...args` prints to stdout, and its exit code, run in this process. */
async function nabla(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  try {
    return { code: await main(args), stdout };
  } finally {
    write.mockRestore();
  }
}

const all = commands();
const shown = all.filter((c) => c.words[0] === 'npx' && c.words[1] === 'nabla');

describe('the shell blocks of the README and the guides', () => {
  it('show nabla commands', () => {
    expect(shown.length).toBeGreaterThan(15);
  });

  it.for(shown.map((c) => [c.where, c] as const))(
    '%s: the command and its flags exist',
    async ([, c]) => {
      const args = c.words.slice(2);
      const command = args[0]?.startsWith('-') ? [] : args.slice(0, 1);
      const help = await nabla([...command, '--help']);
      expect(help.code, c.words.join(' ')).toBe(0);
      for (const flag of args.filter((w) => /^--?[a-zA-Z]/.test(w))) {
        // An expression's variables are flags of their own name: `explain "x * y" --x 2 --y 3`.
        if (command[0] === 'explain' && /^--\w$/.test(flag)) continue;
        expect(help.stdout, `${c.where}: ${flag}`).toMatch(
          new RegExp(`(^|[\\s,\\[])${flag.replace(/[-]/g, '\\-')}\\b`),
        );
      }
      // The repository's files it names (a `csv:` data spec included) are there.
      for (const word of args) {
        const path = word.replace(/^csv:/, '');
        if (/^(examples|data|docs)\//.test(path))
          expect(existsSync(join(ROOT, path)), path).toBe(true);
      }
    },
  );

  it('run only npm scripts that package.json has', () => {
    const scripts = Object.keys(
      (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: object }).scripts,
    );
    const runs = all.filter((c) => c.words[0] === 'npm' && c.words[1] === 'run');
    expect(runs.length).toBeGreaterThan(3);
    for (const c of runs)
      expect(scripts, c.where).toContain(c.words[c.words[2] === '--silent' ? 3 : 2]);
  });
});
