import { describe, expect, it } from 'vitest';
import { formatTensor } from '../../src/tensor/format.js';

const range = (n: number, f: (i: number) => number = (i) => i): number[] =>
  Array.from({ length: n }, (_, i) => f(i));

describe('formatTensor: numbers', () => {
  it('prints 0-d tensors without brackets', () => {
    expect(formatTensor([3.5], [], 'float32')).toBe('tensor(3.5000)');
    expect(formatTensor([3], [], 'float32')).toBe('tensor(3.)');
    expect(formatTensor([-2], [], 'int32')).toBe('tensor(-2)');
    expect(formatTensor([1e10], [], 'float64')).toBe('tensor(1.0000e+10)');
    expect(formatTensor([NaN], [], 'float32')).toBe('tensor(nan)');
  });

  it('prints integral floats in "1." style', () => {
    expect(formatTensor([1, 2, 3], [3], 'float32')).toBe('tensor([1., 2., 3.])');
    expect(formatTensor([0, 0], [2], 'float32')).toBe('tensor([0., 0.])');
    expect(formatTensor([-0, 1], [2], 'float32')).toBe('tensor([-0.,  1.])');
  });

  it('prints other floats with 4 decimals', () => {
    expect(formatTensor([0.1, 2.5], [2], 'float32')).toBe('tensor([0.1000, 2.5000])');
    expect(formatTensor(new Float32Array([0.1, 1 / 3]), [2], 'float32')).toBe(
      'tensor([0.1000, 0.3333])',
    );
    expect(formatTensor([0.5, 0], [2], 'float64')).toBe('tensor([0.5000, 0.0000])');
  });

  it('right-aligns negatives and wide values to a common width', () => {
    expect(formatTensor([-1.5, 2.25, 10], [3], 'float32')).toBe(
      'tensor([-1.5000,  2.2500, 10.0000])',
    );
    expect(formatTensor([-1, 20, 300], [3], 'float32')).toBe('tensor([ -1.,  20., 300.])');
  });

  it('prints int32 as plain integers', () => {
    expect(formatTensor([1, -20, 300, 4], [2, 2], 'int32')).toBe(
      'tensor([[  1, -20],\n' + '        [300,   4]])',
    );
    expect(formatTensor([0, 100000], [2], 'int32')).toBe('tensor([     0, 100000])');
  });

  it('prints nan, inf and -inf, aligned with the rest', () => {
    expect(formatTensor([1, NaN, -Infinity, 2.5], [4], 'float32')).toBe(
      'tensor([1.0000,    nan,   -inf, 2.5000])',
    );
    expect(formatTensor([1, NaN, Infinity], [3], 'float32')).toBe('tensor([ 1., nan, inf])');
    expect(formatTensor([NaN, NaN], [2], 'float64')).toBe('tensor([nan, nan])');
    expect(formatTensor([1e-5, Infinity], [2], 'float32')).toBe('tensor([1.0000e-05,        inf])');
  });

  it('switches to scientific notation as PyTorch does', () => {
    // Largest / smallest non-zero magnitude > 1000.
    expect(formatTensor([1e5, 1], [2], 'float32')).toBe('tensor([1.0000e+05, 1.0000e+00])');
    expect(formatTensor([1000, 1], [2], 'float32')).toBe('tensor([1000.,    1.])');
    // Smallest non-zero magnitude < 1e-4 (for non-integral values).
    expect(formatTensor([1e-5, 0.5], [2], 'float32')).toBe('tensor([1.0000e-05, 5.0000e-01])');
    expect(formatTensor([0, 1e-4], [2], 'float64')).toBe('tensor([0.0000, 0.0001])');
    // Largest magnitude > 1e8.
    expect(formatTensor([1.5e9, -2], [2], 'float32')).toBe('tensor([ 1.5000e+09, -2.0000e+00])');
    expect(formatTensor([1e8, 2e8], [2], 'float64')).toBe('tensor([1.0000e+08, 2.0000e+08])');
    expect(formatTensor([1e8 - 1, 1e8], [2], 'float64')).toBe('tensor([ 99999999., 100000000.])');
    // Three-digit exponents.
    expect(formatTensor([1e-300, 1], [2], 'float64')).toBe('tensor([1.0000e-300,  1.0000e+00])');
  });
});

