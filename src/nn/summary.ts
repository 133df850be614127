/**
 * The table `Module.summary()` prints: one row a layer (name, description, output shape,
 * parameter count), columns padded to their widest cell, counts right-aligned.
 *
 * @module
 */

/** One layer's row: its dotted name, its `toString()`, its output shape (or '-') and count. */
export type SummaryRow = [name: string, type: string, shape: string, parameters: number];

/** The rows as a table with a header, rules and the total number of parameters. */
export function summaryTable(rows: readonly SummaryRow[], total: number): string {
  const cells = [
    ['layer', 'type', 'output shape', 'parameters'],
    ...rows.map(([name, type, shape, n]) => [name, type, shape, n.toLocaleString('en-US')]),
  ];
  const widths = cells[0].map((_, c) => Math.max(...cells.map((r) => r[c].length)));
  const line = (r: string[]): string =>
    r.map((cell, c) => (c === 3 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ');
  const rule = '-'.repeat(widths.reduce((a, b) => a + b + 2, -2));
  return [
    line(cells[0]),
    rule,
    ...cells.slice(1).map(line),
    rule,
    `total parameters: ${total.toLocaleString('en-US')}`,
  ].join('\n');
}
