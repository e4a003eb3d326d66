import { averageRanks, spearman } from "../../src/correlation";

describe("averageRanks", () => {
  it("ranks ascending from 1, ties sharing their mean rank", () => {
    expect(averageRanks([0.3, 0.1, 0.2])).toEqual([3, 1, 2]);
    expect(averageRanks([0.5, 0, 0.5, 0])).toEqual([3.5, 1.5, 3.5, 1.5]);
    expect(averageRanks([])).toEqual([]);
  });
});

describe("spearman", () => {
  it("is 1 for the same order, -1 for the reverse, whatever the spacing", () => {
    expect(spearman([1, 2, 3, 4], [0.1, 0.5, 0.6, 0.99])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [9, 5, 2, 1])).toBeCloseTo(-1, 12);
  });

  it("matches the textbook value with ties (Pearson on average ranks)", () => {
    // x ranks (1, 2.5, 2.5, 4), y ranks (1, 2, 3, 4), centred on 2.5: Σdxdy = 4.5, Σdx² = 4.5,
    // Σdy² = 5, so r = 4.5 / sqrt(4.5 · 5)
    expect(spearman([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(4.5 / Math.sqrt(4.5 * 5), 12);
    // Without ties it is 1 - 6 Σd² / (n(n²-1)): d = (0, 2, -1, -1) -> 1 - 36/60 = 0.4
    expect(spearman([1, 2, 3, 4], [1, 4, 2, 3])).toBeCloseTo(0.4, 12);
  });

  it("is undefined (null) for a constant side or fewer than two items", () => {
    expect(spearman([0, 0, 0], [1, 2, 3])).toBeNull();
    expect(spearman([1, 2, 3], [5, 5, 5])).toBeNull();
    expect(spearman([1], [1])).toBeNull();
    expect(() => spearman([1, 2], [1])).toThrow(/length/);
  });
});
