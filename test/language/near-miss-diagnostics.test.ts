/** Diagnostics a user met while trying near-misses: each says what was found, and no second error contradicts the first. */
import { describe, expect, it } from "vitest";
import { analyze, type FileAccess } from "../../server/src/language/index";

const oneFile = (text: string, extra: Partial<FileAccess> = {}): FileAccess => ({
  readFile: () => text,
  resolve: (_from, relative) => `/d/${relative}`,
  ...extra,
});

const csvNetwork = (args: string, train = ""): string =>
  `network n {\n input x: 2\n layer out: dense 2 softmax\n loss cross_entropy\n data csv("t.csv", target: "label"${args})\n${train}}\n`;

const codes = (text: string, files: FileAccess): string[] => analyze(text, { path: "/d/n.nnet", files }).diagnostics.map((d) => `${d.code}: ${d.message}`);

describe("a CSV with a header and no rows", () => {
  it("is one csv-invalid error, not a request for an output of 0 units or a batch warning", () => {
    const found = codes(csvNetwork("", " train { batch 2 }\n"), oneFile("a,b,label\n"));
    expect(found).toEqual(["nnet/csv-invalid: t.csv: the CSV file has a header but no data rows"]);
  });
});

describe("a CSV whose every row is malformed", () => {
  it("reports the rows, not 'a header but no data rows', and no target count", () => {
    const found = codes(csvNetwork(""), oneFile("a,b,label\n1,2,x,\n3,4,y,\n"));
    expect(found).toEqual([
      "nnet/csv-invalid: t.csv: row 2 has 4 cells; the header has 3",
      "nnet/csv-invalid: t.csv: row 3 has 4 cells; the header has 3",
    ]);
  });
});

describe("more labels than classes", () => {
  it("gives only the classes error, not a data-targets-mismatch that counts '1 classes' over two labels", () => {
    const found = codes(csvNetwork(", classes: 1"), oneFile("a,b,label\n1,2,x\n3,4,y\n"));
    expect(found).toEqual(["nnet/csv-invalid: t.csv: the target column 'label' has 2 distinct values but classes is 1"]);
  });
});

describe("a refused data file", () => {
  it("says why the file access refused it instead of 'check the path'", () => {
    const files = oneFile("", { readFile: () => undefined, whyUnreadable: (path) => `the data file '${path}' resolves outside the workspace` });
    const found = codes(csvNetwork(""), files);
    expect(found).toEqual(["nnet/csv-missing-file: the data file '/d/t.csv' resolves outside the workspace"]);
  });

  it("keeps the path hint when the access gives no reason", () => {
    const found = codes(csvNetwork(""), oneFile("", { readFile: () => undefined }));
    expect(found[0]).toContain("check the path, which is relative to this .nnet file");
  });
});

describe("wrong-type settings", () => {
  const settings = (train: string): string[] =>
    codes(`network n {\n input x: 2\n layer out: dense 1 sigmoid\n loss bce\n data xor\n train { ${train} }\n}\n`, oneFile(""))
      .filter((line) => line.startsWith("nnet/wrong-type"));

  it("names the value found, as the units and range messages do", () => {
    expect(settings("epochs 1.5")).toEqual(["nnet/wrong-type: epochs is 1.5 but must be a whole number from 1 to 1,000,000"]);
    expect(settings('batch "all"')).toEqual(['nnet/wrong-type: batch is the string "all" but must be a whole number from 1 to 1,000,000, or full']);
    expect(settings("shuffle 1")).toEqual(["nnet/wrong-type: shuffle is 1 but must be true or false"]);
    expect(settings("optimizer 0.1")).toEqual(["nnet/wrong-type: optimizer is 0.1 but must be an optimizer such as adam(lr: 0.01) or sgd(lr: 0.1)"]);
    expect(settings("seed adam(lr: 1)")).toEqual(["nnet/wrong-type: seed is the call adam(…) but must be a whole number from -9,007,199,254,740,991 to 9,007,199,254,740,991"]);
  });
});