describe('formatTensor: layout', () => {
  it('prints 2-d tensors one row per line under "tensor("', () => {
    expect(formatTensor([1, 2, 3, 4], [2, 2], 'float32')).toBe(
      'tensor([[1., 2.],\n        [3., 4.]])',
    );
    expect(formatTensor([1.5, -2, 3, 40.25], [2, 2], 'float32')).toBe(
      'tensor([[ 1.5000, -2.0000],\n' + '        [ 3.0000, 40.2500]])',
    );
    expect(formatTensor([], [3, 0], 'float32')).toBe('tensor([], size=[3,0])');
  });

  it('separates 3-d blocks with a blank line', () => {
    expect(formatTensor(range(8), [2, 2, 2], 'float32')).toBe(
      [
        'tensor([[[0., 1.],',
        '         [2., 3.]],',
        '',
        '        [[4., 5.],',
        '         [6., 7.]]])',
      ].join('\n'),
    );
    // ndim - d - 1 newlines between blocks of dimension d: two blank lines at the top of a 4-d one.
    expect(formatTensor(range(4), [2, 1, 1, 2], 'int32')).toBe(
      ['tensor([[[[0, 1]]],', '', '', '        [[[2, 3]]]])'].join('\n'),
    );
    expect(formatTensor(range(4), [1, 2, 1, 2], 'int32')).toBe(
      ['tensor([[[[0, 1]],', '', '         [[2, 3]]]])'].join('\n'),
    );
  });

  it('wraps long rows at 80 columns', () => {
    expect(
      formatTensor(
        range(20, (i) => i + 0.5),
        [20],
        'float32',
      ),
    ).toBe(
      [
        'tensor([ 0.5000,  1.5000,  2.5000,  3.5000,  4.5000,  5.5000,  6.5000,  7.5000,',
        '         8.5000,  9.5000, 10.5000, 11.5000, 12.5000, 13.5000, 14.5000, 15.5000,',
        '        16.5000, 17.5000, 18.5000, 19.5000])',
      ].join('\n'),
    );
    expect(
      formatTensor(
        range(20, (i) => i + 0.5),
        [2, 10],
        'float32',
      ),
    ).toBe(
      [
        'tensor([[ 0.5000,  1.5000,  2.5000,  3.5000,  4.5000,  5.5000,  6.5000,  7.5000,',
        '          8.5000,  9.5000],',
        '        [10.5000, 11.5000, 12.5000, 13.5000, 14.5000, 15.5000, 16.5000, 17.5000,',
        '         18.5000, 19.5000]])',
      ].join('\n'),
    );
  });

  it('prints all 1000 elements of a 1000-element tensor', () => {
    const text = formatTensor(range(1000), [1000], 'int32');
    expect(text).not.toContain('...');
    expect(text.startsWith('tensor([  0,   1,   2,')).toBe(true);
    expect(text.endsWith(' 999])')).toBe(true);
  });
});

