import { writeFileAtomicSync } from '../node/files.js';
import { toDot, toMermaid } from '../viz/dot.js';
import { explainBackward, explainLatex, explainMarkdown, explainText } from '../viz/explain.js';
import {
  evaluateExpression,
  ExpressionError,
  formatExpression,
  parseExpression,
  variables,
} from '../viz/expression.js';
import { renderSvg } from '../viz/svg.js';
import type { Trace } from '../viz/trace.js';
import { numberFlag, UsageError } from './errors.js';
import { quizCommand } from './quiz.js';
import { explainConvCommand } from './explain-conv.js';

/** The flags `nabla explain` itself takes; every other `--name VALUE` is a variable. */
const OWN = new Set(['--svg', '--dot', '--png', '--format', '--mermaid']);

/** Splits `explain` arguments into the expression, the variables' values and the command's own flags. */
export function parseExplainArgs(args: readonly string[]): {
  expression: string;
  values: Record<string, number>;
  own: Record<string, string>;
} {
  let expression: string | undefined;
  const values: Record<string, number> = {};
  const own: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith('--') && a.length > 2) {
      const [flag, inline] = a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`${flag} needs a value`);
      if (OWN.has(flag)) own[flag.slice(2)] = value;
      else values[flag.slice(2)] = numberFlag(value, flag);
    } else if (expression === undefined) {
      expression = a;
    } else {
      throw new UsageError(
        `unexpected argument ${JSON.stringify(a)}; quote the expression, e.g. nabla explain "(x + y) * z"`,
      );
    }
  }
  if (expression === undefined)
    throw new UsageError(
      'explain needs an expression, e.g. nabla explain "(x + y) * z" --x -2 --y 5 --z -4',
    );
  return { expression, values, own };
}

/** Runs `fn`, turning an expression's error (a mistake in the command line) into a usage error. */
function asUsage<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ExpressionError)
      throw new UsageError(e.message.split('\n')[0].replace(/^explain: /, ''));
    throw e;
  }
}

/** The explanation's renderers, by the names `--format` takes. */
const RENDERERS = { text: explainText, markdown: explainMarkdown, latex: explainLatex } as const;

function renderer(format: string): (typeof RENDERERS)[keyof typeof RENDERERS] {
  if (!Object.hasOwn(RENDERERS, format))
    throw new UsageError(`--format must be text, markdown or latex, got ${JSON.stringify(format)}`);
  return RENDERERS[format as keyof typeof RENDERERS];
}

/** A PNG of the circuit's SVG, twice its size, on white. */
async function pngOf(svg: string): Promise<Uint8Array> {
  const { Resvg } = await import('@resvg/resvg-js');
  return new Resvg(svg, {
    fitTo: { mode: 'zoom', value: 2 },
    background: 'white',
    font: { loadSystemFonts: true },
  })
    .render()
    .asPng();
}

/**
 * Writes the circuit diagram to the files `--dot`, `--mermaid`, `--svg` and `--png` name. Every
 * picture labels a fanned-out value's wires with their own branch gradients and shows their sum.
 */
async function writeCircuit(
  t: Trace,
  title: string,
  own: Record<string, string>,
  log: (line: string) => void,
): Promise<void> {
  const dot = toDot(t, { title });
  if (own.mermaid !== undefined) {
    writeFileAtomicSync(own.mermaid, toMermaid(t));
    log(`wrote the circuit diagram to ${own.mermaid} (Mermaid)`);
  }
  if (own.dot !== undefined) {
    writeFileAtomicSync(own.dot, dot);
    log(`wrote the circuit diagram to ${own.dot} (Graphviz DOT)`);
  }
  if (own.svg === undefined && own.png === undefined) return;
  const svg = await renderSvg(dot);
  if (own.svg !== undefined) {
    writeFileAtomicSync(own.svg, svg);
    log(`wrote the circuit diagram to ${own.svg}`);
  }
  if (own.png !== undefined) {
    writeFileAtomicSync(own.png, await pngOf(svg));
    log(`wrote the circuit diagram to ${own.png}`);
  }
}

/**
 * `nabla explain EXPR --x 1 …`: computes a scalar expression, backpropagates, prints the
 * step-by-step explanation and writes the circuit diagram.
 */
export async function explainCommand(
  args: readonly string[],
  log: (line: string) => void = console.log,
): Promise<void> {
  if (args.some((a) => a === '--quiz' || a.startsWith('--quiz='))) return quizCommand(args, log); // an exercise (quiz.ts)
  if (args[0] === 'conv') return explainConvCommand(args.slice(1), log); // the convolution lesson
  const { expression, values, own } = parseExplainArgs(args);
  const expr = asUsage(() => parseExpression(expression));
  const names = variables(expr);
  const unknown = Object.keys(values).filter((v) => !names.includes(v));
  if (unknown.length > 0)
    throw new UsageError(
      `--${unknown[0]} is not a variable of ${formatExpression(expr)} (its variables: ${names.join(', ') || 'none'})`,
    );
  const { output } = asUsage(() => evaluateExpression(expr, values, { source: expression }));
  if (!output.requiresGrad) {
    log(
      `${formatExpression(expr)} = ${output.item()} (a constant: there is nothing to differentiate)`,
    );
    return;
  }
  const explanation = explainBackward(output);
  const render = renderer(own.format ?? 'text');
  log(`f = ${formatExpression(expr)}`);
  log(render(explanation).trimEnd());
  await writeCircuit(explanation.trace, `f = ${formatExpression(expr)}`, own, log);
}
