// The TSDoc @example blocks of src/: found in the comments, with the line of each code line.
// examples.test.ts type-checks them (compile.ts) and runs them (run.ts).
//
// What an example may say, besides plain code:
// - the names the package exports (from `nabla`, or `nabla/node` for src/node and src/cli) and
//   the exports of the file that holds the example are in scope, unqualified, except the names of
//   `nabla/viz` (outside src/node and src/cli): an example imports those from 'nabla/viz', as a
//   user's code must;
// - `import … from 'node:…'` lines, for Node-only examples;
// - `expr; // => value` (or `// ≈ value`) claims that expr equals value, and `statement; // out =
//   value` (or `≈`) that the variable `out` holds value after the statement. A number matches to
//   the digits written (`0.2395` holds for 0.23954), a tensor by its toArray(), a typed array by
//   its elements; prose may follow the value (`// => 12   (3x²)`, `// => [1, 2], the first row`);
// - `statement; // throws …` (or `// RangeError: …`) claims that the statement throws, with a
//   message holding the words after it (`…` stands for any text); a line `// throws` alone says
//   the example as a whole throws;
// - a line `// not run: reason` keeps the example type-checked but not run (data files it reads).
//
// The TypeScript and JavaScript code blocks of README.md and docs/*.md run the same way, importing
// from `nabla`, `nabla/viz` and `nabla/node` as a user's code does (resolved to src/index.ts,
// src/viz.ts and src/node.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Example {
  /** The file that holds the example, relative to the repository root (`src/ops/loss.ts`). */
  file: string;
  /** The line in that file of the example's first code line (1-based). */
  line: number;
  /** The example's code lines, without the comment's ` * ` and code fences. */
  code: string[];
  /** The 1-based line in `file` of each code line. */
  lines: number[];
  /** Whether the example says it throws. */
  throws: boolean;
  /** Why it is not run, when it says `// not run: …`. */
  notRun?: string;
  /** Node-only (src/node, src/cli): imports `nabla/node` instead of `nabla`. */
  node: boolean;
}

/** Every .ts file under src/, relative to the repository root. */
export function sourceFiles(dir = 'src'): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true })
    .flatMap((entry) => {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) return sourceFiles(path);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
    })
    .sort();
}

