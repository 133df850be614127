import { describe, expect, it } from 'vitest';
import {
  abs,
  add,
  argmax,
  argmin,
  clamp,
  clone,
  concat,
  cos,
  div,
  eq,
  exp,
  expand,
  flatten,
  gather,
  indexSelect,
  isfinite,
  leakyRelu,
  log,
  logSoftmax,
  logsumexp,
  matmul,
  max,
  maximum,
  mean,
  min,
  mul,
  narrow,
  neg,
  ones,
  permute,
  pow,
  powScalar,
  relu,
  reshape,
  select,
  sigmoid,
  sign,
  sin,
  slice,
  softmax,
  softplus,
  sqrt,
  square,
  squeeze,
  stack,
  step,
  sub,
  sum,
  tanh,
  tensor,
  transpose,
  unsqueeze,
  where,
  zeros,
  type Tensor,
} from '../../src/index.js';

// Every shape or argument error names the operation and the shapes or values involved.

const int = (v: number[] | number[][]): Tensor => tensor(v, { dtype: 'int32' });
/** [3,4] float32. */
const m34 = (): Tensor => ones([3, 4]);

describe('matmul', () => {
  it('names both shapes and the inner dimensions that differ', () => {
    expect(() => matmul(ones([2, 3]), ones([4, 5]))).toThrow(
      /matmul: cannot multiply \[2,3\] by \[4,5\]: inner dimensions 3 and 4 differ/,
    );
    expect(() => matmul(ones([3]), ones([4]))).toThrow(
      /matmul: cannot multiply \[3\] by \[4\]: inner dimensions 3 and 4 differ/,
    );
    expect(() => matmul(ones([2, 3]), ones([4]))).toThrow(
      /matmul: cannot multiply \[2,3\] by \[4\]: inner dimensions 3 and 4 differ/,
    );
    expect(() => ones([5, 2, 3]).matmul(ones([5, 2, 3]))).toThrow(
      /matmul: cannot multiply \[5,2,3\] by \[5,2,3\]: inner dimensions 3 and 2 differ/,
    );
  });

  it('names batch dimensions that do not broadcast', () => {
    expect(() => matmul(ones([2, 3, 4]), ones([3, 4, 5]))).toThrow(
      /matmul: cannot multiply \[2,3,4\] by \[3,4,5\]: their batch dimensions \[2\] and \[3\] do not broadcast/,
    );
  });

  it('refuses 0-d operands and non-tensors; mm wants 2-D', () => {
    expect(() => matmul(tensor(2), ones([3]))).toThrow(
      /matmul: both operands need at least 1 dimension, got shapes \[\] and \[3\]/,
    );
    expect(() => matmul(ones([3]), 2 as never)).toThrow(/matmul: both operands must be Tensors/);
    expect(() => matmul(null as never, ones([3]))).toThrow(/matmul: both operands must be Tensors/);
    expect(() => ones([3]).mm(ones([3, 2]))).toThrow(
      /mm: both operands must be 2-D, got shapes \[3\] and \[3,2\]/,
    );
  });
});

describe('broadcasting', () => {
  const message = (op: string): RegExp =>
    new RegExp(
      `${op}: cannot broadcast shapes \\[2,3\\] and \\[4\\]: dimension -1 has sizes 3 and 4`,
    );

  it('names the op and both shapes', () => {
    const a = ones([2, 3]);
    const b = ones([4]);
    expect(() => add(a, b)).toThrow(message('add'));
    expect(() => a.sub(b)).toThrow(message('sub'));
    expect(() => mul(a, b)).toThrow(message('mul'));
    expect(() => div(a, b)).toThrow(message('div'));
    expect(() => pow(a, b)).toThrow(message('pow'));
    expect(() => maximum(a, b)).toThrow(message('maximum'));
    expect(() => a.minimum(b)).toThrow(message('minimum'));
    expect(() => eq(a, b)).toThrow(message('eq'));
    expect(() => a.lt(b)).toThrow(message('lt'));
    expect(() => add(ones([2, 1, 3]), ones([4, 2]))).toThrow(
      /add: cannot broadcast shapes \[2,1,3\] and \[4,2\]: dimension -1 has sizes 3 and 2/,
    );
  });

  it('where names itself', () => {
    expect(() => where(ones([2]), ones([3]), 0)).toThrow(
      /where: cannot broadcast shapes \[2\] and \[3\]/,
    );
    expect(() => where(int([1, 0]), ones([2]), ones([3]))).toThrow(
      /where: cannot broadcast shapes \[2\] and \[3\]/,
    );
  });
});

