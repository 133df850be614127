/**
 * The exercise mode: a student picks an exercise (a circuit from the lectures, a network's δ and
 * G, or a random circuit by size and seed), sees the circuit — for a scalar one, the library's
 * picture with the gradients as "?" — and fills the blanks in backward order. Each answer is
 * checked (checkAnswer); a wrong one gets its specific hint; "Reveal this step" shows one step;
 * the score follows. The exercise's code is in the URL (`?exercise=staged:0-3`), so it can be shared.
 */
import { EXERCISES, type Explanation } from 'nabla/viz';
import { compact } from './backprop-steps.js';
import { el } from './dom.js';
import { drawCircuit, nameGates, showKnown } from './exercise-picture.js';
import { networkPlan, networkSvg, type NetworkPlan } from './exercise-network.js';
import {
  blankPlaces,
  explainExercise,
  ExerciseSession,
  readExerciseCode,
  type Outcome,
} from './exercise-model.js';
import './exercise.css';

const MARK: Record<Outcome, string> = {
  right: '✓',
  retried: '✓ after a hint',
  revealed: 'revealed',
};

/** What the view tells the page: the code of the exercise open ('' for none), for the URL. */
export interface ExerciseHooks {
  onCode: (code: string) => void;
}

export class ExerciseView {
  private session?: ExerciseSession;
  private explanation?: Explanation;
  private places?: (string | undefined)[];
  /** For a layer-level exercise (no circuit): the network to draw with its blanks marked. */
  private network?: NetworkPlan;
  private feedback?: { message: string; correct: boolean };
  private solution = false;
  private token = 0;
  private readonly pick = el('select', { id: 'exercise-pick', 'aria-label': 'exercise' });
  private readonly size = el('input', {
    id: 'exercise-size',
    type: 'number',
    min: '1',
    step: '1',
    value: '4',
  });
  private readonly seed = el('input', {
    id: 'exercise-seed',
    type: 'number',
    step: '1',
    value: '1',
  });
  private readonly randomFields = el(
    'span',
    { class: 'ex-random' },
    el('label', {}, 'gates ', this.size),
    el('label', {}, 'seed ', this.seed),
  );
  /** Unticked: only the key blanks are asked (`:key`), the copies (× 1) are given. */
  private readonly all = el('input', { id: 'exercise-all', type: 'checkbox' });
  private readonly error = el('p', { class: 'ex-error', role: 'alert', hidden: '' });
  private readonly body = el('div', { id: 'exercise-body', class: 'ex-body' });
  private readonly picture = el('div', { id: 'exercise-picture', class: 'ex-picture figure' });

  constructor(
    root: HTMLElement,
    private readonly hooks: ExerciseHooks,
  ) {
    this.pick.append(el('option', { value: '' }, '— choose an exercise —'));
    for (const [name, { title }] of Object.entries(EXERCISES))
      this.pick.append(el('option', { value: name }, `${name}: ${title}`));
    this.pick.append(
      el('option', { value: 'random' }, 'random: a random circuit, by size and seed'),
    );
    const start = el('button', { id: 'exercise-start', class: 'primary' }, 'Start');
    start.addEventListener('click', () => this.start());
    this.pick.addEventListener('change', () => this.showRandomFields());
    // An open exercise starts over with all blanks, or with the key ones only.
    this.all.addEventListener('change', () => {
      if (this.session !== undefined) this.start(this.withAll(this.session.exercise.code));
    });
    const all = el(
      'label',
      { class: 'ex-all', title: 'also the copies: a local gradient of 1, a product by 1' },
      this.all,
      ' all blanks',
    );
    root.replaceChildren(
      el(
        'p',
        { class: 'caption' },
        'Do the backward pass yourself: each answer is checked, a wrong one gets a hint.',
      ),
      el('div', { class: 'ex-picker' }, this.pick, this.randomFields, all, start),
      this.error,
      this.body,
    );
    this.showRandomFields();
  }

  private showRandomFields(): void {
    this.randomFields.hidden = this.pick.value !== 'random';
  }

  private showError(message: string | undefined): void {
    this.error.hidden = message === undefined;
    this.error.textContent = message ?? '';
  }

  /** The code the picker describes: the key blanks, or all of them when the box says so. */
  private pickedCode(): string {
    const name = this.pick.value;
    if (name === '') return '';
    return this.withAll(name === 'random' ? `random-${this.size.value}-${this.seed.value}` : name);
  }

