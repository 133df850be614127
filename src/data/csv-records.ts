/**
 * The record layer of CSV (RFC 4180): text to rows of cells, each with the line it starts on.
 * What the cells mean (header, features, labels) is csv.ts's business.
 */

/** One record of the file: its cells and the (1-based) line it starts on. */
export interface Row {
  cells: string[];
  line: number;
}

/** A quoted field read: its value, where the text after it starts, and the line there. */
interface QuotedField {
  value: string;
  end: number;
  line: number;
}

/**
 * Splits CSV text into records (RFC 4180): fields separated by `delimiter`; a field in double
 * quotes may hold the delimiter, line breaks and doubled quotes (""); lines end in LF, CRLF or
 * CR. Unquoted fields are trimmed of surrounding spaces and tabs. Blank lines are skipped.
 */
export function tokenize(text: string, delimiter: string, name: string): Row[] {
  const rows: Row[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark
  let line = 1;
  while (i < n) {
    // Blank lines, quickly (a file of nothing but line breaks must not take long).
    const c = text[i];
    if (c === '\n' || c === '\r') {
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    const start = line;
    const cells: string[] = [];
    let blank = true;
    for (;;) {
      // One field, starting at i.
      let j = i;
      while (j < n && (text[j] === ' ' || text[j] === '\t') && text[j] !== delimiter) j++;
      if (j < n && text[j] === '"') {
        blank = false;
        const field = readQuoted(text, j, line, delimiter, name, cells.length + 1);
        cells.push(field.value);
        line = field.line;
        i = field.end;
      } else {
        let k = i;
        while (k < n && text[k] !== delimiter && text[k] !== '\n' && text[k] !== '\r') k++;
        const value = text.slice(i, k).trim();
        if (value !== '' || text[k] === delimiter) blank = false;
        cells.push(value);
        i = k;
      }
      if (i < n && text[i] === delimiter) {
        i++;
        continue;
      }
      // End of record: a line break or the end of the text.
      if (i < n && text[i] === '\r') i++;
      if (i < n && text[i] === '\n') i++;
      line++;
      break;
    }
    if (!blank) rows.push({ cells, line: start });
  }
  return rows;
}

/**
 * The quoted field whose opening quote is at `open`, on line `line`, through its closing quote and
 * any spaces after it; `name` (the data's) and `column` (1-based) place errors.
 */
function readQuoted(
  text: string,
  open: number,
  line: number,
  delimiter: string,
  name: string,
  column: number,
): QuotedField {
  const n = text.length;
  const opened = line;
  let value = '';
  let k = open + 1;
  for (;;) {
    const q = text.indexOf('"', k);
    if (q === -1) {
      throw new Error(
        `${name}: line ${opened}, column ${column}: a quoted field is never closed (missing ")`,
      );
    }
    const chunk = text.slice(k, q);
    for (let c = 0; c < chunk.length; c++) {
      const ch = chunk.charCodeAt(c);
      if (ch === 10 || (ch === 13 && chunk.charCodeAt(c + 1) !== 10)) line++;
    }
    value += chunk;
    if (text[q + 1] === '"') {
      value += '"';
      k = q + 2;
    } else {
      k = q + 1;
      break;
    }
  }
  while (k < n && (text[k] === ' ' || text[k] === '\t') && text[k] !== delimiter) k++;
  if (k < n && text[k] !== delimiter && text[k] !== '\n' && text[k] !== '\r') {
    throw new Error(
      `${name}: line ${line}, column ${column}: unexpected ${JSON.stringify(text[k])} after a closing quote ` +
        '(a quote inside a quoted field is written as "")',
    );
  }
  return { value, end: k, line };
}
