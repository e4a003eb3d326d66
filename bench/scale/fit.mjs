// Least squares for "how does this figure grow with V and M": y ≈ Σ c_k · f_k(V, M).

/** Solves A x = b (small, dense) by Gaussian elimination with partial pivoting; null if singular. */
function solve(A, b) {
  const n = A.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (Math.abs(M[p][c]) < 1e-9 * Math.max(1, Math.abs(M[c][c]))) return null;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((row, i) => row[n] / row[i]);
}

export const TERMS = {
  1: () => 1,
  V: (p) => p.V,
  M: (p) => p.M,
  "V·M": (p) => p.V * p.M,
  "V²": (p) => p.V * p.V,
  "(V+M)": (p) => p.V + p.M,
};

/**
 * Fits y over points [{V, M, y}] with the named terms. Returns { terms, coef, r2, maxResidual,
 * formula } or null when the points cannot separate the terms (e.g. M = 3V at every size for V and
 * M alone: collinear).
 */
export function fitLinear(points, terms) {
  const pts = points.filter((p) => Number.isFinite(p.y));
  if (pts.length < terms.length) return null;
  const X = pts.map((p) => terms.map((t) => TERMS[t](p)));
  const XtX = terms.map((_, i) =>
    terms.map((_, j) => X.reduce((a, row) => a + row[i] * row[j], 0)),
  );
  const Xty = terms.map((_, i) => X.reduce((a, row, r) => a + row[i] * pts[r].y, 0));
  const coef = solve(XtX, Xty);
  if (!coef) return null;
  const pred = X.map((row) => row.reduce((a, x, i) => a + x * coef[i], 0));
  const mean = pts.reduce((a, p) => a + p.y, 0) / pts.length;
  const ssTot = pts.reduce((a, p) => a + (p.y - mean) ** 2, 0);
  const ssRes = pts.reduce((a, p, i) => a + (p.y - pred[i]) ** 2, 0);
  return {
    terms,
    coef,
    n: pts.length,
    r2: ssTot === 0 ? 1 : 1 - ssRes / ssTot,
    maxResidual: Math.max(...pts.map((p, i) => Math.abs(p.y - pred[i]))),
    formula: formula(terms, coef),
  };
}

export function formula(terms, coef) {
  const round = (x) =>
    Math.abs(x) >= 10 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(1) : x.toFixed(2);
  return terms
    .map((t, i) => {
      const c = coef[i];
      const mag = round(Math.abs(c));
      const body = t === "1" ? mag : `${mag}·${t}`;
      return { sign: c < 0 ? "−" : "+", body };
    })
    .map((x, i) => (i === 0 ? (x.sign === "−" ? `−${x.body}` : x.body) : `${x.sign} ${x.body}`))
    .join(" ");
}

/** Growth exponent k of y ∝ (V+M)^k between the smallest and the largest size measured. */
export function growthExponent(points) {
  const pts = points.filter((p) => Number.isFinite(p.y) && p.y > 0);
  if (pts.length < 2) return NaN;
  const a = pts.reduce((x, p) => (p.V + p.M < x.V + x.M ? p : x));
  const b = pts.reduce((x, p) => (p.V + p.M > x.V + x.M ? p : x));
  if (a === b) return NaN;
  return Math.log(b.y / a.y) / Math.log((b.V + b.M) / (a.V + a.M));
}

/** The best of a few models: linear in V and M first, then with V·M and V² terms. */
export function describeGrowth(points) {
  const models = [
    ["1", "V", "M"],
    ["1", "(V+M)"],
    ["1", "V", "M", "V·M", "V²"],
  ];
  const fits = models.map((t) => fitLinear(points, t)).filter(Boolean);
  return { fits, exponent: growthExponent(points) };
}
