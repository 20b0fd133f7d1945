/** The .nnet syntax: tokens, the parser and the AST. */
export * from "./ast";
export { parse, maxSyntaxErrors } from "./parse";
export { lex, scan, type LexedToken, type TokenVisitor } from "./lex";
export { keywords } from "./tokens";
