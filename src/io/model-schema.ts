/**
 * What model.json must hold, as a schema (src/io/schema.ts): every wrong field is refused with
 * its file, path, value and what was expected, before a layer is built. How the fields fit the
 * model and each other (classes against outputs, one mean per feature) is checked in
 * model-checks.ts.
 *
 * @module
 */
import {
  either,
  integer,
  list,
  nullable,
  number,
  object,
  optional,
  record,
  string,
  type Infer,
} from './schema.js';

/** A tensor's shape: a list of sizes. */
const SHAPE = list(integer({ min: 0 }));

/** What `metadata` records of the model's data, where it records it; other fields are free. */
export const METADATA = object(
  {
    features: optional(integer({ min: 1 })),
    /** A convolutional model's input [C, H, W]: each row of `features` values is one image. */
    inputShape: optional(list(integer({ min: 1 }), { min: 1, max: 4 })),
    classes: optional(either(integer({ min: 1 }), list(string(), { min: 1 }))),
    classNames: optional(nullable(list(string()))),
    standardization: optional(
      object(
        { mean: list(number()), std: list(number({ above: 0 }, 'inputs are divided by it')) },
        'an object with "mean" and "std"',
      ),
    ),
    data: optional(string()),
    loss: optional(string()),
  },
  'an object',
);

/** What a model.json holds (format and version are checked before, with their own messages). */
export const MODEL_DESCRIPTION = object({
  architecture: object({ type: string() }, 'a module configuration (an object with a "type")'),
  parameters: record(SHAPE, "an object mapping each parameter's name to its shape"),
  buffers: optional(record(SHAPE, "an object mapping each buffer's name to its shape")),
  metadata: optional(METADATA),
});

/** The metadata of a model.json, checked. */
export type Metadata = Infer<typeof METADATA>;