describe('shape ops', () => {
  it('reshape to a wrong size, with bad -1s or bad sizes', () => {
    const x = ones([2, 3]);
    expect(() => x.reshape(4)).toThrow(
      /reshape: cannot reshape \[2,3\] \(6 elements\) into \[4\] \(4 elements\)/,
    );
    expect(() => reshape(x, [2, 2, 2])).toThrow(
      /reshape: cannot reshape \[2,3\] \(6 elements\) into \[2,2,2\] \(8 elements\)/,
    );
    expect(() => x.reshape(-1, -1)).toThrow(/reshape: only one size can be -1, got \[-1,-1\]/);
    expect(() => x.reshape(4, -1)).toThrow(
      /reshape: cannot reshape \[2,3\] \(6 elements\) into \[4,-1\]: the -1 cannot be inferred/,
    );
    expect(() => x.reshape(-2, -3)).toThrow(/reshape: invalid size -2 in \[-2,-3\]/);
    expect(() => x.view(1.5, 4)).toThrow(/reshape: invalid size 1.5/);
  });

  it('permute with a bad permutation', () => {
    const x = ones([2, 3, 4]);
    expect(() => x.permute(1, 0)).toThrow(
      /permute: got 2 dimension\(s\) \[1,0\] for a tensor of shape \[2,3,4\]/,
    );
    expect(() => x.permute(0, 0, 1)).toThrow(
      /permute: \[0,0,1\] is not a permutation of the 3 dimensions/,
    );
    expect(() => permute(x, [0, 1, 3])).toThrow(
      /permute: axis 3 is out of range for a tensor with 3 dimensions \(expected -3 to 2\)/,
    );
  });

  it('transpose, t, flatten, squeeze, unsqueeze with bad dims', () => {
    expect(() => transpose(ones([2, 3]), 0, 2)).toThrow(
      /transpose: axis 2 is out of range for a tensor with 2 dimensions/,
    );
    expect(() => ones([2, 3, 4]).t()).toThrow(
      /t: expects a tensor of at most 2 dimensions, got shape \[2,3,4\]; use transpose/,
    );
    expect(() => flatten(ones([2, 3, 4]), 2, 0)).toThrow(
      /flatten: startDim 2 comes after endDim 0/,
    );
    expect(() => ones([2, 3]).flatten(3)).toThrow(/flatten: axis 3 is out of range/);
    expect(() => squeeze(ones([1, 3]), 2)).toThrow(/squeeze: axis 2 is out of range/);
    expect(() => ones([2, 3]).squeeze([0, 0])).toThrow(/squeeze: axis 0 appears more than once/);
    expect(() => unsqueeze(ones([2, 3]), 4)).toThrow(
      /unsqueeze: dim 4 is out of range for shape \[2,3\]: a new dimension goes at -3 to 2/,
    );
    expect(() => ones([2, 3]).unsqueeze(-4)).toThrow(/unsqueeze: dim -4 is out of range/);
  });

  it('expand to an incompatible shape', () => {
    const x = ones([2, 3]);
    expect(() => x.expand(2, 4)).toThrow(
      /expand: cannot expand shape \[2,3\] to \[2,4\]: dimension 1 has size 3, which is neither 1 nor 4/,
    );
    expect(() => expand(x, [3])).toThrow(
      /expand: cannot expand shape \[2,3\] to \[3\], which has fewer dimensions/,
    );
    expect(() => x.expand(-1, 2, 3)).toThrow(
      /expand: -1 is not allowed for the new leading dimension 0 in \[-1,2,3\]/,
    );
    expect(() => x.expand(2, -2)).toThrow(/expand: invalid size -2/);
  });
});

