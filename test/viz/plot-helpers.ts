// A tiny reading of the charts' SVG text, shared by the plot tests (test/viz/plot-*.test.ts).

const unescape = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** The content of the first `<g class="…">` group with that class (nested groups included). */
export function group(svg: string, cls: string): string {
  const start = svg.indexOf(`<g class="${cls}"`);
  if (start < 0) return '';
  const open = svg.indexOf('>', start) + 1;
  const re = /<g[\s>]|<\/g>/g;
  re.lastIndex = open;
  let depth = 1;
  for (let m = re.exec(svg); m !== null; m = re.exec(svg)) {
    depth += m[0] === '</g>' ? -1 : 1;
    if (depth === 0) return svg.slice(open, m.index);
  }
  return svg.slice(open);
}

/** The texts of `<text>` elements, unescaped; with a class, only those of that class. */
export function texts(svg: string, cls?: string): string[] {
  const out: string[] = [];
  const re = /<text([^>]*)>([^<]*)<\/text>/g;
  for (let m = re.exec(svg); m !== null; m = re.exec(svg)) {
    if (cls === undefined || m[1].includes(`class="${cls}"`)) out.push(unescape(m[2]));
  }
  return out;
}

/** The tick labels of an axis. */
export const ticks = (svg: string, axis: 'x' | 'y'): string[] =>
  texts(group(svg, `axis ${axis}-axis`));

/** The legend's names. */
export const legendNames = (svg: string): string[] => texts(group(svg, 'legend'));

/** The series paths: name and the runs of points (each `M…L…` sub-path a list of [x, y]). */
export function seriesPaths(svg: string): { name: string; runs: [number, number][][] }[] {
  const out: { name: string; runs: [number, number][][] }[] = [];
  const re = /<path class="series" data-name="([^"]*)" d="([^"]*)"/g;
  for (let m = re.exec(svg); m !== null; m = re.exec(svg)) {
    const runs = m[2]
      .split('M')
      .filter((r) => r.length > 0)
      .map((r) => r.split('L').map((p) => p.split(' ').map(Number) as [number, number]));
    out.push({ name: unescape(m[1]), runs });
  }
  return out;
}

/** The y pixel of each labelled tick of the y axis, by label. */
export function yTickPixels(svg: string): Map<string, number> {
  const out = new Map<string, number>();
  const re =
    /<line x1="[^"]*" x2="[^"]*" y1="([^"]*)" y2="[^"]*" stroke="#444"\/><text class="tick"[^>]*>([^<]*)<\/text>/g;
  const g = group(svg, 'axis y-axis');
  for (let m = re.exec(g); m !== null; m = re.exec(g)) out.set(unescape(m[2]), Number(m[1]));
  return out;
}
