// Spearman's rank correlation with tied values sharing their average rank (Pearson's r on the
// ranks), the usual definition when scores tie, as lead scores often do.

/** 1-based ranks, ascending by value; tied values share the mean of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const ranks = new Array<number>(values.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const shared = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k][1]] = shared;
    i = j + 1;
  }
  return ranks;
}

/** null when it is undefined: fewer than two items, or either side is constant. */
export function spearman(xs: readonly number[], ys: readonly number[]): number | null {
  if (xs.length !== ys.length) throw new Error("spearman: the two series differ in length");
  return rankCorrelation(averageRanks(xs), averageRanks(ys));
}

/** Spearman from average ranks already computed (one side is often shared by many calls). */
export function rankCorrelation(rx: readonly number[], ry: readonly number[]): number | null {
  const n = rx.length;
  if (n < 2) return null;
  const mean = (n + 1) / 2; // the mean of average ranks is always (n + 1) / 2
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = rx[i] - mean;
    const dy = ry[i] - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}