describe('reductions', () => {
  const x = ones([2, 3]);

  it('out-of-range, repeated or fractional axes name the reduction', () => {
    const range = (op: string, axis: number): RegExp =>
      new RegExp(
        `^${op}: axis ${axis} is out of range for a tensor with 2 dimensions \\(expected -2 to 1\\)`,
      );
    expect(() => sum(x, 2)).toThrow(range('sum', 2));
    expect(() => x.sum(-3)).toThrow(range('sum', -3));
    expect(() => mean(x, [0, 2])).toThrow(range('mean', 2));
    expect(() => max(x, 5)).toThrow(range('max', 5));
    expect(() => min(x, -3)).toThrow(range('min', -3));
    expect(() => argmax(x, 2)).toThrow(range('argmax', 2));
    expect(() => argmin(x, 2)).toThrow(range('argmin', 2));
    expect(() => logsumexp(x, 2)).toThrow(range('logsumexp', 2));
    expect(() => logSoftmax(x, 2)).toThrow(range('logSoftmax', 2));
    expect(() => x.sum([1, -1])).toThrow(/sum: axis 1 appears more than once in \[1,-1\]/);
    expect(() => x.sum(0.5)).toThrow(/sum: axis must be an integer, got 0.5/);
  });

  it('softmax names itself for an out-of-range axis', () => {
    expect(() => softmax(x, 5)).toThrow(
      /^softmax: axis 5 is out of range for a tensor with 2 dimensions/,
    );
    expect(() => x.softmax(-3)).toThrow(/^softmax: axis -3 is out of range/);
  });

  it('max / min over an empty dimension, argmax / argmin of an empty tensor', () => {
    expect(() => zeros([2, 0]).max(1)).toThrow(
      /max: cannot reduce over an empty dimension \(shape \[2,0\], axis 1\); there is no largest element/,
    );
    expect(() => zeros([0]).max()).toThrow(
      /max: cannot reduce over an empty dimension \(shape \[0\], axis 0\)/,
    );
    expect(() => zeros([0, 3]).min(0)).toThrow(
      /min: cannot reduce over an empty dimension .*there is no smallest element/,
    );
    expect(() => zeros([0, 3]).argmax()).toThrow(
      /argmax: cannot take the argmax of an empty tensor \(shape \[0,3\]\)/,
    );
    expect(() => zeros([0]).argmin(0)).toThrow(
      /argmin: cannot take the argmin of an empty tensor \(shape \[0\]\)/,
    );
  });

  it('item() on a vector', () => {
    expect(() => ones([2, 2]).sum(0).item()).toThrow(
      /item: only a tensor with exactly one element has an item; this one has shape \[2\]/,
    );
  });
});

