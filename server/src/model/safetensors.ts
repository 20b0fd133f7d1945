/**
 * The container: safetensors (8-byte little-endian header length, a JSON
 * header naming each tensor's dtype, shape and byte range, then the raw
 * tensors). Only F64 tensors are written or read. Pure: bytes in, bytes out.
 */
import { ModelFileError } from "./types";

export interface Tensor {
  shape: number[];
  data: Float64Array;
}

export interface Container {
  metadata: Record<string, string>;
  tensors: Map<string, Tensor>;
}

const littleEndian = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

function requireLittleEndian(): void {
  if (!littleEndian) throw new ModelFileError("model files hold little-endian float64; this machine is big-endian");
}

const bytesOf = (data: Float64Array): Uint8Array => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** The file as chunks (header, then each tensor's own bytes), so no copy of the weights is made. */
export function encodeContainer(container: Container): Uint8Array[] {
  requireLittleEndian();
  const header: Record<string, unknown> = { __metadata__: container.metadata };
  let offset = 0;
  for (const [name, tensor] of container.tensors) {
    const size = tensor.data.byteLength;
    header[name] = { dtype: "F64", shape: tensor.shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  // tensors start on an 8-byte boundary so a reader can view them in place
  const length = encoder.encode(json).length;
  json += " ".repeat((8 - (length % 8)) % 8);
  const headerBytes = encoder.encode(json);
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  return [prefix, headerBytes, ...[...container.tensors.values()].map((t) => bytesOf(t.data))];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function tensorEntry(name: string, entry: unknown, dataSize: number): { shape: number[]; begin: number; end: number } {
  if (!isRecord(entry)) throw new ModelFileError(`corrupt header: tensor '${name}' is not described`);
  const { dtype, shape, data_offsets: offsets } = entry;
  if (dtype !== "F64") throw new ModelFileError(`tensor '${name}' is ${String(dtype)}; model files hold F64 tensors`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new ModelFileError(`corrupt header: tensor '${name}' has no valid shape`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isInteger(o) && o >= 0)) {
    throw new ModelFileError(`corrupt header: tensor '${name}' has no valid byte range`);
  }
  const [begin, end] = offsets as number[];
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  if (end - begin !== count * 8) throw new ModelFileError(`corrupt header: tensor '${name}' of shape [${shape.join(", ")}] needs ${count * 8} bytes, its range holds ${end - begin}`);
  if (end > dataSize) throw new ModelFileError(`the file is truncated: tensor '${name}' ends at byte ${end} of a data section of ${dataSize} bytes`);
  return { shape: shape as number[], begin, end };
}

function parseHeader(bytes: Uint8Array): { header: Record<string, unknown>; start: number } {
  if (bytes.length < 8) throw new ModelFileError(`the file is truncated: ${bytes.length} bytes, shorter than the 8-byte header length`);
  const length = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(bytes.length - 8)) {
    // a header length that no real model has: most likely another kind of file
    if (length > 100_000_000n) throw new ModelFileError("not a model file: it does not start with a safetensors header");
    throw new ModelFileError(`the file is truncated: its header needs ${length} bytes, ${bytes.length - 8} remain`);
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes.subarray(8, 8 + Number(length)));
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    throw new ModelFileError("not a model file: its header is not JSON");
  }
  if (!isRecord(header)) throw new ModelFileError("not a model file: its header is not a JSON object");
  return { header, start: 8 + Number(length) };
}

/** Reads a container; tensors are views of `bytes` when aligned, else copies. */
export function decodeContainer(bytes: Uint8Array): Container {
  requireLittleEndian();
  const { header, start } = parseHeader(bytes);
  const dataSize = bytes.length - start;
  const metadata: Record<string, string> = {};
  if (header.__metadata__ !== undefined) {
    if (!isRecord(header.__metadata__)) throw new ModelFileError("corrupt header: __metadata__ is not an object");
    for (const [key, value] of Object.entries(header.__metadata__)) {
      if (typeof value !== "string") throw new ModelFileError(`corrupt header: metadata '${key}' is not a string`);
      metadata[key] = value;
    }
  }
  const tensors = new Map<string, Tensor>();
  let covered = 0;
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const { shape, begin, end } = tensorEntry(name, entry, dataSize);
    covered = Math.max(covered, end);
    const offset = bytes.byteOffset + start + begin;
    const data = offset % 8 === 0
      ? new Float64Array(bytes.buffer, offset, (end - begin) / 8)
      : new Float64Array(bytes.slice(start + begin, start + end).buffer);
    tensors.set(name, { shape, data });
  }
  if (covered < dataSize) throw new ModelFileError(`corrupt file: ${dataSize - covered} bytes after the last tensor`);
  return { metadata, tensors };
}
