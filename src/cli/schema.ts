import { z } from 'zod';
import { FILE_FORMATS, fileFormat, jsonSchemaOf } from '../schema/formats.ts';
import { CommandLineError, defineCommand } from './defineCommand.ts';
import { flag } from './flags.ts';

export const schemaCommand = defineCommand({
  options: {
    name: flag(z.string().min(1).optional(), { describe: 'format name', positional: true }),
  },
  examples: [
    ['$0 schema', 'every format hexplan reads or writes'],
    ['$0 schema workload > workload.schema.json', 'for an editor or a validator in another language'],
  ],
  run: (o, ctx) => {
    if (o.name === undefined) {
      const width = Math.max(...FILE_FORMATS.map((f) => f.name.length));
      ctx.emit(
        'schema-list',
        {
          formats: FILE_FORMATS.map((f) => ({ name: f.name, direction: f.direction, describe: f.describe })),
        },
        () =>
          FILE_FORMATS.map((f) => `${f.name.padEnd(width)}  ${f.direction.padEnd(6)}  ${f.describe}`).join(
            '\n',
          ),
      );
      return;
    }
    const format = fileFormat(o.name);
    if (!format)
      throw new CommandLineError(
        `unknown format "${o.name}" (known: ${FILE_FORMATS.map((f) => f.name).join(', ')})`,
      );
    // A JSON Schema is JSON already: printed as is, with or without --json.
    process.stdout.write(`${JSON.stringify(jsonSchemaOf(format), null, 2)}\n`);
  },
});