describe('indexing', () => {
  it('get and slice: index out of range, too many indices', () => {
    expect(() => m34().get(3)).toThrow(/slice: index 3 is out of range for dimension 0 of size 3/);
    expect(() => m34().get(0, -5)).toThrow(
      /slice: index -5 is out of range for dimension 1 of size 4/,
    );
    expect(() => m34().slice(':', 4)).toThrow(
      /slice: index 4 is out of range for dimension 1 of size 4/,
    );
    expect(() => m34().get(0, 0, 0)).toThrow(
      /slice: 3 indices given for a tensor of shape \[3,4\] \(2 dimensions\)/,
    );
    expect(() => tensor(1).get(0)).toThrow(
      /slice: 1 indices given for a tensor of shape \[\] \(0 dimensions\)/,
    );
  });

  it('bad slice strings and specs', () => {
    expect(() => m34().slice('a:b')).toThrow(/slice: "a" is not an integer/);
    expect(() => m34().slice('1:x')).toThrow(/slice: "x" is not an integer/);
    expect(() => m34().slice('1:2:3:4')).toThrow(
      /slice: cannot read "1:2:3:4" for dimension 0; expected 'start:end' or 'start:end:step'/,
    );
    expect(() => m34().slice('abc')).toThrow(/slice: cannot read "abc" for dimension 0/);
    expect(() => m34().slice(1.5)).toThrow(/slice: index 1.5 for dimension 0 is not an integer/);
    expect(() => m34().slice(true as never)).toThrow(
      /slice: unsupported spec true for dimension 0/,
    );
    expect(() => m34().slice({ start: 0.5 })).toThrow(
      /slice: position 0.5 for dimension 0 is not an integer/,
    );
  });

  it('negative or zero slice steps', () => {
    expect(() => m34().slice('::-1')).toThrow(
      /slice: step -1 for dimension 0 must be a positive integer \(negative steps are not supported\)/,
    );
    expect(() => slice(m34(), [':', { step: -2 }])).toThrow(
      /slice: step -2 for dimension 1 must be a positive integer/,
    );
    expect(() => m34().slice('::0')).toThrow(
      /slice: step 0 for dimension 0 must be a positive integer/,
    );
  });

  it('select names itself for a bad dim or an out-of-range index', () => {
    expect(() => select(m34(), 2, 0)).toThrow(
      /select: axis 2 is out of range for a tensor with 2 dimensions/,
    );
    expect(() => m34().select(0, 3)).toThrow(
      /^select: index 3 is out of range for dimension 0 of size 3/,
    );
  });

  it('narrow outside the dimension', () => {
    expect(() => narrow(m34(), 0, 2, 2)).toThrow(
      /narrow: start 2 and length 2 do not fit dimension 0 of size 3/,
    );
    expect(() => m34().narrow(1, -5, 1)).toThrow(
      /narrow: start -5 and length 1 do not fit dimension 1 of size 4/,
    );
    expect(() => m34().narrow(2, 0, 1)).toThrow(/narrow: axis 2 is out of range/);
  });

  it('indexSelect: out-of-range, negative, fractional and badly typed indices', () => {
    expect(() => m34().indexSelect(0, [0, 3])).toThrow(
      /indexSelect: index 3 is out of range for dimension 0 of size 3/,
    );
    expect(() => indexSelect(m34(), 1, int([-1]))).toThrow(
      /indexSelect: index -1 is out of range for dimension 1 of size 4/,
    );
    expect(() => m34().indexSelect(0, [1.5])).toThrow(
      /indexSelect: index 0 is 1.5, not an integer/,
    );
    expect(() => m34().indexSelect(0, tensor([0]))).toThrow(
      /indexSelect: the index must be an int32 tensor, got float32 \(use \.int\(\) or \{ dtype: 'int32' \}\)/,
    );
    expect(() => m34().indexSelect(0, int([[0, 1]]))).toThrow(
      /indexSelect: the index must be 1-D, got shape \[1,2\]/,
    );
    expect(() => m34().indexSelect(0, 'abc' as never)).toThrow(
      /indexSelect: the index must be an int32 Tensor or a list of integers/,
    );
    expect(() => m34().indexSelect(2, [0])).toThrow(/indexSelect: axis 2 is out of range/);
  });

  it('gather: int32 index required, in range and of a compatible shape', () => {
    const x = ones([2, 2]);
    expect(() =>
      gather(
        x,
        1,
        int([
          [0, 2],
          [1, 0],
        ]),
      ),
    ).toThrow(/gather: index 2 is out of range for dimension 1 of size 2/);
    expect(() => x.gather(0, int([[0, -1]]))).toThrow(
      /gather: index -1 is out of range for dimension 0 of size 2/,
    );
    expect(() =>
      x.gather(
        1,
        tensor([
          [0, 1],
          [1, 0],
        ]),
      ),
    ).toThrow(/gather: the index must be an int32 tensor, got float32/);
    expect(() => x.gather(1, tensor([[0]], { dtype: 'float64' }))).toThrow(
      /gather: the index must be an int32 tensor, got float64/,
    );
    expect(() => x.gather(1, int([0, 1]))).toThrow(
      /gather: the index \(shape \[2\]\) must have as many dimensions as the input \(shape \[2,2\]\)/,
    );
    expect(() => x.gather(1, int([[0], [0], [0]]))).toThrow(
      /gather: index shape \[3,1\] is larger than input shape \[2,2\] in dimension 0/,
    );
    expect(() => x.gather(1, [[0, 1]] as never)).toThrow(
      /gather: the index must be an int32 Tensor/,
    );
    expect(() => x.gather(2, int([[0]]))).toThrow(/gather: axis 2 is out of range/);
  });
});

