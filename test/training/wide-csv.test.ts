/**
 * A CSV's width: memory follows the cells, not a preallocation per column,
 * and a file wider than maxDataColumns is refused with its width by the
 * loader as by the checker (see test/cli/hostile.test.ts and test/lsp/hostile.test.ts).
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { csvDataset, headerWidth, maxDataColumns } from "../../server/src/training/index";
import { removeWorkspaces, root, workspace } from "./helpers";

afterAll(removeWorkspaces);

const wide = (features: number, rows: number): string => {
  const header = Array.from({ length: features }, (_, i) => `f${i}`).join(",") + ",label";
  const row = "1,".repeat(features) + "a";
  return [header, ...Array.from({ length: rows }, () => row)].join("\n") + "\n";
};

describe("a wide CSV", () => {
  it("is refused by the loader with its width above the limit", () => {
    expect(() => csvDataset(wide(maxDataColumns, 1), { shown: "w.csv", targets: ["label"] }))
      .toThrow("w.csv: has 100,001 columns; the limit is 100,000");
  });

  it("at the limit, loads one row of 99,999 features in memory proportional to its cells", async () => {
    const dir = workspace({ "w.csv": wide(maxDataColumns - 1, 1) });
    const script = join(dir, "load-csv.js");
    await build({ entryPoints: [join(root, "test/training/fixtures/load-csv.ts")], outfile: script, bundle: true, platform: "node", target: "node20", format: "cjs", logLevel: "warning" });
    const result = spawnSync(process.execPath, [script, join(dir, "w.csv")], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    const measured = JSON.parse(result.stdout) as { rows: number; maxRssMb: number };
    expect(measured.rows).toBe(1);
    // a Float64Array of 1024 per column, as before, would be 800 MB
    expect(measured.maxRssMb).toBeLessThan(250);
  });

  it("headerWidth counts the header's cells without reading further, quotes and a BOM included", () => {
    expect(headerWidth('\ufeffa,"b,c",d\n1,2,3,4,5\n')).toBe(3);
    expect(headerWidth(new TextEncoder().encode('\ufeff\r\n\na,"multi\nline",c\r\n1,2'))).toBe(3);
    expect(headerWidth("")).toBe(0);
    expect(headerWidth("x")).toBe(1);
  });
});
