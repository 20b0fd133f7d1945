/** Training refusals a user met with awkward CSV files: the message must describe the file as it is. */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { csvNetwork, problems, removeWorkspaces, workspace } from "./helpers";

afterAll(removeWorkspaces);

describe("a CSV whose rows are all malformed (a trailing comma on each)", () => {
  it("is refused with the bad rows at FILE:LINE:COL, not as 'a header but no data rows'", () => {
    const dir = workspace({ "t.csv": "x1,x2,label\n1,2,0,\n3,4,1,\n" });
    const found = problems({ kind: "train", text: csvNetwork("t.csv"), path: join(dir, "m.nnet"), displayName: "m.nnet" });
    expect(found).toEqual([
      "m.nnet:6:12: error nnet/csv-invalid: t.csv: row 2 has 4 cells; the header has 3",
      "m.nnet:6:12: error nnet/csv-invalid: t.csv: row 3 has 4 cells; the header has 3",
    ]);
  });
});

describe("a validation share that leaves nothing to train on", () => {
  it("is refused by the checker at the value, before any worker starts", () => {
    const text = "network n {\n input x: 2\n layer out: dense 1 sigmoid\n loss bce\n data { 0 0 -> 0 ; 1 1 -> 1 }\n train { validation 0.9 }\n}\n";
    expect(problems({ kind: "train", text, displayName: "m.nnet" })).toEqual([
      "m.nnet:6:21: error nnet/validation-range: validation 0.9 holds out all 2 rows, leaving none to train on; use a smaller fraction or more data",
    ]);
  });
});

describe("a CSV that is not UTF-8", () => {
  it("is refused at the csv(…) call by the checker (nnet check shows it too), not only once a worker reads it", () => {
    const dir = workspace({ "latin.csv": new Uint8Array([...Buffer.from("x1,x2,label\n1,2,0\n3,4,caf"), 0xe9, 0x0a]) });
    const found = problems({ kind: "train", text: csvNetwork("latin.csv"), path: join(dir, "m.nnet"), displayName: "m.nnet" });
    expect(found).toEqual([`m.nnet:6:12: error nnet/csv-missing-file: ${join(dir, "latin.csv")}: not valid UTF-8: byte 0xE9 at offset 25 (row 3); save the file as UTF-8`]);
  });
});
