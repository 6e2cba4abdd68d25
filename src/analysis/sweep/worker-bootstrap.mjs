// Development-only entry of a sweep worker thread (compiled, dist/analysis/sweep/worker.js
// starts directly). Workers do not inherit the loader hooks of the thread that
// started them, so tsx is registered before the TypeScript worker is imported (the same
// pattern as src/solver/worker-bootstrap.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
