/**
 * The last entries of the settings' schema (schema.ts): how the page draws — the boundary, projector
 * mode — and what a classroom link hides.
 */
import { boolean, list } from './setting-kinds.js';
import { HIDEABLE } from './choices.js';
import type { Settings } from './schema.js';

/**
 * What a classroom link can hide: every group of controls and input feature (choices.ts), the
 * exercise panel included (`hide=exercise`: it is then not built at all).
 */
export const CLASSROOM_GROUPS = HIDEABLE;

const DISCRETE = 'hard classes instead of shaded probabilities';
const LARGE = 'projector mode: bigger text and thicker lines, for a lecture';

export const VIEW_SETTINGS = {
  /** Draw the boundary as hard classes instead of shaded probabilities. */
  discretize: boolean({
    default: false,
    panel: {
      root: 'output',
      label: 'Discretize boundary',
      title: DISCRETE,
      group: 'display',
      change: 'view',
      visible: (s: Settings): boolean => s.mode === 'classification',
    },
  }),
  /** Projector mode: bigger text and thicker lines everywhere, for a lecture hall. */
  large: boolean({
    default: false,
    panel: { root: 'run', label: 'large', title: LARGE, group: 'display', change: 'view' },
  }),
  /** Controls hidden in classroom mode; a link that hides some is locked (url.ts, isLocked). */
  hide: list({
    options: CLASSROOM_GROUPS,
    allowEmpty: true,
    default: [],
    panel: {
      root: 'output',
      label: 'Classroom: hide controls',
      change: 'view',
      rebuild: true,
      builder: 'classroom',
    },
  }),
  /** Keep the classroom box on a page opened from a link that hides controls (a teacher's link). */
  unlock: boolean({ default: false }),
};
