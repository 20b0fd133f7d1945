/**
 * The bytes of a data file, read a chunk of whole lines at a time, so a
 * file of any size is parsed in a buffer of about a megabyte. A line longer
 * than the buffer grows it; lines end at LF (a CR before it is the line's).
 */
import { closeSync, openSync, readSync } from "node:fs";

export interface ByteSource {
  readonly size: number;
  /** copies bytes from `position` into `into` at `at`; 0 at the end */
  read(into: Uint8Array, at: number, position: number): number;
  close(): void;
}

export function fileSource(path: string, size: number): ByteSource {
  const fd = openSync(path, "r");
  return {
    size,
    read: (into, at, position) => readSync(fd, into, at, into.length - at, position),
    close: () => closeSync(fd),
  };
}

export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.byteLength,
    read(into, at, position) {
      const part = bytes.subarray(position, Math.min(bytes.byteLength, position + into.length - at));
      into.set(part, at);
      return part.byteLength;
    },
    close() {},
  };
}

export interface Chunk {
  bytes: Uint8Array;
  /** whole lines end here (after an LF, or at the end of the file) */
  end: number;
  /** the file offset of bytes[0] */
  offset: number;
}

const chunkBytes = 1 << 20;

/** Chunks of whole lines from `start` to the end of the source. */
export function* lineChunks(source: ByteSource, start: number): Generator<Chunk> {
  let buffer = new Uint8Array(chunkBytes);
  let filled = 0;
  let position = start;
  let offset = start;
  for (;;) {
    let got = 1;
    while (filled < buffer.length && got > 0) {
      got = source.read(buffer, filled, position);
      filled += got;
      position += got;
    }
    const atEnd = got === 0;
    if (filled === 0) return;
    const lastLine = buffer.lastIndexOf(0x0a, filled - 1);
    if (lastLine < 0 && !atEnd) {
      const grown = new Uint8Array(buffer.length * 2);
      grown.set(buffer);
      buffer = grown;
      continue;
    }
    const end = atEnd ? filled : lastLine + 1;
    yield { bytes: buffer, end, offset };
    buffer.copyWithin(0, end, filled);
    filled -= end;
    offset += end;
    if (atEnd && filled === 0) return;
  }
}
