import { fail } from '../tensor/check.js';

/**
 * Escapes text for XML element content and attribute values (`& < > " '`): SVG pictures, the
 * HTML-like labels of Graphviz DOT, the neuron diagrams. The one escaper of the library.
 *
 * @example
 * import { escapeXml } from 'nabla/viz';
 * escapeXml('a < b & "c"'); // => 'a &lt; b &amp; &quot;c&quot;'
 */
export function escapeXml(text: string): string {
  if (typeof text !== 'string') fail({ where: 'escapeXml' }, 'text', 'a string', text, TypeError);
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]);
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
