import fc from 'fast-check';

/** A JSON value as a mutator sees it. */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Container = Json[] | Record<string, Json>;

/** Every (container, key) slot in a JSON value, in a stable order. */
export function slots(v: Json, out: Array<[Container, string | number]> = []) {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push([v, i]);
      slots(x, out);
    });
  } else if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      out.push([v, k]);
      slots(v[k]!, out);
    }
  }
  return out;
}

export const get = (c: Container, k: string | number) => (c as Record<string, Json>)[k as string]!;
export const set = (c: Container, k: string | number, x: Json) => {
  (c as Record<string, Json>)[k as string] = x;
};

/**
 * Numbers that broke hexplan before (issue 18): subnormals, overflow to Infinity, integers
 * past what an array can hold, times past a double's second resolution.
 */
export const EXTREME_NUMBERS = [
  0,
  -0,
  -1,
  0.5,
  1.5,
  5e-324,
  1e-320,
  1e-300,
  1e-9,
  65537,
  2 ** 31,
  1e15,
  1e20,
  1e300,
  1e308,
  Number.MAX_SAFE_INTEGER,
] as const;

/** Strings that break one-line messages or naive escaping. */
export const AWKWARD_STRINGS = ['', 'a\nb', 'x"y', 'tab\there', '\u2028', 'ünï', ' ', 'p0'] as const;

export const mutation = fc.record({
  kind: fc.constantFrom(
    'delete',
    'retype',
    'truncate',
    'swap',
    'unknown-key',
    'duplicate',
    'extreme',
    'extreme',
    'extreme',
    'string',
    'deep',
  ),
  a: fc.nat(),
  b: fc.nat(),
  value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
});
export type Mutation = { kind: string; a: number; b: number; value: Json };

const DEEP = '\u0000deep';

/**
 * The structural mutations every JSON fuzzer here shares — delete, retype, swap, unknown-key,
 * duplicate — applied in place to the slots of a parsed document; false for any other kind.
 */
export function structuralMutation(
  m: Pick<Mutation, 'kind' | 'a' | 'b' | 'value'>,
  all: ReturnType<typeof slots>,
): boolean {
  const [c1, k1] = all[m.a % all.length]!;
  const [c2, k2] = all[m.b % all.length]!;
  switch (m.kind) {
    case 'delete':
      if (Array.isArray(c1)) c1.splice(k1 as number, 1);
      else delete (c1 as Record<string, Json>)[k1 as string];
      break;
    case 'retype':
      set(c1, k1, m.value);
      break;
    case 'swap': {
      const t = get(c1, k1);
      set(c1, k1, get(c2, k2));
      set(c2, k2, t);
      break;
    }
    case 'unknown-key':
      if (get(c1, k1) && typeof get(c1, k1) === 'object' && !Array.isArray(get(c1, k1)))
        (get(c1, k1) as Record<string, Json>)[`x${m.b}`] = m.value;
      break;
    case 'duplicate':
      if (Array.isArray(c1)) c1.push(JSON.parse(JSON.stringify(get(c1, k1))));
      break;
    default:
      return false;
  }
  return true;
}

/** Applies one mutation to a JSON text; numeric and string mutations pick a leaf of that type. */
export function mutateJson(text: string, m: Mutation): string {
  if (m.kind === 'truncate') return text.slice(0, m.a % text.length);
  const doc = JSON.parse(text) as Json;
  const all = slots(doc);
  const [c1, k1] = all[m.a % all.length]!;
  const leaves = (type: string) => all.filter(([c, k]) => typeof get(c, k) === type);
  if (structuralMutation(m, all)) return JSON.stringify(doc, null, m.b % 3);
  switch (m.kind) {
    case 'extreme': {
      const nums = leaves('number');
      const [c, k] = nums.length > 0 ? nums[m.a % nums.length]! : [c1, k1];
      set(c, k, EXTREME_NUMBERS[m.b % EXTREME_NUMBERS.length]!);
      break;
    }
    case 'string': {
      const strs = leaves('string');
      const [c, k] = strs.length > 0 ? strs[m.a % strs.length]! : [c1, k1];
      set(c, k, AWKWARD_STRINGS[m.b % AWKWARD_STRINGS.length]!);
      break;
    }
    case 'deep': {
      // Deep nesting: recursion in a checker or formatter overflows the stack.
      set(c1, k1, DEEP);
      const depth = 2000 + (m.b % 8000);
      return JSON.stringify(doc).replace(`"${DEEP}"`, `${'['.repeat(depth)}1${']'.repeat(depth)}`);
    }
  }
  return JSON.stringify(doc, null, m.b % 3);
}

/** Line formats (CSV, JSONL): one line mutated, as a JSON-aware or a textual change. */
export function mutateLines(
  text: string,
  m: Mutation,
  mutateLine: (line: string, m: Mutation) => string,
): string {
  const lines = text.split('\n');
  const i = m.a % lines.length;
  lines[i] = mutateLine(lines[i]!, m);
  return lines.join('\n');
}
