/** Where an .onnx file may be written: never over a file that is not an ONNX model. */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import { onnx } from "onnx-proto";
import { targetProblem } from "../../training/index";
import { ExportError } from "../errors";

// ModelProto's fields and wire types (0 varint, 2 length-delimited); graph is 7
const modelFields = new Map([[1, 0], [2, 2], [3, 2], [4, 2], [5, 0], [6, 2], [7, 2], [8, 2], [14, 2], [20, 2], [25, 2]]);
const graphLimit = 64 * 1024 * 1024;

function varint(bytes: Uint8Array, at: number): { value: number; next: number } | undefined {
  let value = 0;
  for (let i = 0; i < 10 && at + i < bytes.length; i++) {
    value += (bytes[at + i] & 0x7f) * 2 ** (7 * i);
    if (bytes[at + i] < 0x80) return { value, next: at + i + 1 };
  }
  return undefined;
}

/**
 * Whether the file starts as an ONNX ModelProto: known fields up to the
 * graph, which must decode. Reads field headers, not the whole file.
 */
export function isOnnxFile(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const size = statSync(path).size;
    const head = new Uint8Array(24);
    for (let at = 0, fields = 0; at < size && fields < 1000; fields++) {
      const read = readSync(fd, head, 0, head.length, at);
      const tag = varint(head.subarray(0, read), 0);
      if (!tag || modelFields.get(Math.floor(tag.value / 8)) !== tag.value % 8) return false;
      const value = varint(head.subarray(0, read), tag.next);
      if (!value) return false;
      if (tag.value % 8 === 0) { at += value.next; continue; }
      const start = at + value.next;
      if (start + value.value > size) return false;
      if (tag.value >> 3 === 7) {
        if (value.value > graphLimit) return true;
        const graph = new Uint8Array(value.value);
        readSync(fd, graph, 0, graph.length, start);
        onnx.GraphProto.decode(graph);
        return true;
      }
      at = start + value.value;
    }
    return false;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Refuses an --out that is not *.onnx, a folder, or an existing file that is not an ONNX model. */
export function checkOnnxTarget(path: string): void {
  const problem = targetProblem(path, { extension: ".onnx", what: "ONNX model", isOwn: isOnnxFile });
  if (problem) throw new ExportError(problem);
}
