import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { svgToPng, writePng } from '../../src/node/png.js';
import { lineChart } from '../../src/viz/plot/index.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from the IHDR chunk, which follows the signature. */
function ihdr(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(new TextDecoder().decode(png.subarray(12, 16))).toBe('IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

const svg = lineChart({
  title: 'Loss',
  xLabel: 'epoch',
  yLabel: 'loss',
  series: [{ name: 'training', y: [1, 0.5, 0.3] }],
  width: 400,
  height: 300,
});

describe('svgToPng', () => {
  it('renders a PNG of the requested width, keeping the aspect ratio', () => {
    const png = svgToPng(svg, { width: 800 });
    expect(Array.from(png.subarray(0, 8))).toEqual(SIGNATURE);
    expect(ihdr(png)).toEqual({ width: 800, height: 600 });
    expect(ihdr(svgToPng(svg))).toEqual({ width: 400, height: 300 });
  });

  it('draws the text (the system fonts are loaded)', () => {
    const bare = svg.replace(/<text[^>]*>[^<]*<\/text>/g, '');
    const withoutFonts = svgToPng(svg, { loadSystemFonts: false });
    // Text adds detail to the picture: the PNG with text compresses to more bytes.
    expect(svgToPng(svg).length).toBeGreaterThan(svgToPng(bare).length + 1000);
    expect(Math.abs(withoutFonts.length - svgToPng(bare).length)).toBeLessThan(200);
  });

  it('says when the input is not SVG, or the width is wrong', () => {
    expect(() => svgToPng('hello')).toThrow(/expected the text of an SVG/);
    expect(() => svgToPng(svg, { width: 0 })).toThrow(/width must be an integer/);
  });
});

describe('writePng', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nabla-png-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the PNG file, and nothing else', () => {
    const path = join(dir, 'loss.png');
    writePng(path, svg, { width: 200 });
    const bytes = new Uint8Array(readFileSync(path));
    expect(Array.from(bytes.subarray(0, 8))).toEqual(SIGNATURE);
    expect(ihdr(bytes).width).toBe(200);
    expect(readdirSync(dir)).toEqual(['loss.png']);
  });
});
