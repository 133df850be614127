/**
 * Runs a test file on the native backend: the `native` Vitest project (vitest.config.ts) runs
 * the operation, autograd, nn, optimizer and training suites again with this setup, so that
 * both backends pass the same tests. The thresholds below which the native backend hands small
 * arrays to the TypeScript kernels are 0 here, so every native kernel runs on the suite's small
 * tensors too. The addon must be built (`npm install` builds it); when it is not, every file of
 * the project fails with the reason.
 */
import { getBackend, registerBackend, setBackend } from '../src/backend/index.js';
import { nativeAddon, nativeBackend, nativeError } from '../src/node/native.js';

const addon = nativeAddon();
if (addon === undefined) throw new Error(`the native backend is not available: ${nativeError()}`);
registerBackend(nativeBackend(addon, { minMatmulWork: 0, minElements: 0 }));
setBackend('native');
if (getBackend() !== 'native') throw new Error(`expected the native backend, got ${getBackend()}`);
