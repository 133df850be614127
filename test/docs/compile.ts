// Type-checks the @example blocks of src/ in one TypeScript program: each wrapped as a module
// that imports the package's names (and its own file's), placed in memory beside test/docs.
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { namesInScope, PACKAGE_ENTRIES, ROOT, splitImports, type Example } from './extract.js';

/** Where the wrapped examples live for the compiler (in memory only: nothing is written). */
const VIRTUAL_DIR = join(ROOT, 'test', 'docs', '__examples__');

export const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2022.d.ts'],
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noImplicitOverride: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
  // The wrappers import every exported name, types included, in one plain import.
  verbatimModuleSyntax: false,
  isolatedModules: false,
};

/** The names in scope of one example: the package's, then its own file's, which win. */
export interface Scope {
  /** Module (relative to the repository root, `src/index.ts`) → names taken from it. */
  imports: Map<string, string[]>;
}

/** Exported names of each module, read with one type checker. */
export function exportedNames(program: ts.Program, files: string[]): Map<string, string[]> {
  const checker = program.getTypeChecker();
  const names = new Map<string, string[]>();
  for (const file of files) {
    const source = program.getSourceFile(join(ROOT, file));
    const symbol = source && checker.getSymbolAtLocation(source);
    names.set(
      file,
      symbol
        ? checker
            .getExportsOfModule(symbol)
            .map((s) => s.name)
            .filter((n) => n !== 'default')
        : [],
    );
  }
  return names;
}

export function scopeOf(example: Example, exports: Map<string, string[]>): Scope {
  return { imports: namesInScope(example, (file) => exports.get(file) ?? []) };
}

/**
 * The example as a module for the compiler: its imports, one import of the names in scope per
 * module, then its code inside a block (so that its declarations may shadow imported names).
 * Returns the text and the line (0-based) where the example's first code line lands.
 */
export function wrapForTypes(example: Example, scope: Scope, at: string): [string, number] {
  const { imports, body } = splitImports(example);
  // `from 'nabla'` (a Markdown block's import) is the source entry it stands for.
  const head = imports.map((row) =>
    row.replace(/(['"])(nabla(?:\/node|\/viz)?)\1/, (_, quote: string, name: string) => {
      const path = relative(dirname(at), join(ROOT, PACKAGE_ENTRIES[name]));
      return `${quote}${path.replace(/\.ts$/, '.js')}${quote}`;
    }),
  );
  for (const [module, names] of scope.imports) {
    if (names.length === 0) continue;
    const specifier = relative(dirname(at), join(ROOT, module)).replace(/\.ts$/, '.js');
    head.push(`import { ${names.join(', ')} } from '${specifier}';`);
  }
  head.push('{');
  return [[...head, ...body, '}', 'export {};', ''].join('\n'), head.length];
}

export interface Diagnostic {
  example: Example;
  /** `src/ops/loss.ts:47: TS2304 Cannot find name 'model'.` */
  message: string;
}

/**
 * Type-checks every example in one program (the package's sources parsed once). Returns the
 * diagnostics, each placed at its example's file and line.
 */
export function typeCheck(examples: Example[]): { diagnostics: Diagnostic[] } {
  const sources = examples.map((e) => e.file).filter((file) => file.endsWith('.ts'));
  const files = [...new Set([...Object.values(PACKAGE_ENTRIES), ...sources])];
  const host = ts.createCompilerHost(COMPILER_OPTIONS, true);
  const first = ts.createProgram(
    files.map((file) => join(ROOT, file)),
    COMPILER_OPTIONS,
    host,
  );
  const exports = exportedNames(first, files);
  const scopes = examples.map((example) => scopeOf(example, exports));

  const virtual = new Map<string, { text: string; offset: number; example: Example }>();
  examples.forEach((example, i) => {
    const path = join(VIRTUAL_DIR, `example-${i}.ts`);
    const [text, offset] = wrapForTypes(example, scopes[i], path);
    virtual.set(path, { text, offset, example });
  });
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  const withExamples: ts.CompilerHost = {
    ...host,
    fileExists: (path) => virtual.has(path) || fileExists(path),
    readFile: (path) => virtual.get(path)?.text ?? readFile(path),
    getSourceFile: (path, language, onError, create) => {
      const entry = virtual.get(path);
      return entry
        ? ts.createSourceFile(path, entry.text, language)
        : getSourceFile(path, language, onError, create);
    },
  };
  const program = ts.createProgram({
    rootNames: [...first.getRootFileNames(), ...virtual.keys()],
    options: COMPILER_OPTIONS,
    host: withExamples,
    oldProgram: first,
  });
  const diagnostics: Diagnostic[] = [];
  for (const [path, { offset, example }] of virtual) {
    const source = program.getSourceFile(path)!;
    const found = [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ];
    for (const d of found) {
      const row =
        d.start === undefined ? offset : source.getLineAndCharacterOfPosition(d.start).line;
      const index = Math.min(Math.max(row - offset, 0), example.lines.length - 1);
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      diagnostics.push({
        example,
        message: `${example.file}:${example.lines[index] ?? example.line}: TS${d.code} ${text}`,
      });
    }
  }
  return { diagnostics };
}
