/**
 * The network view between its full drawings while training runs: the neurons' pictures (the
 * worker's newest, pictures.ts) written into the SVG already on the page, one attribute each,
 * instead of building the diagram again. The weights' lines, tooltips and edit targets follow at
 * the next full drawing, a few times a second.
 */

/** While training runs, the whole diagram is drawn again at most this often (ms). */
export const FULL_DRAWING_EVERY_MS = 400;

/**
 * Sets the picture of every neuron `g.neuron[data-layer][data-index] > image` under `root` to
 * `images[layer][index]`. Returns false (and changes nothing) when the diagram on the page has
 * other neurons than `images` — a new network, which needs a full drawing.
 */
export function refreshNeuronImages(root: Element, images: readonly string[][]): boolean {
  const found = root.querySelectorAll<SVGImageElement>('g.neuron > image');
  const count = images.reduce((n, layer) => n + layer.length, 0);
  if (found.length === 0 || found.length !== count) return false;
  const targets: [SVGImageElement, string][] = [];
  for (const image of found) {
    const g = image.parentElement!;
    const href = images[Number(g.dataset.layer)]?.[Number(g.dataset.index)];
    if (href === undefined) return false;
    targets.push([image, href]);
  }
  for (const [image, href] of targets)
    if (image.getAttribute('href') !== href) image.setAttribute('href', href);
  return true;
}

/** The network view's schedule: a full drawing, or only the pictures while training runs. */
export class NetworkDrawer {
  private fullAt = -Infinity;

  constructor(
    private readonly root: HTMLElement,
    private readonly full: () => void,
  ) {}

  /** Draws the network: in full when not `running`, when due, or when the network changed. */
  draw(images: readonly string[][], running: boolean): void {
    const now = performance.now();
    if (running && now - this.fullAt < FULL_DRAWING_EVERY_MS)
      if (refreshNeuronImages(this.root, images)) return;
    this.full();
    this.fullAt = now;
  }
}
