/**
 * Grammar-aware .nnet inputs for the robustness suite and `npm run fuzz`:
 * valid files (layer stacks with dense/add/concat, every data source, train
 * and gradcheck blocks, comments, both separator styles), then mutations of
 * them, then a few huge or deeply nested texts.
 */
import fc from "fast-check";
export type Separator = "lines" | "commas";
/** One to three valid networks, with optional comments and blank lines between them. */
export declare const validFile: fc.Arbitrary<string>;
/** Numbers at and past the edges of float64 and of the grammar. */
export declare const oddNumbers: string[];
/** Unicode that editors and parsers trip over, and structural debris. */
export declare const oddText: string[];
export type Mutation = {
    kind: "delete" | "duplicate" | "cut";
    at: number;
} | {
    kind: "swap" | "delete-range";
    at: number;
    other: number;
} | {
    kind: "insert" | "replace";
    at: number;
    text: string;
} | {
    kind: "line-ends";
    to: "\r" | "\r\n";
};
/** Applies one mutation; positions are taken modulo the text's token count or length, so every value is meaningful. */
export declare function mutate(text: string, change: Mutation): string;
export interface FuzzCase {
    /** the valid file the mutations started from */
    valid: string;
    mutations: Mutation[];
    text: string;
}
/** A valid file, a third of the time as is, otherwise with one to four mutations. */
export declare const fuzzCase: fc.Arbitrary<FuzzCase>;
/** Texts far outside what anyone types: 10,000-deep nesting and 1 MB lines. */
export declare function hugeCases(): {
    name: string;
    text: string;
}[];
