export {
  trace,
  summarize,
  traceToJSON,
  type Trace,
  type TraceNode,
  type TraceEdge,
  type TraceOptions,
  type TensorSummary,
} from './trace.js';
export { toDot, toMermaid, formatNumber, formatSum, type DiagramOptions } from './dot.js';
export { renderSvg } from './svg.js';
export {
  explainBackward,
  explainText,
  explainMarkdown,
  explainLatex,
  type Explanation,
  type ExplainedStep,
  type ExplainedInput,
} from './explain.js';
export {
  explainConv,
  explainConvText,
  type ConvExplanation,
  type ExplainConvOptions,
  type Grid,
} from './conv.js';
export { explainMlp, explainMlpText, type MlpExplanation, type ExplainedLayer } from './mlp.js';
export { neuronDiagram, type NeuronDiagramOptions } from './neurons.js';
export {
  parseExpression,
  evaluateExpression,
  formatExpression,
  variables,
  ExpressionError,
  EXPRESSION_FUNCTIONS,
  type Expr,
  type EvaluateExpressionOptions,
  type EvaluatedExpression,
} from './expression.js';
export {
  makeExercise,
  encodeExercise,
  decodeExercise,
  checkAnswer,
  parseAnswer,
  keyBlanks,
  circuitBlanks,
  randomCircuit,
  EXERCISES,
  type Exercise,
  type ExerciseSpec,
  type Blank,
  type Checked,
  type Mistake,
} from './exercises/index.js';
