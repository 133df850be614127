/**
 * The digits page's pictures: a 28 × 28 input drawn as the network sees it, the ten class
 * probabilities as bars, and the test digits to click.
 *
 * @module
 */

const SIDE = 28;

/** Draws 784 values in [0, 1] into a 28 × 28 canvas: dark ink on white, as the pad shows it. */
export function drawInput(canvas: HTMLCanvasElement, pixels: ArrayLike<number>): void {
  canvas.width = canvas.height = SIDE;
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  const img = ctx.createImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const v = Math.round(255 * (1 - Math.min(1, Math.max(0, pixels[i]))));
    img.data.set([v, v, v, 255], 4 * i);
  }
  ctx.putImageData(img, 0, 0);
}

const percent = (p: number): string => `${(100 * p).toFixed(1)}%`;

/** The ten rows of the bars, made once: digit, bar, percentage. */
export function buildBars(list: HTMLElement): void {
  list.replaceChildren(
    ...Array.from({ length: 10 }, (_, d) => {
      const li = document.createElement('li');
      li.dataset.digit = String(d);
      li.innerHTML = `<span class="digit">${d}</span><span class="bar"><span></span></span><span class="p">–</span>`;
      return li;
    }),
  );
}

/**
 * Shows the probabilities on the bars (each row's `data-p` holds its number, for the tests), the
 * most likely digit marked, and says the prediction in `verdict`; no probabilities: blank bars.
 */
export function showBars(
  list: HTMLElement,
  verdict: HTMLElement,
  p: Float32Array | undefined,
): void {
  const best = p === undefined ? -1 : p.indexOf(Math.max(...p));
  list.querySelectorAll<HTMLLIElement>('li').forEach((li, d) => {
    const v = p?.[d];
    li.dataset.p = v === undefined ? '' : String(v);
    li.classList.toggle('best', d === best);
    (li.querySelector('.bar > span') as HTMLElement).style.width = `${100 * (v ?? 0)}%`;
    (li.querySelector('.p') as HTMLElement).textContent = v === undefined ? '–' : percent(v);
    li.setAttribute('aria-label', v === undefined ? `${d}` : `${d}: ${percent(v)}`);
  });
  verdict.textContent = p === undefined ? '' : `It reads ${best} (${percent(p[best])} sure).`;
}

/**
 * The test digits as buttons (keyboard: Tab to one, Enter to predict it); `pick(i)` runs for the
 * i-th one.
 */
export function buildGallery(
  root: HTMLElement,
  pixels: Float32Array,
  labels: readonly number[],
  pick: (i: number) => void,
): void {
  root.replaceChildren(
    ...labels.map((label, i) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'test-digit';
      button.dataset.index = String(i);
      button.setAttribute('aria-label', `test digit ${i + 1}, labelled ${label}`);
      const canvas = document.createElement('canvas');
      drawInput(canvas, pixels.subarray(i * 784, (i + 1) * 784));
      button.append(canvas);
      button.addEventListener('click', () => pick(i));
      return button;
    }),
  );
}
