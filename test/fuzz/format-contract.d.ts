import { type TextEdit } from "../../server/src/language/ide/index";
type Timed = <T>(operation: string, answer: () => T) => T | undefined;
/** What "every token" means: the lexer's tokens, kind and text, in order. */
export declare function tokenSequence(text: string): string[];
export declare function commentTexts(text: string): string[];
/** Applies non-overlapping edits; undefined when they overlap or leave the text. */
export declare function applyEdits(text: string, edits: readonly TextEdit[]): string | undefined;
export declare function formatProblems(text: string, edits: readonly TextEdit[], parsesCleanly: boolean, run: Timed): string[];
export {};