  /** `code`'s circuit with the blanks the "all blanks" box asks for. */
  private withAll(code: string): string {
    const circuit = code.split(':')[0];
    return this.all.checked ? circuit : `${circuit}:key`;
  }

  /** Opens the exercise of `code` (by default the picker's), or says what is wrong with it. */
  start(code = this.pickedCode()): void {
    if (code === '') {
      this.close();
      return;
    }
    try {
      this.open(readExerciseCode(code));
    } catch (e) {
      this.showError(`Cannot start this exercise: expected ${(e as Error).message}`);
    }
  }

  /** No exercise open. */
  close(): void {
    this.token++;
    this.session = undefined;
    this.body.replaceChildren();
    this.hooks.onCode('');
  }

  /** Opens the exercise of `code` (throws what was wrong with it). */
  open(code: string): void {
    const session = new ExerciseSession(code);
    this.showError(undefined);
    this.session = session;
    this.feedback = undefined;
    this.solution = false;
    const [spec, asked] = session.exercise.code.split(':');
    this.all.checked = asked !== 'key';
    const random = /^random-(\d+)-(-?\d+)$/.exec(spec);
    this.pick.value = random === null ? spec : 'random';
    if (random !== null) [this.size.value, this.seed.value] = [random[1], random[2]];
    this.showRandomFields();
    this.explanation = explainExercise(session.exercise);
    this.places = this.explanation && blankPlaces(this.explanation, session.exercise);
    this.network = this.explanation === undefined ? networkPlan(session.exercise) : undefined;
    this.picture.replaceChildren();
    this.hooks.onCode(session.exercise.code);
    this.render();
    void this.drawPicture();
  }

  private async drawPicture(): Promise<void> {
    const e = this.explanation;
    if (e === undefined) return;
    const token = ++this.token;
    this.picture.replaceChildren(el('p', { class: 'caption' }, 'Drawing the circuit…'));
    let svg: string;
    try {
      svg = await drawCircuit(e);
    } catch (err) {
      if (token === this.token)
        this.picture.replaceChildren(
          el(
            'p',
            { class: 'ex-error' },
            `The circuit could not be drawn: ${(err as Error).message}`,
          ),
        );
      return;
    }
    if (token !== this.token) return;
    this.picture.innerHTML = svg;
    const drawn = this.picture.querySelector('svg');
    if (drawn === null) return;
    drawn.setAttribute('aria-label', 'the circuit: forward values in black, gradients in red');
    nameGates(drawn, e);
    this.paintPicture();
  }

  private paintPicture(): void {
    const svg = this.picture.querySelector('svg');
    const s = this.session;
    if (s !== undefined && this.network !== undefined) {
      const shown = (i: number): boolean => this.solution || s.done || s.known(i);
      this.picture.innerHTML = networkSvg(this.network, s.exercise, shown, s.current);
      return;
    }
    if (svg === null || s === undefined) return;
    const known = new Set<string>();
    this.places?.forEach((place, i) => {
      if (place !== undefined && s.known(i)) known.add(place);
    });
    showKnown(svg, known, this.solution || s.done, this.places);
  }

  private answer(text: string): void {
    const s = this.session;
    if (s === undefined) return;
    const said = s.answer(text);
    // a right answer shows as ✓ on its own line; a wrong one's hint stays under the box
    this.feedback = said.correct ? undefined : said;
    this.render();
  }

  private reveal(): void {
    const s = this.session;
    if (s === undefined) return;
    s.reveal();
    this.feedback = undefined;
    this.render();
  }

  /** Reveals every step left (each counts as revealed): the worked solution. */
  private showSolution(): void {
    const s = this.session;
    if (s === undefined) return;
    while (!s.done) s.reveal();
    this.solution = true;
    this.feedback = undefined;
    this.render();
  }

