import { describe, expect, it } from "vitest";
import { analyze, csvRows, csvShape, LineIndex, readCsvTable } from "../../server/src/language/index";

describe("CSV tables", () => {
  it("handles a BOM, CRLF line ends and quoted cells with commas", () => {
    const table = readCsvTable('\uFEFFa,b,"the, label"\r\n1,2,"x, y"\r\n3,4,z\r\n');
    expect(table.header).toEqual(["a", "b", "the, label"]);
    expect(table.rows).toEqual([["1", "2", "x, y"], ["3", "4", "z"]]);
    expect(table.problems).toEqual([]);
  });

  it("treats a numeric target as regression and a text one as one-hot", () => {
    const table = readCsvTable("x,y,kind\n1,0.5,a\n2,1.5,b\n3,2.5,a\n");
    const regression = csvShape(table, { targets: ["y"] });
    expect([regression.targetKind, regression.features, regression.targets, regression.rows]).toEqual(["regression", 2, 1, 3]);
    // a text column is not a feature: reported once, at its first text cell
    expect(regression.problems.map((p) => [p.line, p.column, p.name])).toEqual([[2, 3, "kind"]]);
    const classes = csvShape(readCsvTable("x,y,kind\n1,0.5,a\n2,1.5,b\n3,2.5,a\n"), { targets: ["kind"] });
    expect([classes.targetKind, classes.features, classes.targets, classes.labels]).toEqual(["classes", 2, 2, ["a", "b"]]);
    expect(csvRows(table, classes)).toEqual([{ x: [1, 0.5], y: [1, 0] }, { x: [2, 1.5], y: [0, 1] }, { x: [3, 2.5], y: [1, 0] }]);
    expect(csvShape(table, { targets: ["kind"] }, 4).targets).toBe(4);
    expect(csvShape(table, { targets: ["missing"] }).selection.problems).toEqual([{ kind: "unknown", role: "target", index: 0, name: "missing" }]);
  });

  it("reports rows of the wrong width and non-numeric features by row and column", () => {
    const table = readCsvTable("a,b,c\n1,2,x\n1,2\n1,oops,y\n");
    expect(table.problems).toEqual([{ line: 3, message: "row 3 has 2 cells; the header has 3" }]);
    const shape = csvShape(table, { targets: ["c"] });
    expect(shape.problems.map((p) => p.message)).toContain("the feature column 'b' is not numeric: row 3, column 2 holds 'oops'");
  });

  it("reports a malformed or empty file instead of throwing", () => {
    expect(readCsvTable('a,b\n"unclosed,1\n').problems[0].message).toMatch(/could not be read/);
    expect(readCsvTable("").problems[0].message).toMatch(/empty/);
  });

  it("reports more labels than classes at the csv call", () => {
    const files = { readFile: () => "x,y\n1,a\n2,b\n3,c\n", resolve: (_from: string | undefined, rel: string) => `/d/${rel}` };
    const text = 'network n {\n input x: 1\n layer o: dense 2 softmax\n loss cross_entropy\n data csv("t.csv", target: "y", classes: 2)\n}';
    const d = analyze(text, { path: "/d/n.nnet", files }).diagnostics.find((item) => item.code === "nnet/csv-invalid");
    expect(d?.message).toContain("3 distinct values but classes is 2");
  });
});

describe("class labels written as numbers", () => {
  const digits = "a,b,digit\n" + Array.from({ length: 30 }, (_, i) => `${i / 30},${(i * 7) % 30},${i % 10}`).join("\n") + "\n";
  const files = { readFile: () => digits, resolve: (_from: string | undefined, rel: string) => `/d/${rel}` };
  const text = (units: number, args = "") => `network n {\n input x: 2\n layer o: dense ${units} softmax\n loss cross_entropy\n data csv("t.csv", target: "digit"${args})\n}`;

  it("say that classes: 10, the column's real count, makes them classes, and the quick fix writes it", () => {
    const source = text(10);
    const [d] = analyze(source, { path: "/d/n.nnet", files }).diagnostics;
    expect(d!.code).toBe("nnet/data-targets-mismatch");
    expect(d!.message).toBe("the data has 1 target per row but the output 'o' has 10 units; the target column 'digit' holds whole numbers, which csv reads as one regression target; "
      + "if its 10 values are class labels, write 'classes: 10' in csv(…) to make them 10 one-hot classes, otherwise give the output 1 unit");
    const edit = d!.fixes![0]!.edits[0]!;
    const fixed = source.slice(0, edit.span.start) + edit.newText + source.slice(edit.span.end);
    expect(fixed).toContain('data csv("t.csv", target: "digit", classes: 10)');
    expect(analyze(fixed, { path: "/d/n.nnet", files }).diagnostics).toEqual([]);
  });

  it("give the real count when the output has another number of units", () => {
    const [d] = analyze(text(3), { path: "/d/n.nnet", files }).diagnostics;
    expect(d!.message).toContain("write 'classes: 10' in csv(…) to make them 10 one-hot classes and give the output 10 units, otherwise give the output 1 unit");
  });

  it("keep the plain advice for a real-valued regression column", () => {
    const real = { ...files, readFile: () => "a,y\n1,0.5\n2,1.25\n3,2.5\n" };
    const [d] = analyze('network n {\n input x: 1\n layer o: dense 2\n loss mse\n data csv("t.csv", target: "y")\n}', { path: "/d/n.nnet", files: real }).diagnostics;
    expect(d!.message).toBe("the data has 1 target per row but the output 'o' has 2 units; give the output 1 unit");
  });
});

