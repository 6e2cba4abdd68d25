/**
 * The file a worker thread starts from, next to the module at `moduleUrl`. Compiled (dist/*.js)
 * that is the worker's own .js; from the TypeScript sources (vitest, tsx) it is the sibling
 * worker-bootstrap.mjs, which registers tsx first, since a worker does not inherit its parent's
 * loader hooks. The bootstrap and tsx are development-only and are not shipped.
 */
export function workerEntry(moduleUrl: string, worker: string): URL {
  const fromSource = moduleUrl.endsWith('.ts');
  return new URL(fromSource ? './worker-bootstrap.mjs' : `./${worker}.js`, moduleUrl);
}
