import { describe, expect, it } from 'vitest';
import { escapeXml as fromPlot } from '../../src/viz/plot/index.js';
import { escapeXml } from '../../src/viz/xml.js';
import { scalar } from '../../src/index.js';
import { toDot } from '../../src/viz/dot.js';
import { trace } from '../../src/viz/trace.js';

describe('escapeXml: the one XML escaper', () => {
  it('escapes the five XML specials', () => {
    expect(escapeXml(`a < b & "c" > 'd'`)).toBe('a &lt; b &amp; &quot;c&quot; &gt; &apos;d&apos;');
    expect(fromPlot).toBe(escapeXml);
  });

  it('escapes the names in DOT labels, keeping the line breaks of the label', () => {
    const x = scalar(2, { requiresGrad: true, name: 'x<&>' });
    const dot = toDot(trace(x.mul(x).sum()), { circuit: false });
    expect(dot).toContain('<b>x&lt;&amp;&gt;</b><br/>[]');
  });
});
