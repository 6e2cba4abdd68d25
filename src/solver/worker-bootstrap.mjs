// Development-only entry of the solver worker thread (compiled, dist/solver/worker.js starts
// directly; see src/util/workerEntry.ts). A worker does not inherit the loader hooks of the thread
// that started it, so tsx is registered here before the TypeScript worker is imported; this
// makes the same file work under `node bin/hexplan.js`, under vitest and from a notebook.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
