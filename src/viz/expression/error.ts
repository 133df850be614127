/**
 * The error of a malformed expression or one that cannot be evaluated, pointing at its column.
 *
 * @module
 */

/**
 * A syntax error in an expression, or an expression that cannot be evaluated (a variable without
 * a value). The first line of `message` says everything essential, including the column
 * (`explain: unexpected '*' at column 6; …`); the next two lines repeat the source with a caret
 * under that column.
 */
export class ExpressionError extends Error {
  /** The 1-based column (UTF-16 code unit) the error points at. */
  readonly column: number;
  /** The expression as given ('' when the error was raised without it). */
  readonly source: string;

  /**
   * @param headline - the first line, ending in or containing `at column N`
   * @param column - 1-based
   * @param source - the expression; without it, the message is the headline alone
   */
  constructor(headline: string, column: number, source?: string) {
    super(
      source === undefined
        ? headline
        : `${headline}\n  ${source.replace(/\s/g, ' ')}\n  ${' '.repeat(Math.max(0, column - 1))}^`,
    );
    this.name = 'ExpressionError';
    this.column = column;
    this.source = source ?? '';
  }
}
