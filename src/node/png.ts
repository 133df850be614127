/**
 * PNG pictures of SVG charts, rendered in-process by resvg (`@resvg/resvg-js`, a maintained Rust
 * SVG renderer with prebuilt binaries; no browser, no Cairo). Node only.
 *
 * Text needs fonts: the system's fonts are loaded (on Debian/Ubuntu `fonts-dejavu-core` gives
 * DejaVu Sans, which the charts ask for first). On a machine without fonts, pass `fontFiles`
 * (paths of .ttf/.otf files), or the text is left out of the picture.
 *
 * @module
 */
import { Resvg } from '@resvg/resvg-js';
import { fail } from '../tensor/check.js';
import { checkPath, writeFileAtomicSync } from './files.js';

/** Options of {@link svgToPng}. */
export interface SvgToPngOptions {
  /** The width of the PNG in pixels (default: the SVG's own width); the height follows. */
  width?: number;
  /** Font files to load besides the system's (for machines without fonts). */
  fontFiles?: string[];
  /** Load the system's fonts (default true). */
  loadSystemFonts?: boolean;
}

/**
 * Renders an SVG string to the bytes of a PNG file.
 *
 * @example
 * const history = fit(mlp([2, 8, 2]), datasets.xor({ samples: 64 }), { epochs: 5 });
 * const png = svgToPng(plotLoss(history), { width: 1280 });
 */
export function svgToPng(svg: string, options: SvgToPngOptions = {}): Uint8Array {
  if (typeof svg !== 'string' || !svg.includes('<svg')) {
    throw new TypeError('svgToPng: expected the text of an SVG picture');
  }
  const { width } = options;
  if (width !== undefined && (!Number.isInteger(width) || width < 1 || width > 16384)) {
    throw new RangeError(`svgToPng: width must be an integer in [1, 16384], got ${width}`);
  }
  let resvg: Resvg;
  try {
    resvg = new Resvg(svg, {
      fitTo: width === undefined ? { mode: 'original' } : { mode: 'width', value: width },
      font: {
        loadSystemFonts: options.loadSystemFonts ?? true,
        fontFiles: options.fontFiles ?? [],
        defaultFontFamily: 'DejaVu Sans',
        sansSerifFamily: 'DejaVu Sans',
      },
    });
  } catch (err) {
    throw new Error(
      `svgToPng: the SVG could not be read: ${err instanceof Error ? err.message : String(err)}`,
      {
        cause: err,
      },
    );
  }
  const png = resvg.render().asPng();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/**
 * Renders an SVG string to a PNG file, written atomically (the file holds either its old content
 * or the whole new picture, never half of it).
 *
 * @example
 * const history = fit(mlp([2, 8, 2]), datasets.xor({ samples: 64 }), { epochs: 5 });
 * writePng('loss.png', plotLoss(history));
 */
export function writePng(path: string, svg: string, options: SvgToPngOptions = {}): void {
  checkPath('writePng', 'path', path);
  if (typeof svg !== 'string')
    fail({ where: 'writePng' }, 'svg', 'the text of an SVG picture', svg, TypeError);
  writeFileAtomicSync(path, svgToPng(svg, options));
}
