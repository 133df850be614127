/** `node:console` in the browser: the page's console, keeping the last error for the result. */
import { noteError } from './process.mjs';

const page = globalThis.console;
export default {
  log: (...args) => page.log(...args),
  warn: (...args) => page.warn(...args),
  info: (...args) => page.info(...args),
  error: (...args) => {
    noteError(args.map(String).join(' '));
    page.error(...args);
  },
};