/** The @example blocks of one file's JSDoc comments. */
export function extractExamples(file: string, text: string): Example[] {
  const examples: Example[] = [];
  const comment = /\/\*\*[\s\S]*?\*\//g;
  for (let match = comment.exec(text); match !== null; match = comment.exec(text)) {
    if (!match[0].includes('@example')) continue;
    const firstLine = text.slice(0, match.index).split('\n').length;
    const rows = match[0].split('\n').map((row, i) => ({
      // `/**`, ` * `, `*/` removed; code keeps its own indentation after the ` * `.
      text: row
        .replace(/^\s*\/\*\*\s?/, '')
        .replace(/\s*\*\/\s*$/, '')
        .replace(/^\s*\* ?/, ''),
      line: firstLine + i,
    }));
    let current: Example | undefined;
    for (const row of rows) {
      if (/^@\w+/.test(row.text)) {
        if (current) examples.push(current);
        current = row.text.startsWith('@example')
          ? { file, line: row.line + 1, code: [], lines: [], throws: false, node: isNode(file) }
          : undefined;
        continue;
      }
      if (!current || /^\s*```/.test(row.text)) continue;
      current.code.push(row.text);
      current.lines.push(row.line);
    }
    if (current) examples.push(current);
  }
  for (const example of examples) {
    while (example.code.length > 0 && example.code.at(-1)!.trim() === '') {
      example.code.pop();
      example.lines.pop();
    }
    while (example.code.length > 0 && example.code[0].trim() === '') {
      example.code.shift();
      example.lines.shift();
    }
    if (example.lines.length > 0) example.line = example.lines[0];
    // A `// throws` alone on its line says the example as a whole throws.
    example.throws = example.code.some((row) => /^\s*\/\/\s*throws\b/.test(row));
    const notRun = example.code.map((row) => /^\s*\/\/\s*not run:\s*(.*)$/.exec(row)).find(Boolean);
    if (notRun) example.notRun = notRun[1];
  }
  return examples;
}

function isNode(file: string): boolean {
  return file.startsWith('src/node/') || file.startsWith('src/cli/') || file === 'src/node.ts';
}

/** The Markdown files whose code blocks run as tests: the README and the guides. */
export function markdownFiles(): string[] {
  const guides = readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md'));
  return ['README.md', ...guides.sort().map((name) => `docs/${name}`)];
}

/** The package's entries, as a user's code imports them, and the sources they stand for. */
export const PACKAGE_ENTRIES: Record<string, string> = {
  nabla: 'src/index.ts',
  'nabla/viz': 'src/viz.ts',
  'nabla/node': 'src/node.ts',
};

/**
 * The names an example finds in scope unimported: its entry's (`nabla`, or `nabla/node` for
 * Node-only code), then its own file's, which win — except those `nabla/viz` exports, which a
 * browser example imports as a user's code must. `exports` maps a source file to its exports.
 */
export function namesInScope(
  example: Example,
  exports: (file: string) => readonly string[],
): Map<string, string[]> {
  const entry = example.node ? PACKAGE_ENTRIES['nabla/node'] : PACKAGE_ENTRIES.nabla;
  const imported = importedByExample(example);
  const viz = new Set(example.node ? [] : exports(PACKAGE_ENTRIES['nabla/viz']));
  const own = (example.file === entry ? [] : exports(example.file)).filter(
    (name) => !imported.has(name) && !viz.has(name),
  );
  const mine = new Set(own);
  const fromEntry = exports(entry).filter((name) => !imported.has(name) && !mine.has(name));
  return new Map([
    [entry, fromEntry],
    [example.file, own],
  ]);
}

/** A fenced code block of a Markdown file: its language, first code line (1-based) and lines. */
export interface Block {
  language: string;
  line: number;
  code: string[];
}

/** The fenced code blocks of a Markdown text. */
export function markdownBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let current: Block | undefined;
  text.split('\n').forEach((row, i) => {
    const fence = /^```(\w*)\s*$/.exec(row);
    if (fence && !current) current = { language: fence[1], line: i + 2, code: [] };
    else if (fence && current) {
      blocks.push(current);
      current = undefined;
    } else current?.code.push(row);
  });
  return blocks;
}

/**
 * The TypeScript and JavaScript blocks of a Markdown file, as examples: they import from `nabla`
 * or `nabla/node` as a user's code does, and run against the sources.
 */
export function markdownExamples(file: string, text: string): Example[] {
  return markdownBlocks(text)
    .filter((b) => ['ts', 'typescript', 'js', 'javascript'].includes(b.language))
    .map((b) => ({
      file,
      line: b.line,
      code: b.code,
      lines: b.code.map((_, i) => b.line + i),
      throws: false,
      node: b.code.some((row) => /from ['"]nabla\/node['"]/.test(row)),
    }));
}

/** Every @example in src/, then every code block of the README and the guides. */
export function allExamples(): Example[] {
  return [
    ...sourceFiles().flatMap((file) =>
      extractExamples(file, readFileSync(join(ROOT, file), 'utf8')),
    ),
    ...markdownFiles().flatMap((file) =>
      markdownExamples(file, readFileSync(join(ROOT, file), 'utf8')),
    ),
  ];
}

export const IMPORT_LINE = /^\s*import\s+(?:type\s+)?([\s\S]+?)\s+from\s+['"]([^'"]+)['"];?\s*$/;

/** The names an example imports itself (they replace the package's names of the same spelling). */
export function importedByExample(example: Example): Set<string> {
  const names = new Set<string>();
  for (const row of example.code) {
    const m = IMPORT_LINE.exec(row);
    if (!m) continue;
    for (const name of m[1].match(/[A-Za-z_$][\w$]*/g) ?? []) names.add(name);
  }
  return names;
}

/** The example's own import lines, and its other lines (imports blanked, to keep line numbers). */
export function splitImports(example: Example): { imports: string[]; body: string[] } {
  const imports = example.code.filter((row) => IMPORT_LINE.test(row));
  const body = example.code.map((row) => (IMPORT_LINE.test(row) ? '' : row));
  return { imports, body };
}
