// Helpers shared by the expression tests (test/viz/expression-*.test.ts).
import { expect } from 'vitest';
import { ExpressionError, evaluateExpression, parseExpression } from '../../src/viz/expression.js';

/** The value of `source` with the variables' `values`. */
export const valueOf = (source: string, values: Record<string, number> = {}): number =>
  evaluateExpression(parseExpression(source), values).output.item();

/** The error `parseExpression(source)` throws. */
export function parseError(source: string): ExpressionError {
  try {
    parseExpression(source);
  } catch (e) {
    expect(e).toBeInstanceOf(ExpressionError);
    return e as ExpressionError;
  }
  throw new Error(`expected ${JSON.stringify(source)} not to parse`);
}

/** The first line of an error's message (its headline). */
export const firstLine = (e: Error): string => e.message.split('\n')[0];
