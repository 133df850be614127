// A small terminal-screen emulator: replays what a program wrote to a terminal and gives the
// text a person would read afterwards (the scrollback and the screen, top to bottom).
//
// It knows what progress bars use: printable text with line wrapping (DECAWM, \x1b[?7h/l), \r,
// \n, \b, erasing in the line and below (\x1b[K, \x1b[J), cursor moves (\x1b[nA/B/C/D/G/H),
// saving and restoring the cursor (\x1b7/\x1b8, \x1b[s/\x1b[u, in screen coordinates as a real
// terminal keeps them) and showing or hiding it (\x1b[?25h/l). Colours and other modes are
// ignored. Every character is taken as one column wide.

/** A terminal of `columns` × `rows` with an unbounded scrollback above it. */
class Screen {
  private readonly buffer: string[][] = [[]];
  /** The buffer's index of the screen's first row. */
  private top = 0;
  private row = 0;
  private col = 0;
  private wrap = true;
  /** The last column was written: the next character goes to the next line (as xterm does). */
  private pendingWrap = false;
  private saved = { row: 0, col: 0 };

  constructor(
    private readonly columns: number,
    private readonly rows: number,
  ) {}

  /** The cells of the cursor's line. */
  private line(): string[] {
    while (this.buffer.length <= this.top + this.row) this.buffer.push([]);
    return this.buffer[this.top + this.row];
  }

  private lineFeed(): void {
    if (this.row === this.rows - 1) this.top++;
    else this.row++;
    this.line();
  }

  private erase(from: number, to: number): void {
    const cells = this.line();
    for (let c = from; c < Math.min(to, cells.length); c++) cells[c] = ' ';
  }

  print(ch: string): void {
    if (this.pendingWrap) {
      this.col = 0;
      this.lineFeed();
      this.pendingWrap = false;
    }
    const cells = this.line();
    while (cells.length < this.col) cells.push(' ');
    cells[this.col] = ch;
    if (this.col < this.columns - 1) this.col++;
    else this.pendingWrap = this.wrap;
  }

  /** A control character or an escape sequence (without its \x1b). */
  control(code: string): void {
    this.pendingWrap = false;
    if (code === '\r') this.col = 0;
    else if (code === '\n') this.lineFeed();
    else if (code === '\b') this.col = Math.max(0, this.col - 1);
    else if (code === '7' || code === '[s') this.saved = { row: this.row, col: this.col };
    else if (code === '8' || code === '[u') ({ row: this.row, col: this.col } = this.saved);
    else if (code.startsWith('[?')) {
      if (code.slice(2, -1) === '7') this.wrap = code.endsWith('h');
    } else if (code.startsWith('[')) this.csi(code.slice(1, -1), code.slice(-1));
  }

  private csi(params: string, final: string): void {
    const numbers = params.split(';').map((p) => Number(p) || 0);
    const n = Math.max(1, numbers[0]);
    const { rows, columns } = this;
    if (final === 'A') this.row = Math.max(0, this.row - n);
    else if (final === 'B') this.row = Math.min(rows - 1, this.row + n);
    else if (final === 'C') this.col = Math.min(columns - 1, this.col + n);
    else if (final === 'D') this.col = Math.max(0, this.col - n);
    else if (final === 'G') this.col = Math.min(columns - 1, n - 1);
    else if (final === 'H' || final === 'f') {
      this.row = Math.min(rows - 1, n - 1);
      this.col = Math.min(columns - 1, Math.max(1, numbers[1] ?? 1) - 1);
    } else if (final === 'K') {
      if (numbers[0] === 0) this.erase(this.col, columns);
      else if (numbers[0] === 1) this.erase(0, this.col + 1);
      else this.erase(0, columns);
    } else if (final === 'J') {
      const below = numbers[0] === 0 ? this.top + this.row + 1 : this.top;
      if (numbers[0] === 0) this.erase(this.col, columns);
      if (numbers[0] === 0 || numbers[0] === 2)
        for (let r = below; r < this.buffer.length; r++) this.buffer[r] = [];
    }
    // 'm' (colours) and the rest change no text
  }

  /** The lines, without trailing spaces, down to the last that holds anything. */
  text(): string[] {
    const text = this.buffer.map((cells) => cells.join('').trimEnd());
    while (text.length > 0 && text[text.length - 1] === '') text.pop();
    return text;
  }
}

/** The lines a person reads after `output` was written to a `columns` × `rows` terminal. */
export function replay(output: string, columns = 100, rows = 30): string[] {
  const screen = new Screen(columns, rows);
  const chars = [...output];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '\x1b' && chars[i + 1] === '[') {
      let j = i + 2;
      while (j < chars.length && !/[@-~]/.test(chars[j])) j++;
      screen.control(chars.slice(i + 1, j + 1).join(''));
      i = j;
    } else if (ch === '\x1b') screen.control(chars[++i] ?? '');
    else if (ch < ' ') screen.control(ch);
    else screen.print(ch);
  }
  return screen.text();
}
