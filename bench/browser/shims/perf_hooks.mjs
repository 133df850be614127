/** `node:perf_hooks` in the browser: the page's clock. */
export const performance = globalThis.performance;
