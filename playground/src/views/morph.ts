/**
 * Updating a drawn picture in place: when a new drawing (an SVG built as text) has the same
 * elements as the one on the page — the same network with new weights — only the attributes and
 * texts that changed are written, so the browser keeps its elements, their layout and their
 * decoded images instead of building them all again several times a second while training.
 */

/** Whether two elements have the same tags, in the same tree, all the way down. */
function sameShape(a: Element, b: Element): boolean {
  if (a.tagName !== b.tagName || a.childElementCount !== b.childElementCount) return false;
  for (let i = 0; i < a.children.length; i++)
    if (!sameShape(a.children[i], b.children[i])) return false;
  return true;
}

/** Writes `to`'s attributes and texts into `el`, whose shape is the same. */
function copyInto(el: Element, to: Element): void {
  for (const name of el.getAttributeNames()) if (!to.hasAttribute(name)) el.removeAttribute(name);
  for (const { name, value } of to.attributes)
    if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  if (to.childElementCount === 0) {
    if (el.textContent !== to.textContent) el.textContent = to.textContent;
    return;
  }
  for (let i = 0; i < to.children.length; i++) copyInto(el.children[i], to.children[i]);
}

/**
 * Makes `root`'s content that of `fresh` (an element not on the page): in place when their
 * elements match, else by moving `fresh`'s children in. Returns whether it updated in place.
 */
export function morphChildren(root: Element, fresh: Element): boolean {
  const same =
    root.childElementCount > 0 &&
    root.childNodes.length === fresh.childNodes.length &&
    root.childElementCount === fresh.childElementCount &&
    Array.from(root.children).every((c, i) => sameShape(c, fresh.children[i]));
  if (!same) {
    root.replaceChildren(...fresh.childNodes);
    return false;
  }
  for (let i = 0; i < fresh.children.length; i++) copyInto(root.children[i], fresh.children[i]);
  return true;
}
