/**
 * The Node.js entry of nabla: everything in the browser-safe core. Node-only parts (file I/O,
 * the command line) are added here as they arrive, so the core never imports `node:` modules.
 *
 * @packageDocumentation
 */
export * from './index.js';
