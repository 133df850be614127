// A TypeDoc plugin: files each export of the reference under the layer of the code it comes from
// (src/tensor/… → "tensor"), the layers DESIGN.md names, so that the reference reads in the
// library's own order without a @category tag on each of its exports.
import { Comment, CommentTag, Converter, ReflectionKind } from 'typedoc';

/** The layers in the order of the reference, lowest first (DESIGN.md, "Layers of the code"). */
export const LAYERS = [
  'tensor',
  'backend',
  'autograd',
  'ops',
  'nn',
  'optim',
  'data',
  'train',
  'viz',
  'io',
  'node',
];

/** The layer of a source file: its folder under src/; the entry files themselves count as node. */
function layerOf(fileName) {
  const match = /\/src\/([^/]+)\//.exec(fileName.replaceAll('\\', '/'));
  return match && LAYERS.includes(match[1]) ? match[1] : 'node';
}

export function load(app) {
  const layers = new Map();
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.parent?.kindOf(ReflectionKind.Module)) return;
    const declaration = context.getSymbolFromReflection(reflection)?.declarations?.[0];
    if (declaration) layers.set(reflection, layerOf(declaration.getSourceFile().fileName));
  });
  // Before TypeDoc's own categorizing (priority −200): an explicit @category wins.
  app.converter.on(
    Converter.EVENT_RESOLVE_END,
    () => {
      for (const [reflection, layer] of layers) {
        const comments = [
          reflection.comment,
          ...(reflection.signatures ?? []).map((s) => s.comment),
        ];
        if (comments.some((c) => c?.getTag('@category'))) continue;
        reflection.comment ??= new Comment();
        reflection.comment.blockTags.push(
          new CommentTag('@category', [{ kind: 'text', text: layer }]),
        );
      }
    },
    100,
  );
}
