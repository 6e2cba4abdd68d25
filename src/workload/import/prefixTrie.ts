/**
 * Longest common prefix of a hash-block sequence with any earlier sequence, as a trie keyed
 * by (parent node, block hash). Memory is one Map entry per distinct prefix block seen, and is
 * capped at `maxNodes` (default 4M ≈ a few hundred MB): past the cap, lookups still match what
 * is stored but new blocks are not added, and `full` says so (reported in the summary).
 */
export class PrefixTrie {
  private readonly children = new Map<string, number>();
  private nextNode = 1;
  full = false;

  constructor(private readonly maxNodes: number) {}

  get size(): number {
    return this.nextNode - 1;
  }

  /** How many leading blocks of `hashes` some earlier sequence shares; then remembers `hashes`. */
  matchAndInsert(hashes: ReadonlyArray<string | number>): number {
    let node = 0;
    let matched = 0;
    for (; matched < hashes.length; matched++) {
      const child = this.children.get(`${node}:${hashes[matched]}`);
      if (child === undefined) break;
      node = child;
    }
    for (let i = matched; i < hashes.length; i++) {
      if (this.nextNode > this.maxNodes) {
        this.full = true;
        break;
      }
      const id = this.nextNode++;
      this.children.set(`${node}:${hashes[i]}`, id);
      node = id;
    }
    return matched;
  }
}