  /** Draws the session: the circuit, the blanks so far, the one asked, the score. */
  private render(): void {
    const s = this.session;
    if (s === undefined) return;
    const ex = s.exercise;
    const score = s.score();
    const scoreLine = el(
      'p',
      {
        id: 'exercise-score',
        class: 'ex-score',
        'data-right': String(score.right),
        'data-asked': String(score.asked),
        'data-done': String(s.done),
      },
      score.text,
    );
    const list = el('ol', { id: 'exercise-blanks', class: 'ex-blanks', start: '0' });
    let input: HTMLInputElement | undefined;
    for (const [i, blank] of ex.blanks.entries()) {
      if (s.current === i) {
        [input] = this.currentBlank(list, i);
        break;
      }
      const outcome = s.outcomes.get(i);
      const state = outcome ?? 'given';
      const value = compact(blank.answer, blank.shape);
      list.append(
        el(
          'li',
          { class: `ex-blank ex-${state}`, 'data-index': String(i), 'data-state': state },
          el('span', { class: 'ex-prompt' }, blank.prompt),
          ' = ',
          el('b', {}, value),
          ' ',
          el('span', { class: 'ex-mark' }, outcome === undefined ? '(given)' : MARK[outcome]),
          outcome === 'revealed' ? el('div', { class: 'ex-step' }, `step: ${blank.reveal}`) : null,
        ),
      );
    }
    const actions = el('div', { class: 'ex-actions' });
    if (!s.done) {
      const solution = el('button', { id: 'exercise-solution' }, 'Show the solution');
      solution.addEventListener('click', () => this.showSolution());
      actions.append(solution);
    }
    const close = el('button', { id: 'exercise-close' }, 'Close');
    close.addEventListener('click', () => {
      this.pick.value = '';
      this.showRandomFields();
      this.close();
    });
    actions.append(close);
    const parts: (Node | null)[] = [
      el('h3', { id: 'exercise-name' }, `${ex.code}: ${ex.title}`),
      el('pre', { id: 'exercise-circuit', class: 'ex-circuit' }, ex.circuit.join('\n')),
      this.explanation === undefined && this.network === undefined ? null : this.picture,
      el(
        'p',
        { class: 'caption' },
        'Fill in the backward pass from the output back, to 3 significant digits; several numbers separated by commas, a matrix row by row.',
      ),
      list,
      s.done ? el('p', { class: 'ex-done' }, 'Done: every blank is filled.') : null,
      scoreLine,
      actions,
    ];
    this.body.replaceChildren(...parts.filter((p): p is Node => p !== null));
    this.paintPicture();
    input?.focus({ preventScroll: true });
  }

  /** The blank being asked: its prompt, the answer box, Check, Reveal and what the last answer got. */
  private currentBlank(list: HTMLOListElement, i: number): [HTMLInputElement] {
    const s = this.session!;
    const blank = s.exercise.blanks[i];
    const input = el('input', {
      id: 'exercise-answer',
      type: 'text',
      inputmode: 'decimal',
      autocomplete: 'off',
      'aria-label': blank.prompt,
    });
    const check = el('button', { id: 'exercise-check', class: 'primary' }, 'Check');
    const reveal = el('button', { id: 'exercise-reveal' }, 'Reveal this step');
    check.addEventListener('click', () => this.answer(input.value));
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') this.answer(input.value);
    });
    reveal.addEventListener('click', () => this.reveal());
    const f = this.feedback;
    const asked = s.exercise.asked;
    list.append(
      el(
        'li',
        { class: 'ex-blank ex-current', 'data-index': String(i), 'data-state': 'current' },
        el('span', { class: 'ex-prompt' }, blank.prompt),
        el('span', { class: 'ex-count' }, ` (${s.position + 1} of ${asked.length})`),
        el('div', { class: 'ex-answer' }, input, check, reveal),
        el(
          'p',
          {
            id: 'exercise-feedback',
            class: `ex-feedback${f === undefined ? '' : f.correct ? ' ex-right' : ' ex-wrong'}`,
            role: 'status',
          },
          f === undefined ? '' : f.correct ? f.message : `✗ ${f.message}`,
        ),
      ),
    );
    return [input];
  }
}

/**
 * The exercise panel in `root`, on the exercise `settings.exercise` names (opened and scrolled to
 * when the page's link has one); choosing another sets it and calls `saveUrl`. A classroom link
 * with `hide=exercise` gets no panel at all (classroom.ts hides its section).
 */
export function mountExercises(
  root: HTMLElement,
  settings: { exercise: string; hide: readonly string[] },
  saveUrl: () => void,
): ExerciseView | undefined {
  if (settings.hide.includes('exercise')) return undefined;
  const view = new ExerciseView(root, {
    onCode: (code) => {
      settings.exercise = code;
      saveUrl();
    },
  });
  if (settings.exercise !== '') {
    view.start(settings.exercise);
    (root.closest('section') ?? root).scrollIntoView({ block: 'start' });
  }
  return view;
}
