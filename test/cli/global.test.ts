import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cliOutput.ts';

const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

describe('hexplan: global options', () => {
  it('--version prints the package version', async () => {
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(version);
  });

  it('no command: the command list on stderr and exit 2; --help: on stdout and exit 0', async () => {
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/Commands:/);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/Commands:/);
  });

  it('a mistyped command is refused with a suggestion', async () => {
    const r = await runCli(['gne']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command "gne".*gen/);
  });
});
