import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding hexplan's package.json. Data files (models/, instances/) are found from
 * here rather than relative to a source file, so the same lookup works from src/ under tsx,
 * from a compiled dist/, and from an installed package.
 */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === 'hexplan') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('hexplan: package.json not found above src/io/packageRoot.ts');
    dir = parent;
  }
}

let root: string | undefined;

/** Absolute path of a file shipped with the package, e.g. `packagePath('models', 'gpus.json')`. */
export function packagePath(...segments: string[]): string {
  root ??= findPackageRoot();
  return join(root, ...segments);
}
