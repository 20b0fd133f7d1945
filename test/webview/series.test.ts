import { describe, expect, it } from "vitest";
import { csvField, historyToCsv } from "../../client/webview/csv";
import { drawnIndices, forLogScale, layersWithGradients, smooth } from "../../client/webview/series";
import { epochMetrics } from "./fixtures";

describe("smooth", () => {
  it("is the debiased EMA s_t = β s_{t−1} + (1 − β) x_t over 1 − β^t", () => {
    const beta = 0.5;
    const xs = [4, 2, 8];
    const s1 = (1 - beta) * 4;
    const s2 = beta * s1 + (1 - beta) * 2;
    const s3 = beta * s2 + (1 - beta) * 8;
    const out = smooth(xs, beta) as number[];
    expect(out[0]).toBeCloseTo(s1 / (1 - beta), 12);
    expect(out[1]).toBeCloseTo(s2 / (1 - beta ** 2), 12);
    expect(out[2]).toBeCloseTo(s3 / (1 - beta ** 3), 12);
  });

  it("returns the raw values at β = 0 and keeps gaps as gaps", () => {
    expect(smooth([1, 2, 3], 0)).toEqual([1, 2, 3]);
    const out = smooth([1, null, Number.NaN, 3], 0.9);
    expect(out[1]).toBeNull();
    expect(out[2]).toBeNull();
    expect(out[0]).toBe(1);
    expect(out[3]).toBeGreaterThan(1);
    expect(out[3]).toBeLessThan(3);
  });
});

describe("drawnIndices", () => {
  it("keeps every index of a short history", () => {
    expect(drawnIndices([[1, 2, 3]], 3)).toEqual([0, 1, 2]);
  });

  it("bounds 10,000 epochs by the budget and keeps first, last and every spike", () => {
    const n = 10_000;
    const loss = Array.from({ length: n }, (_, i) => 1 / (1 + i));
    const val = Array.from({ length: n }, (_, i) => (i === 4321 ? 50 : i === 777 ? -3 : 0.5));
    const indices = drawnIndices([loss, val], n, 1000);
    expect(indices.length).toBeLessThanOrEqual(1000);
    expect(indices.length).toBeGreaterThan(300);
    expect(indices[0]).toBe(0);
    expect(indices.at(-1)).toBe(n - 1);
    expect(indices).toContain(4321);
    expect(indices).toContain(777);
    expect([...indices].sort((a, b) => a - b)).toEqual(indices);
  });

  it("stays within budget with many series", () => {
    const series = Array.from({ length: 12 }, (_, k) => Array.from({ length: 5000 }, (_, i) => Math.sin(i * (k + 1))));
    expect(drawnIndices(series, 5000, 1000).length).toBeLessThanOrEqual(1000);
  });
});

describe("series helpers", () => {
  it("gives a log axis only positive finite values", () => {
    expect(forLogScale([1, 0, -1, Number.POSITIVE_INFINITY, null, 1e-9])).toEqual([1, null, null, null, null, 1e-9]);
  });

  it("leaves out layers without weights (gradient norm 0 throughout)", () => {
    expect(layersWithGradients([epochMetrics(1), epochMetrics(2)])).toEqual(["h1", "h2", "out"]);
  });
});

describe("CSV", () => {
  it("writes one row per epoch with per-layer columns", () => {
    const csv = historyToCsv([epochMetrics(1), epochMetrics(2)]);
    const rows = csv.trimEnd().split("\r\n").map((line) => line.split(","));
    expect(rows[0]).toEqual([
      "epoch", "loss", "valLoss", "accuracy", "valAccuracy",
      ...["x", "h1", "h2", "out"].flatMap((l) => [`${l}.gradNorm`, `${l}.meanAbsDelta`, `${l}.updateRatio`]),
    ]);
    expect(rows).toHaveLength(3);
    const second = epochMetrics(2);
    expect(rows[2].slice(0, 5).map(Number)).toEqual([2, second.loss, second.valLoss, second.accuracy, second.valAccuracy]);
    expect(Number(rows[2][8])).toBe(second.layers[1].gradNorm);
  });

  it("quotes separators and defuses formulas but not negative numbers", () => {
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField(-0.5)).toBe("-0.5");
    expect(csvField(Number.NaN)).toBe("NaN");
    expect(csvField(undefined)).toBe("");
  });
});
