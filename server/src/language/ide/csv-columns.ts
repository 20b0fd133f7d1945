/**
 * Completion of CSV column names inside csv(…, target: …, features: […]),
 * from the header the checker read for the data source (through the host's
 * FileAccess, so a large file's sample and the workspace rule hold here too).
 * Columns already named in the call are left out, so a list never offers a
 * column twice or one the other role holds.
 */
import type { Span } from "../syntax/index";
import type { CompletionEntry } from "./types";

/** A significant token with its place in the text. */
export interface SpannedWord {
  type: string;
  text: string;
  span: Span;
}

/** The string literal the cursor is inside, if any. */
export interface OpenString {
  span: Span;
  closed: boolean;
}

type Role = "target" | "features";

/** How far back the call's opening parenthesis is looked for: a csv(…) call is a few dozen tokens. */
const callWindow = 512;

const isRole = (text: string): text is Role => text === "target" || text === "features";

// The csv call's opening parenthesis and whether the cursor is inside a list in it, walking back from the cursor.
function openCsvCall(tokens: SpannedWord[], before: number): { open: number; list?: number } | undefined {
  let depth = 0;
  let list: number | undefined;
  for (let i = before - 1; i >= Math.max(0, before - callWindow); i--) {
    const type = tokens[i]!.type;
    if (type === "RParen" || type === "RBracket") depth++;
    else if (type === "LParen" || type === "LBracket") {
      if (depth > 0) { depth--; continue; }
      if (type === "LBracket" && list === undefined) { list = i; continue; }
      if (type === "LParen" && tokens[i - 1]?.text === "csv") return { open: i, ...(list !== undefined ? { list } : {}) };
      return undefined;
    } else if (type === "LCurly" || type === "RCurly") return undefined;
  }
  return undefined;
}

/** The call's arguments: for each, its first token and the index after its last. */
function argumentsOf(tokens: SpannedWord[], open: number): { start: number; end: number }[] {
  const args: { start: number; end: number }[] = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < Math.min(tokens.length, open + callWindow); i++) {
    const type = tokens[i]!.type;
    if (type === "LParen" || type === "LBracket") depth++;
    else if ((type === "RParen" || type === "RBracket") && depth > 0) depth--;
    else if (type === "RParen" || type === "LCurly" || type === "RCurly") { args.push({ start, end: i }); return args; }
    else if (type === "Comma" && depth === 0) { args.push({ start, end: i }); start = i + 1; }
  }
  args.push({ start, end: Math.min(tokens.length, open + callWindow) });
  return args;
}

const stringValue = (image: string): string => {
  try {
    return JSON.parse(image.endsWith('"') && image.length > 1 ? image : `${image}"`) as string;
  } catch {
    return image.replace(/^"|"$/g, "");
  }
};

/**
 * The column names that may go where the cursor is, with the quotes right:
 * inside a string only the name (its closing quote added when the string is
 * open), elsewhere a quoted name (in a list for features). Undefined when the
 * cursor is not where a column name goes.
 */
export function columnItems(tokens: SpannedWord[], before: number, header: string[] | undefined, inString: OpenString | undefined): CompletionEntry[] | undefined {
  const call = openCsvCall(tokens, before);
  if (!call) return undefined;
  const args = argumentsOf(tokens, call.open);
  const current = args.find((arg) => arg.start <= before && before <= arg.end);
  if (!current) return undefined;
  const role = tokens[current.start]?.text ?? "";
  if (!isRole(role) || tokens[current.start + 1]?.type !== "Colon") return undefined;
  const last = tokens[before - 1]?.type;
  const inList = call.list !== undefined;
  if (inList ? call.list !== current.start + 2 || (last !== "LBracket" && last !== "Comma") : before !== current.start + 2) return undefined;
  if (!header || header.length === 0) return [];
  // every name the call already holds, for either role, except the string being edited
  const named = new Set<string>();
  for (const arg of args) {
    if (!isRole(tokens[arg.start]?.text ?? "")) continue;
    for (let i = arg.start + 2; i < arg.end; i++) {
      const token = tokens[i]!;
      if (token.type === "StringLiteral" && !(inString && token.span.start === inString.span.start)) named.add(stringValue(token.text));
    }
  }
  const quote = (name: string): string => JSON.stringify(name);
  const insert = (name: string): string => {
    if (inString) return inString.closed ? quote(name).slice(1, -1) : quote(name).slice(1);
    return role === "features" && !inList ? `[${quote(name)}]` : quote(name);
  };
  return header.flatMap((name, i) => (named.has(name) ? [] : [{
    label: name, kind: "column" as const, detail: role === "target" ? "target column" : "feature column",
    insertText: insert(name), sortText: String(i).padStart(5, "0"),
  }]));
}
