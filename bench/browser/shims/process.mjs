/**
 * `node:process` for the runners of bench/peers/ bundled for the browser (bench/browser/bundle.ts
 * maps the import here): the case comes in as `argv[2]` and `env`, the `RESULT {json}` line the
 * runner writes and an `exitCode` it sets end the run. The page's entry (bench/browser/entries/)
 * calls `start` before importing the runner, which runs its case as it is evaluated.
 */
let settle = { resolve: () => {}, reject: () => {} };
let lastError = '';

const process = {
  argv: ['browser', 'runner'],
  env: {},
  stdout: {
    write(text) {
      const line = String(text)
        .split('\n')
        .find((l) => l.startsWith('RESULT '));
      if (line !== undefined) settle.resolve(JSON.parse(line.slice(7)));
      return true;
    },
  },
  // A page has no peak RSS of its own to read.
  resourceUsage: () => ({ maxRSS: 0 }),
  set exitCode(code) {
    if (code) settle.reject(new Error(lastError || `exit code ${code}`));
  },
  get exitCode() {
    return undefined;
  },
};

/** Sets the runner's configuration; resolves with its RESULT, rejects when it fails. */
export function start(config, env = {}) {
  process.argv[2] = JSON.stringify(config);
  Object.assign(process.env, env);
  return new Promise((resolve, reject) => {
    settle = { resolve, reject };
  });
}

/** Keeps the runner's last error line (its `console.error` before `exitCode = 1`). */
export function noteError(text) {
  lastError = text.split('\n')[0];
}

export default process;