describe('formatTensor: summarization', () => {
  it('shows 3 edge items of a 2000-element vector, choosing the format from them', () => {
    expect(formatTensor(range(2000), [2000], 'float32')).toBe(
      'tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n' +
        '        1.9990e+03])',
    );
    expect(formatTensor(range(2000), [2000], 'int32')).toBe(
      'tensor([   0,    1,    2,  ..., 1997, 1998, 1999])',
    );
    // A huge value hidden in the middle does not affect the format.
    const data = range(2000, () => 1);
    data[1000] = 1e20;
    expect(formatTensor(data, [2000], 'float32')).toBe('tensor([1., 1., 1.,  ..., 1., 1., 1.])');
  });

  it('summarizes a 100 x 100 matrix in both dimensions', () => {
    expect(formatTensor(range(10000), [100, 100], 'int32', ['dtype=int32'])).toBe(
      [
        'tensor([[   0,    1,    2,  ...,   97,   98,   99],',
        '        [ 100,  101,  102,  ...,  197,  198,  199],',
        '        [ 200,  201,  202,  ...,  297,  298,  299],',
        '        ...,',
        '        [9700, 9701, 9702,  ..., 9797, 9798, 9799],',
        '        [9800, 9801, 9802,  ..., 9897, 9898, 9899],',
        '        [9900, 9901, 9902,  ..., 9997, 9998, 9999]], dtype=int32)',
      ].join('\n'),
    );
    expect(formatTensor(new Float32Array(10000).fill(1), [100, 100], 'float32')).toBe(
      [
        'tensor([[1., 1., 1.,  ..., 1., 1., 1.],',
        '        [1., 1., 1.,  ..., 1., 1., 1.],',
        '        [1., 1., 1.,  ..., 1., 1., 1.],',
        '        ...,',
        '        [1., 1., 1.,  ..., 1., 1., 1.],',
        '        [1., 1., 1.,  ..., 1., 1., 1.],',
        '        [1., 1., 1.,  ..., 1., 1., 1.]])',
      ].join('\n'),
    );
  });

  it('summarizes only dimensions longer than 6', () => {
    expect(
      formatTensor(
        range(2002, (i) => i % 10),
        [2, 1001],
        'int32',
      ),
    ).toBe(['tensor([[0, 1, 2,  ..., 8, 9, 0],', '        [1, 2, 3,  ..., 9, 0, 1]])'].join('\n'));
    expect(
      formatTensor(
        range(8000, (i) => i % 10),
        [8, 2, 500],
        'int32',
      ),
    ).toBe(
      [
        'tensor([[[0, 1, 2,  ..., 7, 8, 9],',
        '         [0, 1, 2,  ..., 7, 8, 9]],',
        '',
        '        [[0, 1, 2,  ..., 7, 8, 9],',
        '         [0, 1, 2,  ..., 7, 8, 9]],',
        '',
        '        [[0, 1, 2,  ..., 7, 8, 9],',
        '         [0, 1, 2,  ..., 7, 8, 9]],',
        '',
        '        ...,',
        '',
        '        [[0, 1, 2,  ..., 7, 8, 9],',
        '         [0, 1, 2,  ..., 7, 8, 9]],',
        '',
        '        [[0, 1, 2,  ..., 7, 8, 9],',
        '         [0, 1, 2,  ..., 7, 8, 9]],',
        '',
        '        [[0, 1, 2,  ..., 7, 8, 9],',
        '         [0, 1, 2,  ..., 7, 8, 9]]])',
      ].join('\n'),
    );
  });

  it('is fast on a large tensor', () => {
    const data = new Float32Array(4_000_000);
    const t0 = performance.now();
    formatTensor(data, [2000, 2000], 'float32');
    expect(performance.now() - t0).toBeLessThan(30_000); // a hang guard; speed is measured in bench/
  });
});

describe('formatTensor: suffixes and empty tensors', () => {
  it('appends suffixes after the data', () => {
    expect(formatTensor([1, 2], [2], 'float64', ['dtype=float64', 'requiresGrad=true'])).toBe(
      'tensor([1., 2.], dtype=float64, requiresGrad=true)',
    );
    expect(formatTensor([0.5], [], 'float32', ['requiresGrad=true'])).toBe(
      'tensor(0.5000, requiresGrad=true)',
    );
  });

  it('moves a suffix that would pass column 80 to its own line', () => {
    expect(
      formatTensor(
        range(12, (i) => i * 1.25),
        [12],
        'float32',
        ['requiresGrad=true', 'gradFn=<MulBackward>'],
      ),
    ).toBe(
      [
        'tensor([ 0.0000,  1.2500,  2.5000,  3.7500,  5.0000,  6.2500,  7.5000,  8.7500,',
        '        10.0000, 11.2500, 12.5000, 13.7500], requiresGrad=true,',
        '       gradFn=<MulBackward>)',
      ].join('\n'),
    );
  });

  it('prints empty tensors with their size unless 1-d', () => {
    expect(formatTensor([], [0], 'float32')).toBe('tensor([])');
    expect(formatTensor([], [0, 3], 'float32')).toBe('tensor([], size=[0,3])');
    expect(formatTensor(new Int32Array(0), [2, 0, 4], 'int32', ['dtype=int32'])).toBe(
      'tensor([], size=[2,0,4], dtype=int32)',
    );
  });

  it('does not change its suffixes argument', () => {
    const suffixes = ['dtype=float64'];
    formatTensor([], [0, 1], 'float64', suffixes);
    expect(suffixes).toEqual(['dtype=float64']);
  });

  it('rejects data of the wrong length', () => {
    expect(() => formatTensor([1, 2, 3], [2, 2], 'float32')).toThrow(
      'formatTensor: shape [2,2] needs 4 values, got 3',
    );
  });
});
