// Runs the @example blocks of src/: each becomes the body of an async function, its claims
// (`// => value`, `// out = value`, `// throws …`) turned into checks. See extract.ts.
import ts from 'typescript';
import { IMPORT_LINE, splitImports, type Example } from './extract.js';

/** `expr; // => value` or `expr; // ≈ value`: a claim that expr equals value. */
const CLAIM = /^(\s*)(.+?);?\s*\/\/\s*(?:=>|≈)\s*(.+?)\s*$/;
/** `statement; // name = value` or `// name ≈ value`: a claim about a variable after it. */
const STATE = /^(\s*)(.+?;)\s*\/\/\s*([A-Za-z_$][\w$]*)\s*(?:=(?!=)|≈)\s*(.+?)\s*$/;
/** A line `statement; // throws …` or `// RangeError: …` becomes a check that it throws so. */
const THROWS = /^(\s*)(.+?);?\s*\/\/\s*((?:throws\b|[A-Z]\w*Error\b).*?)\s*$/;

/**
 * Whether `text` is one value as a claim writes it: an expression that is neither a comma list
 * (`[1], rounded`) nor a literal called on prose (`12 (halved)`).
 */
function isExpression(text: string): boolean {
  const source = ts.createSourceFile('claim.ts', `(\n${text}\n);`, ts.ScriptTarget.Latest);
  const diagnostics = (source as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics;
  if (diagnostics.length > 0 || source.statements.length !== 1) return false;
  const statement = source.statements[0];
  if (!ts.isExpressionStatement(statement)) return false;
  let value: ts.Expression = statement.expression;
  while (ts.isParenthesizedExpression(value)) value = value.expression;
  if (ts.isBinaryExpression(value) && value.operatorToken.kind === ts.SyntaxKind.CommaToken) {
    return false;
  }
  return !(
    ts.isCallExpression(value) &&
    !ts.isIdentifier(value.expression) &&
    !ts.isPropertyAccessExpression(value.expression)
  );
}

/**
 * The value a claim states, as JavaScript: the longest start of `said` that is an expression and
 * ends where prose may begin (`12   (3x²)`, `[1, 2, 3], the first row`), with each number
 * literal marked with its precision: `0.2395` holds for anything that rounds to it.
 */
export function claimedValue(said: string): string | undefined {
  const quoted = /^(['"])(?:\\.|(?!\1).)*\1/.exec(said); // a string: up to its closing quote
  if (quoted) return isExpression(quoted[0]) ? quoted[0] : undefined;
  const ends = [said.length];
  for (const boundary of ['  ', ' (', ', ', ' — ', ': ', '; ']) {
    for (let at = said.lastIndexOf(boundary); at > 0; at = said.lastIndexOf(boundary, at - 1)) {
      ends.push(at);
    }
  }
  ends.sort((a, b) => b - a);
  for (const end of ends) {
    const text = said.slice(0, end).trim();
    if (text !== '' && isExpression(text)) return /['"`]/.test(text) ? text : precise(text);
  }
  return undefined;
}

/** Number literals in `text` wrapped as `__n(value, decimals)`. */
function precise(text: string): string {
  return text.replace(
    /(?<![\w.$])-?\d+(?:\.(\d+))?(?:e[-+]?\d+)?(?![\w.])/g,
    (literal, decimals: string | undefined) =>
      /e/.test(literal) ? literal : `__n(${literal}, ${decimals?.length ?? 0})`,
  );
}

/** The example as the body of an async function whose parameters are the names in scope. */
export function wrapForRun(example: Example): string {
  const { imports, body } = splitImports(example);
  const checked = body.map((row, i) => {
    const line = example.lines[i];
    if (/^\s*\/\//.test(row)) return row; // a comment line: prose
    const state = STATE.exec(row);
    const stateValue = state && claimedValue(state[4]);
    if (state && stateValue) {
      return `${state[1]}${state[2]} __claim(${state[3]}, ${stateValue}, ${line});`;
    }
    const claim = CLAIM.exec(row);
    const claimValue = claim && claimedValue(claim[3]);
    if (claim && claimValue) return `${claim[1]}__claim(${claim[2]}, ${claimValue}, ${line});`;
    const throws = THROWS.exec(row);
    if (throws) {
      const said = JSON.stringify(throws[3]);
      return `${throws[1]}__throws(() => { ${throws[2]}; }, ${said}, ${line});`;
    }
    return row;
  });
  const js = ts
    .transpileModule(['{', ...checked, '}'].join('\n'), {
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleDetection: ts.ModuleDetectionKind.Force,
        verbatimModuleSyntax: false,
      },
      reportDiagnostics: false,
    })
    .outputText.replace(/^export \{\};\s*$/m, '');
  const loads = imports.map((row) => {
    const [, clause, specifier] = IMPORT_LINE.exec(row)!;
    const spec = JSON.stringify(specifier);
    const star = /^\*\s+as\s+([\w$]+)$/.exec(clause.trim());
    if (star) return `const ${star[1]} = await __import(${spec});`;
    const named = /^\{([\s\S]*)\}$/.exec(clause.trim());
    if (named) {
      const fields = named[1]
        .split(',')
        .map((part) => part.trim().replace(/^type\s+/, ''))
        .filter((part) => part !== '')
        .map((part) => part.replace(/\s+as\s+/, ': '));
      return `const { ${fields.join(', ')} } = await __import(${spec});`;
    }
    return `const { default: ${clause.trim()} } = await __import(${spec});`;
  });
  return [...loads, js].join('\n');
}

/** A number as an example writes it: `0.2395` stands for anything that rounds to it. */
export class Approx {
  readonly tolerance: number;
  constructor(
    readonly value: number,
    decimals: number,
  ) {
    // Half a unit in the last written decimal; whole numbers as exact as float32 allows.
    this.tolerance = decimals > 0 ? 0.5 * 10 ** -decimals * (1 + 1e-9) : Math.abs(value) * 2 ** -23;
  }
}

/** `__n(value, decimals)` of the claims: a number with the precision it was written with. */
export function approx(value: number, decimals: number): Approx {
  return new Approx(value, decimals);
}

/** Whether a value is what an example claims: numbers to their written precision, tensors by values. */
export function claimHolds(actual: unknown, expected: unknown): boolean {
  if (
    typeof actual === 'object' &&
    actual !== null &&
    'toArray' in actual &&
    typeof actual.toArray === 'function'
  ) {
    return claimHolds(actual.toArray(), expected);
  }
  if (expected instanceof Approx) {
    if (typeof actual !== 'number') return false;
    if (Number.isNaN(expected.value)) return Number.isNaN(actual);
    return Math.abs(actual - expected.value) <= expected.tolerance;
  }
  if (typeof actual === 'number' && typeof expected === 'number') {
    if (Number.isNaN(expected)) return Number.isNaN(actual);
    if (actual === expected) return true;
    return Math.abs(actual - expected) <= 5e-5 * Math.max(Math.abs(expected), 1e-12);
  }
  if (ArrayBuffer.isView(actual) && !(actual instanceof DataView)) {
    return claimHolds(Array.from(actual as unknown as ArrayLike<number>), expected);
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length === expected.length && actual.every((a, i) => claimHolds(a, expected[i]));
  }
  if (typeof actual === 'object' && actual !== null && typeof expected === 'object' && expected) {
    const keys = Object.keys(expected);
    return (
      keys.length === Object.keys(actual).length &&
      keys.every((k) => claimHolds((actual as Record<string, unknown>)[k], expected[k as never]))
    );
  }
  return Object.is(actual, expected);
}

/**
 * Whether an error matches what an example says of it: `throws: backward of sqrt … produced
 * Infinity …` or `RangeError: fit: batchSize must be …` — each part between the `…` is in
 * `${error.name}: ${error.message}`, in order.
 */
export function throwsAsSaid(error: unknown, said: string): boolean {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const words = said.replace(/^throws\b[:\s]*/, '');
  let at = 0;
  for (const part of words.split('…').map((p) => p.trim())) {
    if (part === '') continue;
    const found = text.indexOf(part, at);
    if (found < 0) return false;
    at = found + part.length;
  }
  return true;
}
