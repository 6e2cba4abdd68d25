// `npm run dev -- <command>`: the CLI straight from the TypeScript sources, through tsx.
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
