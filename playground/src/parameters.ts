/**
 * One weight or bias of the network by its place in the diagram — the weight from neuron `from` of
 * neuron layer `layer` to neuron `to` of the next, or the bias of neuron `to` of layer `layer + 1` —
 * and its parameter in the model (`2.weight`, row `to`, column `from`). The page edits one (a click
 * on a line of the network view), the worker sets it in the model it trains.
 */
import { Linear, type Module } from 'nabla';
import { layersOf } from './views/activations.js';

/** A weight (`from` given) or a bias (`from` undefined) of the Linear layer after neuron layer `layer`. */
export interface ParameterRef {
  layer: number;
  to: number;
  from?: number;
}

/** The parameter's name in the model's state dict and the index of the value in its data. */
export function parameterSlot(model: Module, ref: ParameterRef): { name: string; index: number } {
  const linears = layersOf(model).filter((l): l is Linear => l instanceof Linear);
  const linear = linears[ref.layer];
  if (linear === undefined)
    throw new RangeError(
      `the network has no layer of weights ${ref.layer} (it has ${linears.length})`,
    );
  const { inFeatures, outFeatures } = linear;
  if (!(Number.isInteger(ref.to) && ref.to >= 0 && ref.to < outFeatures))
    throw new RangeError(`layer ${ref.layer} has ${outFeatures} neurons, not neuron ${ref.to}`);
  if (
    ref.from !== undefined &&
    !(Number.isInteger(ref.from) && ref.from >= 0 && ref.from < inFeatures)
  )
    throw new RangeError(`layer ${ref.layer} has ${inFeatures} inputs, not input ${ref.from}`);
  const param = ref.from === undefined ? linear.bias : linear.weight;
  if (param === null) throw new RangeError(`layer ${ref.layer} has no bias`);
  const name = [...model.namedParameters()].find(([, p]) => p === param)?.[0];
  if (name === undefined)
    throw new RangeError(`the network does not list layer ${ref.layer}'s parameter`);
  return { name, index: ref.from === undefined ? ref.to : ref.to * inFeatures + ref.from };
}

/** The value of a weight or bias. */
export function getParameter(model: Module, ref: ParameterRef): number {
  const { name, index } = parameterSlot(model, ref);
  return Number(model.stateDict()[name].data[index]);
}

/**
 * Sets one value of a parameter, in place, as an optimizer's step would: the optimizer's state
 * (momentum, Adam's averages) stays, and training goes on from the new value.
 */
export function setParameter(model: Module, name: string, index: number, value: number): void {
  if (!Number.isFinite(value))
    throw new RangeError(`a weight must be a finite number, not ${value}`);
  const param = [...model.namedParameters()].find(([n]) => n === name)?.[1];
  if (param === undefined) throw new RangeError(`the network has no parameter ${name}`);
  if (!(Number.isInteger(index) && index >= 0 && index < param.size))
    throw new RangeError(`parameter ${name} has ${param.size} values, not value ${index}`);
  (param.data as Float32Array)[index] = value;
}
