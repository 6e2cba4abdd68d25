#!/usr/bin/env node
// The installed command: the compiled CLI in dist/ (built by `npm run build`, which `npm ci`
// runs through `prepare`). From the TypeScript sources, use `npm run dev -- <command>`.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('hexplan: dist/ is missing; run `npm run build` (npm ci does it)\n');
  process.exit(1);
}
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
