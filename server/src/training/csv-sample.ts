/**
 * A small stand-in for a large CSV, for the checker. The checker reads a
 * data file whole, as strings, to learn its shape; for a file of tens of
 * megabytes that costs far more memory than the training data itself. The
 * sample keeps what the shape depends on: the header, the first rows, and
 * the first row of every distinct value of each target column (so the class
 * count and the numeric-or-text decision are those of the whole file). The
 * full file is then read once, by the worker's streaming loader.
 */
import { parse as parseCsv } from "csv-parse/sync";

/** Above this size the checker sees a sample (bytes). */
export const sampleAbove = 4 * 1024 * 1024;
const firstRows = 1000;
const maxDistinct = 1000;

const quoted = (cell: string): string => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
const line = (record: string[]): string => record.map(quoted).join(",");

interface Tracker {
  header?: string[];
  columns: number[];
  seen: Set<string>[];
  kept: string[];
  overflow: boolean;
}

function keep(tracker: Tracker, record: string[], index: number): void {
  let wanted = index < firstRows;
  tracker.columns.forEach((column, k) => {
    const value = record[column];
    if (value === undefined || tracker.seen[k].has(value)) return;
    if (tracker.seen[k].size >= maxDistinct) tracker.overflow = true;
    else {
      tracker.seen[k].add(value);
      wanted = true;
    }
  });
  if (wanted) tracker.kept.push(line(record));
}

/**
 * The sample as CSV text, or undefined when only the whole file will do: it
 * cannot be parsed (the checker should report why), or a target column has
 * too many distinct values to tell a numeric target from a text one cheaply.
 */
export function csvSample(bytes: Buffer, targets: string[]): string | undefined {
  const tracker: Tracker = { columns: [], seen: [], kept: [], overflow: false };
  let index = 0;
  try {
    parseCsv(bytes, {
      bom: true, trim: true, skip_empty_lines: true, relax_column_count: true,
      on_record: (record: string[]) => {
        if (!tracker.header) {
          tracker.header = record;
          tracker.columns = targets.map((t) => record.indexOf(t)).filter((c) => c >= 0);
          tracker.seen = tracker.columns.map(() => new Set());
          tracker.kept.push(line(record));
        } else keep(tracker, record, index++);
        return null;
      },
    });
  } catch {
    return undefined;
  }
  const numericOnly = tracker.seen.every((values) => [...values].every((v) => v !== "" && Number.isFinite(Number(v))));
  if (tracker.overflow && !numericOnly) return undefined;
  return tracker.kept.join("\n") + "\n";
}
