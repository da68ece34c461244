/**
 * Levenshtein distance with adjacent transpositions (optimal string alignment), case-insensitive,
 * for "did you mean" suggestions among a handful of field names.
 */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let before: number[] = [];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) best = Math.min(best, before[j - 2] + 1);
      current.push(best);
    }
    before = previous;
    previous = current;
  }
  return previous[y.length];
}

/** The names among `candidates` nearest to `name` (distance at most a third of its length, at least 2), nearest first. */
export function nearestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const budget = Math.max(2, Math.floor(name.length / 3));
  const scored: Array<[number, string]> = [];
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance <= budget) scored.push([distance, candidate]);
  }
  scored.sort((p, q) => p[0] - q[0] || (p[1] < q[1] ? -1 : p[1] > q[1] ? 1 : 0));
  return scored.slice(0, limit).map((s) => s[1]);
}
