// Fitting signed content into the byte limits (LIMITS in consensus-core): the largest prefix of a
// list, in its order, whose content stays within a limit. Content grows with the prefix, so a
// binary search finds it with O(log n) canonicalisations.

/** The largest k in [0, n] with fits(k), given that fits is true up to some k and false after. */
export function largestFitting(n: number, fits: (k: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
