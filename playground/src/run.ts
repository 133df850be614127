/**
 * The run buttons on the page: Play or Pause (off when the speed is "one step per click"), Step
 * saying what it trains (pace.ts), and the space bar as Play.
 */
import { epochsPerSecond } from './choices.js';
import { playTitle, stepButton } from './pace.js';
import type { Settings } from './settings.js';

/** Shows the state of the run on Play and Step. */
export function showRunButtons(
  play: HTMLButtonElement,
  step: HTMLButtonElement,
  s: Settings,
  running: boolean,
  points: number,
): void {
  const clickOnly = epochsPerSecond(s.speed) === 0;
  play.textContent = running ? '❚❚ Pause' : '▶ Play';
  play.setAttribute('aria-pressed', String(running));
  play.disabled = clickOnly && !running;
  play.title = playTitle(s);
  const { text, title } = stepButton(s, points);
  step.textContent = text;
  step.title = title;
}

/** Space calls `toggle` (Play or Pause), except while typing in a box or choosing in a list. */
export function playOnSpace(toggle: () => void): void {
  document.addEventListener('keydown', (e) => {
    const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
    if (e.code !== 'Space' || typing) return;
    e.preventDefault();
    toggle();
  });
}
