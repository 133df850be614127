/**
 * nabla's pictures and explanations, `nabla/viz`: graph tracing, the DOT, Mermaid and SVG
 * exporters, the step-by-step backward pass (`explainBackward`), training plots, the exercises
 * and the expression parser. Training a network needs none of it, so it is an entry of its own
 * and the core bundle does not carry it (as TensorFlow.js keeps tfjs-vis apart); the Node entry
 * re-exports it.
 *
 * @module nabla/viz
 */
export * from './viz/index.js';
export * from './viz/plot/index.js';