describe('concat and stack', () => {
  it('concat of mismatched shapes, empty lists, 0-d tensors, non-tensors, bad axes', () => {
    expect(() => concat([ones([2, 3]), ones([2, 4])])).toThrow(
      /concat: tensor 1 has shape \[2,4\], which does not match \[2,3\] outside dimension 0/,
    );
    expect(() => concat([ones([2, 3]), ones([3, 3])], 1)).toThrow(
      /concat: tensor 1 has shape \[3,3\], which does not match \[2,3\] outside dimension 1/,
    );
    expect(() => concat([ones([2, 3]), ones([6])])).toThrow(
      /concat: tensor 1 has shape \[6\], which does not match \[2,3\]/,
    );
    expect(() => concat([])).toThrow(/concat: needs a non-empty list of tensors/);
    expect(() => concat([tensor(1), tensor(2)])).toThrow(
      /concat: cannot join 0-d tensors; use stack/,
    );
    expect(() => concat([ones([2]), null as never])).toThrow(/concat: element 1 is not a Tensor/);
    expect(() => concat([ones([2]), ones([2])], 1)).toThrow(
      /concat: axis 1 is out of range for a tensor with 1 dimension/,
    );
  });

  it('stack of different shapes, empty lists, non-tensors, bad axes', () => {
    expect(() => stack([ones([2]), ones([3])])).toThrow(
      /stack: tensor 1 has shape \[3\] but tensor 0 has \[2\]; all must match/,
    );
    expect(() => stack([])).toThrow(/stack: needs a non-empty list of tensors/);
    expect(() => stack([ones([2]), 'x' as never])).toThrow(/stack: element 1 is not a Tensor/);
    expect(() => stack([ones([2]), ones([2])], 2)).toThrow(/stack: axis 2 is out of range/);
  });
});

