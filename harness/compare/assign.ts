/**
 * Best one-to-one assignment of baseline items to candidate items by a similarity score:
 * exact (all permutations) for the handful of items tool calls and JSON arrays usually
 * have, greedy on the best remaining pair beyond that.
 */

/** Pairs [baselineIndex, candidateIndex] maximising the total score; min(n, m) pairs. */
export function bestAssignment(n: number, m: number, score: (i: number, j: number) => number): Array<[number, number]> {
  const s = Array.from({ length: n }, (_, i) => Array.from({ length: m }, (_, j) => score(i, j)));
  const k = Math.min(n, m);
  if (k === 0) return [];
  if (Math.max(n, m) <= 7) {
    let best: Array<[number, number]> = [];
    let bestScore = -Infinity;
    const used = new Array<boolean>(m).fill(false);
    const cur: Array<[number, number]> = [];
    // Every way of giving each baseline item a distinct candidate item (or none, when n > m).
    const rec = (i: number, total: number, skipped: number) => {
      if (i === n) {
        if (cur.length === k && total > bestScore) {
          bestScore = total;
          best = [...cur];
        }
        return;
      }
      for (let j = 0; j < m; j++) {
        if (used[j]) continue;
        used[j] = true;
        cur.push([i, j]);
        rec(i + 1, total + s[i]![j]!, skipped);
        cur.pop();
        used[j] = false;
      }
      if (skipped < n - k) rec(i + 1, total, skipped + 1);
    };
    rec(0, 0, 0);
    return best;
  }
  const all: Array<[number, number, number]> = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) all.push([i, j, s[i]![j]!]);
  all.sort((a, b) => b[2] - a[2]);
  const ui = new Set<number>();
  const uj = new Set<number>();
  const out: Array<[number, number]> = [];
  for (const [i, j] of all) {
    if (ui.has(i) || uj.has(j)) continue;
    ui.add(i);
    uj.add(j);
    out.push([i, j]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}
