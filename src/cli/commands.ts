import type { CommandModule } from 'yargs';
import { validateCommand } from './validate.ts';

/** The only list of commands: adding one is a file in src/cli/ and a line here. */
// biome-ignore lint/suspicious/noExplicitAny: each command has its own argument type
export const commands: CommandModule<any, any>[] = [validateCommand];
