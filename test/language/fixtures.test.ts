/**
 * Data-driven diagnostics: each fixtures/NAME.nnet (or NAME.CASE.nnet) must
 * produce nnet/NAME, and all of its diagnostics must equal the
 * .expected.json beside it; clean.CASE.nnet must produce none.
 * Regenerate with UPDATE_EXPECT=1 npx vitest run test/language
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeDiagnostics, fixturesDir, memoryFiles } from "./helpers";

const update = process.env.UPDATE_EXPECT === "1";
const files = memoryFiles(fixturesDir);
const fixtures = readdirSync(fixturesDir).filter((name) => name.endsWith(".nnet")).map((name) => name.slice(0, -".nnet".length));

describe("diagnostic fixtures", () => {
  it("has a fixture for every documented code", () => {
    // the codes under "## After a run" come from a run, not the checker, so they have no fixture
    const checkerCodes = readFileSync(join(__dirname, "../../docs/diagnostics.md"), "utf8").split("\n## After a run")[0]!;
    const documented = checkerCodes.match(/`nnet\/[a-z-]+`/g) ?? [];
    const codes = new Set(documented.map((code) => code.slice(6, -1)));
    codes.delete("internal");
    const covered = fixtures.map((name) => name.split(".")[0]);
    for (const code of codes) expect(covered, `fixture for nnet/${code}`).toContain(code);
  });

  for (const name of fixtures) {
    it(name, () => {
      const path = join(fixturesDir, `${name}.nnet`);
      const actual = describeDiagnostics(readFileSync(path, "utf8"), path, files);
      const code = name.split(".")[0]!;
      if (code === "clean") expect(actual).toEqual([]);
      else expect(actual.map((d) => d.code)).toContain(`nnet/${code}`);
      const expectedPath = join(fixturesDir, `${name}.expected.json`);
      if (update) writeFileSync(expectedPath, JSON.stringify(actual, null, 2) + "\n");
      expect(existsSync(expectedPath), `${name}.expected.json (run with UPDATE_EXPECT=1 to create it)`).toBe(true);
      expect(actual).toEqual(JSON.parse(readFileSync(expectedPath, "utf8")));
    });
  }
});
