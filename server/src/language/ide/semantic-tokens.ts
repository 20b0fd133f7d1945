/** Semantic tokens from the syntax tree; keywords are found between the classified spans. */
import { keywords, type Call, type Network, type Value } from "../syntax/index";
import type { IdeDocument } from "./document";
import type { SemanticToken, SemanticTokenType, Span } from "./types";

type Push = (span: Span | undefined, type: SemanticTokenType, declaration?: boolean, library?: boolean) => void;

function call(value: Call | undefined, type: SemanticTokenType, push: Push): void {
  if (!value) return;
  push(value.name?.span, type, false, true);
  for (const arg of value.args) {
    push(arg.name?.span, "parameter");
    valueTokens(arg.value, push);
  }
}

function valueTokens(value: Value | undefined, push: Push): void {
  if (!value) return;
  if (value.kind === "number") push(value.span, "number");
  else if (value.kind === "string") push(value.span, "string");
  else if (value.kind === "call") call(value, "function", push);
  else if (value.kind === "list") for (const item of value.items) valueTokens(item, push);
}

function networkTokens(network: Network, push: Push): void {
  push(network.name?.span, "network", true);
  for (const entry of network.entries) {
    if (entry.kind === "input") {
      push(entry.name?.span, "input", true);
      push(entry.units?.span, "number");
    } else if (entry.kind === "layer") {
      push(entry.name?.span, "layer", true);
      const body = entry.body;
      if (body?.kind === "dense") {
        push(body.units?.span, "number");
        call(body.activation, "activation", push);
        push(body.from?.span, "layer");
        call(body.init, "function", push);
      } else if (body?.kind === "dropout") {
        push(body.rate?.span, "number");
        push(body.from?.span, "layer");
      } else body?.operands.forEach((operand) => push(operand.span, "layer"));
    } else if (entry.kind === "loss") call(entry.loss, "loss", push);
    else if (entry.kind === "data") {
      if (entry.source?.kind === "call") call(entry.source, "function", push);
      else entry.source?.rows.forEach((row) => [...row.features, ...row.targets].forEach((number) => push(number.span, "number")));
    } else {
      for (const setting of entry.settings) {
        // a setting written as a call (`stop_early(…)`) has its key as the call's name: one token, not two
        const written = setting.value?.kind === "call" && setting.value.name?.span.start === setting.key?.span.start;
        if (written) call(setting.value as Call, "property", push);
        else {
          push(setting.key?.span, "property");
          valueTokens(setting.value, push);
        }
      }
    }
  }
}

const keywordPattern = new RegExp(`\\b(?:${keywords.join("|")})\\b`, "g");

export function semanticTokens(document: IdeDocument): SemanticToken[] {
  const tokens: SemanticToken[] = [];
  const push: Push = (span, type, declaration = false, library = false) => {
    if (!span || span.end <= span.start) return;
    tokens.push({ span, type, modifiers: [...(declaration ? ["declaration" as const] : []), ...(library ? ["defaultLibrary" as const] : [])] });
  };
  const file = document.analysis.parse.ast;
  file.networks.forEach((network) => networkTokens(network, push));
  const taken = [...tokens.map((token) => token.span), ...file.comments.map((comment) => comment.span)].sort((a, b) => a.start - b.start);
  // matches come in text order, so one sweep over the sorted spans finds those inside a name, string or comment
  let next = 0;
  let reach = -1;
  for (const match of document.text.matchAll(keywordPattern)) {
    const start = match.index;
    while (next < taken.length && taken[next]!.start <= start) reach = Math.max(reach, taken[next++]!.end);
    if (start >= reach) push({ start, end: start + match[0].length }, "keyword");
  }
  return tokens.sort((a, b) => a.span.start - b.span.start);
}
