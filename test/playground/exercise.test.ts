/**
 * The playground's exercise mode without the browser: the session's checks, hints, reveals and
 * score; the circuit behind an exercise and where each blank sits in its picture; the exercise
 * code in the URL; and the signed sums of the backprop steps.
 */
import { describe, expect, it } from 'vitest';
import { scalar } from '../../src/index.js';
import { explainBackward, formatSum } from '../../src/viz.js';
import { settingsFromQuery, settingsToQuery } from '../../playground/src/url.js';
import { backpropSteps } from '../../playground/src/views/backprop-steps.js';
import {
  blankPlaces,
  explainExercise,
  ExerciseSession,
  readExerciseCode,
} from '../../playground/src/views/exercise-model.js';

describe('an exercise session', () => {
  it('checks each blank in backward order, hints at a wrong branch, reveals a step, scores', () => {
    const s = new ExerciseSession('add-mul');
    expect(s.current).toBe(0);
    // ∂f/∂q1 of f = q1·z is z = −4
    expect(s.answer('−4')).toEqual({ correct: true, message: '✓' });
    expect(s.current).toBe(1);
    // what f sends back to q1 is −4; 3 is what it sends to z
    const wrong = s.answer('3');
    expect(wrong.correct).toBe(false);
    expect(wrong.message).toMatch(/what f sends to z/);
    expect(s.tries).toBe(1);
    expect(s.answer('-4').correct).toBe(true);
    expect(s.outcomes.get(1)).toBe('retried');
    expect(s.reveal()).toBe('∂f/∂z = q1 = 3');
    expect(s.score().text).toBe('score: 2/8 (1 after a hint, 1 revealed, 5 to go)');
    expect(s.answer('abc').message).toMatch(/type a number/);
    while (!s.done) s.reveal();
    expect(s.score()).toMatchObject({ right: 2, asked: 8 });
  });

  it('gives the blanks not asked', () => {
    const s = new ExerciseSession('add-mul:2-3');
    expect(s.known(0)).toBe(true);
    expect(s.known(2)).toBe(false);
    expect(s.current).toBe(2);
  });

  it('reads exercise codes as the library does, canonically, and says what it expects', () => {
    expect(readExerciseCode('staged:3,0-2')).toBe('staged:0-3');
    expect(() => readExerciseCode('nope')).toThrow(/an exercise code such as .*unknown circuit/);
    expect(() => readExerciseCode('add-mul:9')).toThrow(/blank 9 does not exist/);
  });
});

describe('the circuit behind an exercise', () => {
  it("places each blank of the staged example in the library's picture", () => {
    const ex = new ExerciseSession('staged').exercise;
    const e = explainExercise(ex)!;
    const places = blankPlaces(e, ex)!;
    expect(places).toHaveLength(ex.blanks.length);
    const x = e.results.find((r) => r.name === 'x')!.id;
    // the last two blanks are the sums at x and y; a product is drawn on its wire
    expect(places[places.length - 2]).toBe(x);
    expect(places[1]).toMatch(/^n\d+->n\d+$/);
    expect(places[0]).toBeUndefined();
  });

  it('rebuilds random circuits from their seed, and has none for the layer exercises', () => {
    for (const code of ['random-5-42', 'random-9-3', 'neuron', 'add-mul']) {
      const ex = new ExerciseSession(code).exercise;
      expect(blankPlaces(explainExercise(ex)!, ex)).toBeDefined();
    }
    expect(explainExercise(new ExerciseSession('net-2-2-1').exercise)).toBeUndefined();
    expect(explainExercise(new ExerciseSession('softmax').exercise)).toBeUndefined();
  });
});

describe('the exercise in the URL', () => {
  it('round-trips, and a bad code is reported and left out', () => {
    const { settings, problems } = settingsFromQuery('?exercise=random-5-42:0-2,7');
    expect(problems).toEqual([]);
    expect(settings.exercise).toBe('random-5-42:0-2,7');
    expect(settingsToQuery(settings)).toBe('exercise=random-5-42:0-2,7');
    expect(settingsFromQuery(`?${settingsToQuery(settings)}`).settings).toEqual(settings);
    const bad = settingsFromQuery('?exercise=staged:99x');
    expect(bad.settings.exercise).toBe('');
    expect(bad.problems[0]).toMatch(
      /^URL parameter exercise="staged:99x": expected an exercise code/,
    );
  });
});

describe('signed sums in the backprop steps', () => {
  it('subtracts a negative term instead of writing "+ −"', () => {
    expect(formatSum(['1.583', '−0.03576', '0.5121'])).toBe('1.583 − 0.03576 + 0.5121');
    // q fans out to σ(q) and 2·q, which is subtracted: its branch gradient is negative
    const a = scalar(0.5, { requiresGrad: true, name: 'a' });
    const q = a.mul(2);
    const f = q.sigmoid().sub(q.mul(2));
    const steps = backpropSteps(explainBackward(f));
    const fanOut = steps.find((s) => s.fanOut !== undefined)!.fanOut!;
    expect(fanOut).not.toContain('+ −');
    expect(fanOut).toMatch(/^−2 \+ 0\.1966 = −1\.803|^0\.1966 − 2 = −1\.803/);
  });
});
