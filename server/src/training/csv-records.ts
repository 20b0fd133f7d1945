/**
 * csv-parse's incremental parser over a byte source, a chunk of lines at a
 * time: the path for files with quotes (embedded commas and newlines), where
 * the byte reader of csv-rows.ts does not go.
 */
import { Parser } from "csv-parse";
import { lineChunks, type ByteSource } from "./csv-source";
import { runSteps, type Steps } from "./csv-steps";

export type OnRecord = (record: string[], context: { lines: number; records: number }) => void;
interface IncrementalApi {
  parse(chunk: Buffer | undefined, end: boolean, push: (record: unknown) => void, close: () => void): Error | undefined;
}

/** Each record after the header goes to onRecord; a parse failure is thrown as csv-parse reports it. */
export function eachRecord(source: ByteSource, onRecord: OnRecord): void {
  runSteps(recordSteps(source, onRecord));
}

export function* recordSteps(source: ByteSource, onRecord: OnRecord): Steps<void> {
  let header = true;
  const parser = new Parser({
    bom: true, trim: true, skip_empty_lines: true, relax_column_count: true,
    on_record: (record: string[], context: { lines: number; records: number }) => {
      if (header) header = false;
      else onRecord(record, context);
      return null;
    },
  });
  // the parser's own incremental core, called directly so that it runs synchronously
  const api = (parser as unknown as { api: IncrementalApi }).api;
  const ignore = (): void => {};
  for (const { bytes, end } of lineChunks(source, 0)) {
    const failure = api.parse(Buffer.from(bytes.subarray(0, end)), false, ignore, ignore);
    if (failure) throw failure;
    yield;
  }
  const failure = api.parse(undefined, true, ignore, ignore);
  if (failure) throw failure;
}