describe('bad arguments', () => {
  it('pow with a non-number, non-tensor exponent', () => {
    const x = ones([2]);
    expect(() => x.pow('2' as never)).toThrow(/pow: expected a Tensor or a number, got string/);
    expect(() => pow(x, null as never)).toThrow(/pow: expected a Tensor or a number, got null/);
    expect(() => pow(x, [2] as never)).toThrow(/pow: expected a Tensor or a number, got object/);
    expect(() => pow(2, 3)).toThrow(/pow: at least one operand must be a Tensor/);
  });

  it('binary ops given null, undefined or strings', () => {
    const x = ones([2]);
    expect(() => add(x, undefined as never)).toThrow(
      /add: expected a Tensor or a number, got undefined/,
    );
    expect(() => x.mul('2' as never)).toThrow(/mul: expected a Tensor or a number, got string/);
    expect(() => sub(null as never, x)).toThrow(/sub: expected a Tensor or a number, got null/);
    expect(() => add(null as never, null as never)).toThrow(
      /add: at least one operand must be a Tensor/,
    );
    expect(() => div('a' as never, 'b' as never)).toThrow(
      /div: at least one operand must be a Tensor/,
    );
    expect(() => x.lt(undefined as never)).toThrow(
      /lt: expected a Tensor or a number, got undefined/,
    );
    expect(() => where(1 as never, 2, 3)).toThrow(/where: at least one argument must be a Tensor/);
    expect(() => where(x, x, 'a' as never)).toThrow(
      /where: expected a Tensor or a number, got string/,
    );
  });

  it('argument checks of the composite functions', () => {
    const x = ones([2]);
    expect(() => x.clamp()).toThrow(/clamp: give at least one of min and max/);
    expect(() => x.leakyRelu(NaN)).toThrow(
      /leakyRelu: negativeSlope must be a finite number, got NaN/,
    );
  });

  it('to() an unknown dtype names the op and the dtype', () => {
    expect(() => ones([2]).to('int64' as never)).toThrow(
      /^(to|cast): unknown dtype "int64"; expected one of float32, float64, int32/,
    );
  });

  // Each operation given null, undefined or a string where a tensor belongs should say so, naming
  // itself, rather than fail inside with "Cannot read properties of null".
  const notTensors: [string, (bad: never) => unknown][] = [
    ['neg', (b) => neg(b)],
    ['exp', (b) => exp(b)],
    ['log', (b) => log(b)],
    ['sqrt', (b) => sqrt(b)],
    ['abs', (b) => abs(b)],
    ['sign', (b) => sign(b)],
    ['tanh', (b) => tanh(b)],
    ['sigmoid', (b) => sigmoid(b)],
    ['relu', (b) => relu(b)],
    ['step', (b) => step(b)],
    ['sin', (b) => sin(b)],
    ['cos', (b) => cos(b)],
    ['isfinite', (b) => isfinite(b)],
    ['clone', (b) => clone(b)],
    ['square', (b) => square(b)],
    ['leakyRelu', (b) => leakyRelu(b)],
    ['clamp', (b) => clamp(b, 0, 1)],
    ['sum', (b) => sum(b)],
    ['mean', (b) => mean(b)],
    ['max', (b) => max(b)],
    ['min', (b) => min(b)],
    ['argmax', (b) => argmax(b)],
    ['argmin', (b) => argmin(b)],
    ['logsumexp', (b) => logsumexp(b)],
    ['softmax', (b) => softmax(b)],
    ['logSoftmax', (b) => logSoftmax(b)],
    ['reshape', (b) => reshape(b, [1])],
    ['permute', (b) => permute(b, [0])],
    ['transpose', (b) => transpose(b, 0, 1)],
    ['expand', (b) => expand(b, [2])],
    ['flatten', (b) => flatten(b)],
    ['squeeze', (b) => squeeze(b)],
    ['unsqueeze', (b) => unsqueeze(b, 0)],
    ['slice', (b) => slice(b, [0])],
    ['select', (b) => select(b, 0, 0)],
    ['narrow', (b) => narrow(b, 0, 0, 1)],
    ['indexSelect', (b) => indexSelect(b, 0, [0])],
    ['gather', (b) => gather(b, 0, int([0]))],
  ];

  it('every tensor operation given null, undefined or a string names itself', () => {
    const unhelpful: string[] = [];
    for (const [op, call] of notTensors) {
      for (const bad of [null, undefined, 'abc']) {
        try {
          call(bad as never);
          unhelpful.push(`${op}(${String(bad)}) did not throw`);
        } catch (e) {
          const message = (e as Error).message;
          if (!message.startsWith(`${op}: `)) unhelpful.push(`${op}(${String(bad)}): ${message}`);
        }
      }
    }
    expect(unhelpful).toEqual([]);
  });
});

describe('arguments of the wrong sort are refused by the op that got them', () => {
  const x = tensor([1, 2, 3]);

  it('axes: a number, an array of numbers or undefined', () => {
    for (const [name, op] of [
      ['sum', sum],
      ['mean', mean],
      ['max', max],
      ['min', min],
      ['logsumexp', logsumexp],
      ['squeeze', squeeze],
    ] as const) {
      expect(() => op(x, null as never)).toThrow(
        new TypeError(`${name}: axis must be a number, an array of numbers or undefined, got null`),
      );
    }
    expect(() => sum(x, {} as never)).toThrow(/^sum: axis must be .*, got Object$/);
  });

  it('clamp, powScalar, softplus, permute and slice name themselves', () => {
    expect(() => clamp(x, {} as never)).toThrow(
      /^clamp: min must be a number, null or undefined, got Object$/,
    );
    expect(() => clamp(x, 0, 'x' as never)).toThrow(/^clamp: max must be .*, got "x"$/);
    expect(() => powScalar(42 as never, 2)).toThrow(
      /^powScalar: expected a Tensor as its input, got number$/,
    );
    expect(() => powScalar(x, null as never)).toThrow(
      /^powScalar: exponent must be a number, got null$/,
    );
    expect(() => softplus(x, null as never)).toThrow(
      /^softplus: options must be an object, got null$/,
    );
    expect(() => permute(x, 0 as never)).toThrow(/^permute: dims must be an array of axes, got 0$/);
    expect(() => slice(x, 42 as never)).toThrow(
      /^slice: specs must be an array of slice specs, got 42$/,
    );
  });
});
