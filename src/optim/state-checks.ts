import { formatValue } from '../tensor/check.js';
import { isFloating } from '../tensor/dtype.js';
import { formatShape, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Refuses anything but `{ state, paramGroups }`, as `stateDict()` makes it. */
export function checkStateDictShape(where: string, dict: unknown): void {
  const d = dict as { state?: unknown; paramGroups?: unknown } | null;
  if (
    d === null ||
    typeof d !== 'object' ||
    !Array.isArray(d.paramGroups) ||
    d.state === null ||
    typeof d.state !== 'object'
  ) {
    throw new TypeError(`${where}: expected { state, paramGroups } as made by stateDict()`);
  }
}

/** The hyperparameters that tell each built-in optimizer's param groups apart. */
const SIGNATURES: Array<[string, string[]]> = [
  ['SGD', ['dampening', 'nesterov']],
  ['Adam', ['betas', 'amsgrad']],
  ['RMSprop', ['alpha', 'centered']],
  ['Adagrad', ['lrDecay', 'initialAccumulatorValue']],
];

/** The optimizer class a saved param group's hyperparameters point to, if one of the built-ins. */
function guessClass(keys: string[]): string | undefined {
  return SIGNATURES.find(([, sig]) => sig.every((k) => keys.includes(k)))?.[0];
}

/**
 * Refuses a saved param group whose hyperparameters are not those of this optimizer (a state
 * dict from another optimizer class), naming both classes.
 */
export function checkGroupKeys(
  where: string,
  label: string,
  defaults: object,
  saved: object,
  g: number,
): void {
  const own = Object.keys(defaults);
  const keys = Object.keys(saved).filter((k) => k !== 'params' && k !== 'initialLr');
  const extra = keys.filter((k) => !own.includes(k));
  const missing = own.filter((k) => !keys.includes(k));
  if (extra.length === 0 && missing.length === 0) return;
  const other = guessClass(keys);
  const from =
    other !== undefined && other !== label ? `${other}, not ${label}` : 'another optimizer';
  const parts = [
    extra.length > 0 ? `has ${extra.join(', ')}, which ${label} does not have` : '',
    missing.length > 0 ? `lacks ${missing.join(', ')}` : '',
  ].filter((s) => s !== '');
  throw new TypeError(
    `${where}: saved param group ${g} ${parts.join(' and ')}: this state dict comes from ${from}`,
  );
}

/**
 * Refuses a state dict that records another optimizer class than this one's (`label`), naming
 * both: Adam and AdamW, say, keep the same hyperparameters and state, but one adds the weight
 * decay to the gradient and the other shrinks the weights, so a run resumed with the other would
 * quietly train differently. A state dict that records no class (saved before classes were
 * recorded, or by hand) is judged by its hyperparameters alone ({@link checkGroupKeys}).
 */
export function checkSavedClass(where: string, label: string, saved: unknown): void {
  if (saved === undefined || saved === label) return;
  if (typeof saved !== 'string' || saved === '')
    throw new TypeError(
      `${where}: the state dict's optimizer must be the name of the class that saved it, got ${formatValue(saved)}`,
    );
  throw new TypeError(
    `${where}: this state dict comes from ${saved}, not ${label}: load it with ${saved}`,
  );
}

/** The state entries an optimizer's step must find for a parameter that has already stepped. */
function requiredEntries(label: string, group: Record<string, unknown>): string[] {
  const momentum = typeof group.momentum === 'number' && group.momentum !== 0;
  switch (label) {
    case 'SGD':
      return momentum ? ['momentumBuffer'] : [];
    case 'Adam':
    case 'AdamW':
      return ['step', 'expAvg', 'expAvgSq', ...(group.amsgrad === true ? ['maxExpAvgSq'] : [])];
    case 'RMSprop':
      return [
        'step',
        'squareAvg',
        ...(momentum ? ['momentumBuffer'] : []),
        ...(group.centered === true ? ['gradAvg'] : []),
      ];
    case 'Adagrad':
      return ['sum'];
    default:
      return [];
  }
}

/**
 * Checks one parameter's saved state: every tensor has the parameter's shape and a floating dtype
 * (converted to the parameter's on load), every
 * number is a finite count, and no entry the optimizer needs is missing.
 */
export function checkParamState(
  where: string,
  label: string,
  key: string,
  entries: Record<string, unknown>,
  p: Tensor,
  group: Record<string, unknown>,
): void {
  for (const [name, value] of Object.entries(entries)) {
    const what = `${where}: the saved ${name} of parameter ${key}`;
    if (value instanceof Tensor) {
      if (!shapesEqual(value.shape, p.shape)) {
        throw new RangeError(
          `${what} has shape ${formatShape(value.shape)} but the parameter has shape ${formatShape(p.shape)}`,
        );
      }
      if (!isFloating(value.dtype)) {
        throw new TypeError(`${what} is ${value.dtype} but the parameter is ${p.dtype}`);
      }
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new RangeError(`${what} is ${value}, not a finite number`);
    }
  }
  const missing = requiredEntries(label, group).filter((k) => !(k in entries));
  if (missing.length > 0) {
    throw new RangeError(
      `${where}: the saved state of parameter ${key} lacks ${missing.join(', ')}, which ${label} needs`,
    );
  }
}
