/** A small helper for the views that build their DOM in code. */

/** What `el` accepts as a child: a node, text, or nothing (skipped). */
export type Child = Node | string | null | undefined | false;

/** A DOM element with attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}