describe("chosen feature and target columns", () => {
  const table = "a,b,c,note,y1,y2\n1,2,3,red,0.5,1\n2,3,4,blue,1.5,2\n3,4,5,red,2.5,3\n";
  const files = { readFile: () => table, resolve: (_from: string | undefined, rel: string) => `/d/${rel}` };
  const check = (input: number, units: number, args: string) =>
    analyze(`network n {\n input x: ${input}\n layer o: dense ${units}\n loss mse\n data csv("t.csv", ${args})\n}`, { path: "/d/n.nnet", files });

  it("reads the features in the order written and several numeric targets, into the semantic model", () => {
    const { diagnostics, model } = check(2, 2, 'target: ["y2", "y1"], features: ["c", "a"]');
    expect(diagnostics).toEqual([]);
    const data = model.networks[0]!.data!;
    expect(data.csv).toEqual({ written: "t.csv", targets: ["y2", "y1"], features: ["c", "a"], featureColumns: ["c", "a"] });
    expect([data.features, data.targets, data.targetKind]).toEqual([2, 2, "regression"]);
    expect(data.spec).toEqual({ kind: "csv", path: "/d/t.csv", target: ["y2", "y1"], features: ["c", "a"] });
  });

  it("names an unknown column at its string, with did-you-mean and a fix", () => {
    const [d] = check(2, 1, 'target: "y1", features: ["a", "bb"]').diagnostics;
    expect(d!.code).toBe("nnet/csv-missing-column");
    expect(d!.message).toBe("the CSV file 't.csv' has no feature column 'bb'; its columns are 'a', 'b', 'c', 'note', 'y1', 'y2'; did you mean 'b'?");
    expect(d!.fixes![0]!.edits[0]!.newText).toBe('"b"');
  });

  it("refuses a column that is both feature and target, and a feature listed twice", () => {
    expect(check(2, 1, 'target: "y1", features: ["a", "y1"]').diagnostics.map((d) => [d.code, d.message])).toEqual([
      ["nnet/csv-column-conflict", "'y1' is the target and a feature; a column the network is given cannot also be what it predicts"],
    ]);
    expect(check(2, 1, 'target: "y1", features: ["a", "a"]').diagnostics.map((d) => d.message)).toEqual(["the feature column 'a' is listed twice; list it once"]);
  });

  it("names a text feature column at its string; leaving it out of the features makes the file clean", () => {
    const [d] = check(2, 1, 'target: "y1", features: ["a", "note"]').diagnostics;
    expect([d!.code, d!.message]).toEqual(["nnet/csv-invalid", "t.csv: the feature column 'note' is not numeric: row 2, column 4 holds 'red'"]);
    expect(check(3, 1, 'target: "y1", features: ["a", "b", "c"]').diagnostics).toEqual([]);
  });
});

describe("LineIndex", () => {
  it("maps offsets to 0-based lines and characters and back, for LF, CRLF and CR", () => {
    const text = "ab\ncd\r\nef\rgh";
    const lines = new LineIndex(text);
    expect(lines.lineCount).toBe(4);
    expect([0, 2, 3, 5, 7, 10, 12].map((offset) => lines.position(offset))).toEqual([
      { line: 0, character: 0 }, { line: 0, character: 2 }, { line: 1, character: 0 }, { line: 1, character: 2 },
      { line: 2, character: 0 }, { line: 3, character: 0 }, { line: 3, character: 2 },
    ]);
    expect(lines.offset({ line: 1, character: 1 })).toBe(4);
    expect(lines.offset({ line: 1, character: 99 })).toBe(5);
    expect(lines.offset({ line: 9, character: 0 })).toBe(text.length);
    expect(lines.position(999)).toEqual({ line: 3, character: 2 });
  });
});
