/**
 * Classroom links (`hide=` in the URL): the page's own elements of a hidden group are hidden (the
 * panels do not build hidden settings' controls at all, panel.ts), and so is every heading left
 * with nothing under it. A link that hides controls is locked — it shows no box to bring them
 * back — unless it says `unlock=1`.
 */
import type { Settings } from './schema.js';
import { CLASSROOM_GROUPS } from './schema-view.js';

const HIDDEN = 'classroom-hidden';

/** Whether an element shows nothing: hidden, or a container of hidden elements only. */
function isEmpty(el: Element): boolean {
  if (el.classList.contains(HIDDEN) || (el as HTMLElement).hidden) return true;
  if (el.classList.contains('controls') || el.classList.contains('click-controls'))
    return [...el.children].every(isEmpty);
  return false;
}

/**
 * Hides the elements of each hidden group (`data-group`), then each heading whose controls
 * (the `.controls` after it) are all hidden, and a panel with nothing left but headings.
 */
export function applyClassroom(s: Readonly<Settings>, root: ParentNode = document): void {
  for (const group of CLASSROOM_GROUPS) {
    const hidden = s.hide.includes(group);
    for (const el of root.querySelectorAll<HTMLElement>(`[data-group="${group}"]`))
      el.classList.toggle(HIDDEN, hidden);
  }
  for (const heading of root.querySelectorAll<HTMLElement>('.panel h2, .panel h3')) {
    if (heading.dataset.group !== undefined && s.hide.includes(heading.dataset.group as never))
      continue;
    const next = heading.nextElementSibling;
    const empty = next !== null && next.classList.contains('controls') && isEmpty(next);
    heading.classList.toggle('empty-heading', empty);
  }
  for (const panel of root.querySelectorAll<HTMLElement>('.panel.data')) {
    const shown = [...panel.children].some(
      (c) => !isEmpty(c) && !c.classList.contains('empty-heading') && c.tagName !== 'H2',
    );
    panel.classList.toggle('empty-panel', !shown);
  }
}
