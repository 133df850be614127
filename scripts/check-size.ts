// The size budget (STYLE.md, "Small files, a visible budget"), run by `npm test` as `npm run size`.
// Lists every source file in src/, playground/src/, bench/, scripts/ and test/ over 400 lines and
// every function, method or arrow function whose body spans over 80 lines, and fails on any that
// scripts/size-allow.json does not name with a reason — and on any entry there that is no longer
// needed, so the list stays short. Keys are "path" for a file and "path:function" for a function.
//
//   npx tsx scripts/check-size.ts            check (exit 1 on a finding)
//   npx tsx scripts/check-size.ts --list     also print what the allow-list lets through
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;
const ROOTS = ['src', 'playground/src', 'bench', 'scripts', 'test'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'results', 'screenshots', 'coverage']);
const SOURCE = /\.(?:[mc]?ts|tsx|[mc]?js|jsx)$/;
/** Callbacks that group tests rather than compute: their length is the number of tests. */
const GROUPS = new Set(['describe', 'describe.each', 'describe.skip', 'describe.only', 'suite']);

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const allowPath = join(root, 'scripts', 'size-allow.json');

/** One file or function over its budget. */
interface Finding {
  key: string;
  lines: number;
  budget: number;
}

function sourceFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(join(root, dir), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : sourceFiles(path);
    return entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** The text of a property name or binding name, or undefined when it is computed. */
function nameOf(name: ts.Node | undefined): string | undefined {
  if (name === undefined) return undefined;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return undefined;
}

/** The dotted callee of a call (`describe`, `describe.each`, `it`), or undefined. */
function calleeName(call: ts.CallExpression): string | undefined {
  let callee: ts.Expression = call.expression;
  if (ts.isCallExpression(callee)) callee = callee.expression; // describe.each(table)(…)
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) {
    const left = ts.isIdentifier(callee.expression) ? callee.expression.text : '…';
    return `${left}.${callee.name.text}`;
  }
  return undefined;
}

/** A readable name for a function-like node, relative to its enclosing named function. */
function functionName(node: ts.FunctionLikeDeclaration): string {
  const own = nameOf(node.name);
  const parent = node.parent;
  if (ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isSetAccessor(node)) {
    const container = ts.isClassLike(parent) ? nameOf(parent.name) : undefined;
    return container ? `${container}.${own ?? '?'}` : (own ?? '?');
  }
  if (ts.isConstructorDeclaration(node)) {
    return `${ts.isClassLike(parent) ? (nameOf(parent.name) ?? 'class') : 'class'}.constructor`;
  }
  if (own) return own;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) {
    return nameOf(parent.name) ?? '(anonymous)';
  }
  if (ts.isPropertyDeclaration(parent)) {
    const container = ts.isClassLike(parent.parent) ? nameOf(parent.parent.name) : undefined;
    return `${container ? `${container}.` : ''}${nameOf(parent.name) ?? '?'}`;
  }
  if (ts.isCallExpression(parent)) {
    const callee = calleeName(parent) ?? 'call';
    const first = parent.arguments[0];
    const label = first && ts.isStringLiteralLike(first) ? `'${first.text}'` : '…';
    return `${callee}(${label})`;
  }
  return '(anonymous)';
}

/** Whether the function is the body of a describe(…) block, which only groups tests. */
function isTestGroup(node: ts.FunctionLikeDeclaration): boolean {
  const parent = node.parent;
  return ts.isCallExpression(parent) && GROUPS.has(calleeName(parent) ?? '');
}

function functionFindings(path: string, text: string): Finding[] {
  const kind = /\.[mc]?jsx?$/.test(path) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  const visit = (node: ts.Node, outer: string | undefined): void => {
    let scope = outer;
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const fn = node as ts.FunctionLikeDeclaration;
      const body = fn.body as ts.Node;
      // A describe(…) block only groups tests: its tests are named without it.
      const name = isTestGroup(fn) ? undefined : functionName(fn);
      scope = name === undefined ? outer : outer ? `${outer}/${name}` : name;
      if (scope !== undefined && name !== undefined) {
        const count = (seen.get(scope) ?? 0) + 1;
        seen.set(scope, count);
        if (count > 1) scope = `${scope}#${count}`;
      }
      const start = source.getLineAndCharacterOfPosition(body.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(body.getEnd()).line;
      const lines = end - start + 1;
      if (lines > MAX_FUNCTION_LINES && name !== undefined) {
        findings.push({ key: `${path}:${scope}`, lines, budget: MAX_FUNCTION_LINES });
      }
    }
    ts.forEachChild(node, (child) => visit(child, scope));
  };
  visit(source, undefined);
  return findings;
}

function readAllowList(): Map<string, string> {
  const raw: unknown = JSON.parse(readFileSync(allowPath, 'utf8'));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error(
      `${relative(root, allowPath)}: expected an object of "path[:function]": "reason"`,
    );
  }
  const allow = new Map<string, string>();
  for (const [key, reason] of Object.entries(raw)) {
    if (typeof reason !== 'string' || reason.trim() === '') {
      throw new Error(`${relative(root, allowPath)}: "${key}" needs a reason (a non-empty string)`);
    }
    allow.set(key, reason);
  }
  return allow;
}

function describe(finding: Finding): string {
  const over = finding.lines - finding.budget;
  return `${finding.key}: ${finding.lines} lines, ${over} over the ${finding.budget}-line budget`;
}

function main(): number {
  const findings: Finding[] = [];
  for (const path of ROOTS.flatMap(sourceFiles).sort()) {
    const text = readFileSync(join(root, path), 'utf8');
    const lines = lineCount(text);
    if (lines > MAX_FILE_LINES) findings.push({ key: path, lines, budget: MAX_FILE_LINES });
    findings.push(...functionFindings(path, text));
  }
  const allow = readAllowList();
  const over = findings.filter((finding) => !allow.has(finding.key));
  const allowed = findings.filter((finding) => allow.has(finding.key));
  const found = new Set(findings.map((finding) => finding.key));
  const stale = [...allow.keys()].filter((key) => !found.has(key));

  if (process.argv.includes('--list')) {
    for (const finding of allowed) {
      process.stdout.write(`allowed  ${describe(finding)} (${allow.get(finding.key)})\n`);
    }
  }
  for (const finding of over) process.stdout.write(`over     ${describe(finding)}\n`);
  for (const key of stale) {
    process.stdout.write(`stale    ${key}: within budget now (or gone); remove it from the list\n`);
  }
  if (over.length > 0 || stale.length > 0) {
    process.stdout.write(
      `size: ${over.length} over budget, ${stale.length} stale in scripts/size-allow.json. Split ` +
        `by meaning (STYLE.md §9), or add "path[:function]": "reason" for a table of data.\n`,
    );
    return 1;
  }
  process.stdout.write(
    `size: every file within ${MAX_FILE_LINES} lines and every function within ` +
      `${MAX_FUNCTION_LINES}, but ${allowed.length} allowed in scripts/size-allow.json\n`,
  );
  return 0;
}

process.exitCode = main();
