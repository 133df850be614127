/**
 * The drawing pad: the user draws a digit with a mouse, a finger or a pen (Pointer Events), in a
 * thick round stroke, on a canvas of fixed resolution whatever its size on screen. Its ink is the
 * canvas's alpha channel, which `centreDigit` turns into the network's input.
 *
 * @module
 */

/** The stroke's width as a share of the pad's side: about MNIST's strokes once scaled to 20 px. */
const STROKE = 0.085;

export class DrawingPad {
  private readonly ctx: CanvasRenderingContext2D;
  private last: [number, number] | undefined;

  /** `onInk` runs after every change of the drawing (at most once a frame). */
  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly onInk: () => void,
  ) {
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (ctx === null) throw new Error('the drawing pad has no 2-D canvas context');
    this.ctx = ctx;
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    for (const type of ['pointerup', 'pointercancel'] as const)
      canvas.addEventListener(type, () => (this.last = undefined));
  }

  /** The ink, 0 (none) to 1, row by row over the canvas's pixels. */
  ink(): Float32Array {
    const { width, height } = this.canvas;
    const rgba = this.ctx.getImageData(0, 0, width, height).data;
    const out = new Float32Array(width * height);
    for (let i = 0; i < out.length; i++) out[i] = rgba[4 * i + 3] / 255;
    return out;
  }

  clear(): void {
    this.ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.last = undefined;
    this.changed();
  }

  private at(e: PointerEvent): [number, number] {
    const r = this.canvas.getBoundingClientRect();
    return [
      ((e.clientX - r.left) / r.width) * this.canvas.width,
      ((e.clientY - r.top) / r.height) * this.canvas.height,
    ];
  }

  private down(e: PointerEvent): void {
    if (e.button !== 0) return;
    e.preventDefault();
    this.canvas.setPointerCapture(e.pointerId);
    this.last = this.at(e);
    this.line(this.last, this.last);
  }

  private move(e: PointerEvent): void {
    if (this.last === undefined) return;
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    for (const ev of events.length > 0 ? events : [e]) {
      const to = this.at(ev);
      this.line(this.last, to);
      this.last = to;
    }
  }

  private line(from: [number, number], to: [number, number]): void {
    const c = this.ctx;
    c.strokeStyle = '#1d2330';
    c.lineWidth = STROKE * this.canvas.width;
    c.lineCap = 'round';
    c.lineJoin = 'round';
    c.beginPath();
    c.moveTo(from[0], from[1]);
    c.lineTo(to[0], to[1]);
    c.stroke();
    this.changed();
  }

  private pending = false;

  private changed(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.onInk();
    });
  }
}
