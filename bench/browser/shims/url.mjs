/** `node:url` in the browser. */
export const URL = globalThis.URL;
