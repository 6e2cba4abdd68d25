/**
 * An error a user can cause (bad file, bad option, infeasible request). The CLI prints its
 * message and exits nonzero without a stack trace; anything else that throws is a bug.
 */
export class HexplanError extends Error {
  /** One line per problem, already formatted as `FILE: json.path: message` where that applies. */
  readonly problems: string[];
  readonly exitCode: number;
  /**
   * The library option at fault (`timeLimitS`), named in the message as it is here; the CLI
   * maps it to its flag (`--time-limit`). Library code never names a flag.
   */
  readonly field: string | undefined;

  constructor(message: string, options: { problems?: string[]; exitCode?: number; field?: string } = {}) {
    super(message);
    this.name = 'HexplanError';
    // One problem, one line: an id holding a newline must not split a message in two.
    this.problems = (options.problems ?? [message]).map(oneLine);
    this.exitCode = options.exitCode ?? 1;
    this.field = options.field;
  }
}

const LINE_BREAK_ESCAPES: Record<string, string> = {
  '\n': '\\n',
  '\r': '\\r',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** Escapes line breaks (`\n`, `\r`, U+2028/9) so a message stays on one line. */
export function oneLine(text: string): string {
  return text.replace(/[\n\r\u2028\u2029]/g, (c) => LINE_BREAK_ESCAPES[c]!);
}

/** Formats a JSON path like `workflows[3].calls[0].deps` from zod-style path segments. */
export function formatJsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out === '' ? '(root)' : out;
}

export function problem(file: string, path: ReadonlyArray<PropertyKey> | string, message: string): string {
  const p = typeof path === 'string' ? path : formatJsonPath(path);
  return `${file}: ${p}: ${message}`;
}

/**
 * An id as messages print it: quoted, with quotes, backslashes and line breaks escaped, so an
 * id holding `"` or a newline can neither end the quote early nor split the line.
 */
export function quoteId(id: string): string {
  return JSON.stringify(id).replace(/[\u2028\u2029]/g, (c) => LINE_BREAK_ESCAPES[c]!);
}

/**
 * Runs `load` on a file another file refers to; its problems are prefixed with the referring
 * file and field (`cluster.json: profiles: prof.json: (file): no such file`), so a bad reference
 * names where it was made, not only its target.
 */
export function referredFrom<T>(file: string, field: string, load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (!(err instanceof HexplanError)) throw err;
    const prefix = `${file}: ${field}: `;
    const problems = err.problems.map((p) => prefix + p);
    throw new HexplanError(problems[0]!, { problems, exitCode: err.exitCode });
  }
}

/** An invalid option value passed to a library function: names the field and the value. */
export function optionError(field: string, message: string): HexplanError {
  return new HexplanError(`${field} ${message}`, { field });
}
