import { type FileAccess } from "../../server/src/language/index";
/** An answer slower than this, on a text under `timedBelow` characters, fails (if it stays slow when measured again). */
export declare const budgetMs = 100;
export declare const timedBelow = 100000;
/** Measurements of a slow call: the first and this many more; it fails only if every one is over budget. */
export declare const remeasures = 3;
/** Past this many token offsets, hover is asked at an even sample of them (huge texts only). */
export declare const maxHoverOffsets = 20000;
export interface OperationStats {
    calls: number;
    slowestMs: number;
    /** the first 200 characters of the text that produced the slowest answer */
    slowestText: string;
    slowestLength: number;
}
export type Stats = Map<string, OperationStats>;
export interface Outcome {
    problems: string[];
}
/** The CSV a `csv("data/fruit.csv", …)` source reads, so the CSV checks run without touching the disk. */
export declare const memoryFiles: FileAccess;
/** Runs every operation on `text`, adding timings to `stats`; the outcome lists whatever went wrong. */
export declare function exercise(text: string, stats: Stats): Outcome;