describe("train settings a user misplaces", () => {
  const trainCodes = (train: string, data = "xor"): string[] =>
    codes(`network n {\n input x: 2\n layer out: dense 1 sigmoid\n loss bce\n data ${data}\n train { ${train} }\n}\n`, oneFile(""));

  it("points an optimizer argument written as a train key at the optimizer call", () => {
    expect(trainCodes("momentum 0.9")).toEqual([
      "nnet/unknown-key: 'momentum' is not a train setting; 'momentum' is an argument of the optimizer, as in 'optimizer sgd(momentum: …)'",
    ]);
    expect(trainCodes("beta1 0.9")[0]).toContain("as in 'optimizer adam(beta1: …)'");
    expect(trainCodes("epoch 3")).toEqual(["nnet/unknown-key: 'epoch' is not a train setting; did you mean 'epochs'?"]);
  });

  it("reports a validation share that leaves no rows to train on at the value, before training fails", () => {
    const rows = "{ 0 0 -> 0 ; 0 1 -> 1 ; 1 0 -> 1 ; 1 1 -> 0 }";
    expect(trainCodes("validation 0.9", rows)).toEqual([
      "nnet/validation-range: validation 0.9 holds out all 4 rows, leaving none to train on; use a smaller fraction or more data",
    ]);
    expect(trainCodes("validation 0.5", rows)).toEqual([]);
    // the engine holds out at least one row, so batch 4 with validation 0.1 of 4 rows is too large
    expect(trainCodes("validation 0.1, batch 4", rows)).toEqual([
      "nnet/batch-too-large: batch 4 is larger than the 3 training rows, so every step is one full batch; use 'batch full' or a smaller batch",
    ]);
  });
});

describe("unnamed arguments", () => {
  const text = 'network n {\n input x: 2\n layer out: dense 1 sigmoid\n loss bce\n data csv("t.csv", "label")\n train { optimizer sgd(0.1, 0.9) }\n}\nnetwork m {\n input x: 2\n layer out: dense 1 sigmoid\n loss bce\n data xor\n train { optimizer adam(lr: 0.01, 0.9) }\n}\n';
  const positional = analyze(text, { path: "/d/n.nnet", files: oneFile("a,b,label\n1,2,x\n") }).diagnostics.filter((d) => d.code === "nnet/positional-argument");

  it("suggest the parameter each one most likely means, not always the first", () => {
    expect(positional.map((d) => d.message)).toEqual([
      "arguments of csv are named; write 'target: \"label\"'",
      "arguments of sgd are named; write 'lr: 0.1'",
      "arguments of sgd are named; write 'momentum: 0.9'",
      "arguments of adam are named; write 'beta1: 0.9'",
    ]);
  });

  it("and the quick fix inserts that name", () => {
    expect(positional.map((d) => d.fixes?.[0]?.edits[0]?.newText)).toEqual(["target: ", "lr: ", "momentum: ", "beta1: "]);
  });
});

describe("an infinite batch", () => {
  it("is one out-of-range error, without a batch-too-large warning about the same value", () => {
    const text = "network n {\n input x: 2\n layer out: dense 1 sigmoid\n loss bce\n data xor\n train { batch 1e400 }\n}\n";
    expect(codes(text, oneFile(""))).toEqual(["nnet/out-of-range: batch is 1e400, which overflows float64 (whose largest number is about 1.8e308); it must be a whole number from 1 to 1,000,000, or full"]);
  });
});

describe("invisible characters in the source", () => {
  it("are named by code point in the lexer's message, for the editor as for the CLI", () => {
    const found = codes("\u0000\u0007", oneFile(""));
    expect(found).toEqual(["nnet/syntax: unexpected characters 'U+0000U+0007'; expected a name, a number, a string or one of { } ( ) : , ; ->"]);
  });
});

describe("batch-too-large with one training row", () => {
  it("says 'the 1 training row'", () => {
    const text = "network n {\n input x: 2\n layer out: dense 1 sigmoid\n loss bce\n data { 0 0 -> 0 ; 1 1 -> 1 }\n train { validation 0.5, batch 2 }\n}\n";
    expect(codes(text, oneFile(""))).toEqual([
      "nnet/batch-too-large: batch 2 is larger than the 1 training row, so every step is one full batch; use 'batch full' or a smaller batch",
    ]);
  });
});
