/** Every "backprop §N" a comment cites is a numbered section of docs/backprop.md. */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "../..");

function files(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|md)$/.test(entry.name) && !entry.name.endsWith(".d.ts"))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

describe("citations of the derivation", () => {
  const sections = new Set([...readFileSync(join(root, "docs/backprop.md"), "utf8").matchAll(/^#+ §(\d+(?:\.\d+)?) /gm)].map((match) => match[1]!));

  it("docs/backprop.md numbers setup, graph, chain rule, deltas, BP1–BP4, the algorithm, unrolling, batching and gradient checking, then what the language adds", () => {
    expect([...sections]).toEqual(["1", "2", "3", "4", "5", "5.1", "5.2", "5.3", "6", "6.1", "6.2", "6.3", "6.4", "6.5", "7", "7.1", "7.2", "7.3"]);
  });

  it("every cited section exists, and no comment cites the derivation by another name", () => {
    const cited: string[] = [];
    const unknown: string[] = [];
    for (const file of ["server/src", "client", "test", "bench"].flatMap(files)) {
      const text = readFileSync(join(root, file), "utf8");
      if (/seed\s§/.test(text) && !file.startsWith("test/arch/")) unknown.push(`${file} cites the seed`);
      for (const match of text.matchAll(/backprop (§\d+(?:\.\d+)?(?:, §\d+(?:\.\d+)?)*)/g)) {
        for (const section of match[1]!.split(", ")) {
          cited.push(section);
          if (!sections.has(section.slice(1))) unknown.push(`${file} cites backprop ${section}`);
        }
      }
    }
    expect(unknown).toEqual([]);
    expect(cited.length).toBeGreaterThan(30);
  });
});
