/**
 * Training plots as SVG strings (browser-safe; `svgToPng` in the Node entry makes PNGs of them).
 *
 * @module
 */
export { lineChart, type LineChartOptions, type Series } from './chart.js';
export {
  plotLoss,
  plotAccuracy,
  plotLearningRates,
  type PlotOptions,
  type PlotLossOptions,
  type LearningRateRun,
  type PlotLearningRatesOptions,
} from './training.js';
export {
  gradientNorms,
  plotGradientNorms,
  type GradientNormRecord,
  type PlotGradientNormsOptions,
} from './gradients.js';
export {
  plotDecisionBoundary,
  decisionGrid,
  type BoundaryData,
  type DecisionGrid,
  type PlotDecisionBoundaryOptions,
} from './boundary.js';
export { plotFilters, plotFeatureMaps, type PlotGridOptions } from './filters.js';
export { classColor, classPointColor, divergingColor, PALETTE } from './svg.js';
export { escapeXml } from '../xml.js';
export { linearAxis, logAxis, niceStep, type Axis, type ScaleType } from './scale.js';
