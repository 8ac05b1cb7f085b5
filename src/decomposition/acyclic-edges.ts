/**
 * Adds edges to a dependency graph only when they keep it acyclic, in time proportional to the part of the graph
 * an edge reorders (Pearce & Kelly's dynamic topological order): an edge that agrees with the current order is
 * O(1); one against it searches only the nodes ranked between its two ends, then swaps their ranks.
 */
export class AcyclicEdges {
  private readonly order: Int32Array;
  private readonly dependents: number[][];
  private readonly mark: Uint8Array;

  /** `deps[i]` = the nodes node i depends on; must be acyclic, and is extended in place. */
  constructor(private readonly deps: Set<number>[]) {
    const n = deps.length;
    this.dependents = deps.map(() => []);
    deps.forEach((ds, i) => { for (const d of ds) this.dependents[d]?.push(i); });
    this.mark = new Uint8Array(n);
    this.order = new Int32Array(n);
    const indegree = deps.map((d) => d.size);
    const queue: number[] = [];
    for (let i = 0; i < n; i++) if (indegree[i] === 0) queue.push(i);
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head] as number;
      this.order[v] = head;
      for (const c of this.dependents[v] ?? []) if (--indegree[c]! === 0) queue.push(c);
    }
  }

  /** Adds "dependent depends on dependency" unless it would close a cycle; false when refused. */
  tryAdd(dependent: number, dependency: number): boolean {
    if (dependent === dependency) return false;
    const own = this.deps[dependent];
    if (!own) return false;
    if (own.has(dependency)) return true;
    const low = this.order[dependent] as number;
    const high = this.order[dependency] as number;
    if (high > low) {
      // Against the order: the dependent and what follows it (up to `high`), the dependency and what it needs
      // (down to `low`). Reaching the dependency from the dependent means a cycle.
      const forward = this.collect(dependent, (v) => this.dependents[v] ?? [], (r) => r <= high, dependency);
      if (forward === undefined) return false;
      const backward = this.collect(dependency, (v) => this.deps[v] ?? [], (r) => r >= low, undefined) as number[];
      this.reorder(backward, forward);
    }
    own.add(dependency);
    this.dependents[dependency]?.push(dependent);
    return true;
  }

  /** Nodes reachable from `start` within the rank window; undefined when `stop` is reached. */
  private collect(start: number, next: (v: number) => Iterable<number>, inWindow: (rank: number) => boolean, stop: number | undefined): number[] | undefined {
    const found: number[] = [];
    const stack = [start];
    this.mark[start] = 1;
    let hit = false;
    while (stack.length > 0 && !hit) {
      const v = stack.pop() as number;
      found.push(v);
      for (const w of next(v)) {
        if (w === stop) hit = true;
        if (!this.mark[w] && inWindow(this.order[w] as number)) {
          this.mark[w] = 1;
          stack.push(w);
        }
      }
    }
    for (const v of found) this.mark[v] = 0;
    for (const v of stack) this.mark[v] = 0;
    return hit ? undefined : found;
  }

  /** Gives the backward set the lowest of the ranks both sets hold, in their old relative order. */
  private reorder(backward: number[], forward: number[]): void {
    const byRank = (a: number, b: number): number => (this.order[a] as number) - (this.order[b] as number);
    backward.sort(byRank);
    forward.sort(byRank);
    const nodes = [...backward, ...forward];
    const ranks = nodes.map((v) => this.order[v] as number).sort((a, b) => a - b);
    nodes.forEach((v, k) => { this.order[v] = ranks[k] as number; });
  }
}
