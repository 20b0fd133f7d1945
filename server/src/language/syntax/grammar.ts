/**
 * The .nnet grammar as one Chevrotain CstParser, built once and reused for
 * every parse. It is deliberately flat (no rule recurses), so nested or huge
 * inputs cannot exhaust the stack. Newlines are tokens: they separate block
 * entries and inline rows, and are skipped inside argument lists.
 */
import { CstParser, tokenMatcher, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import * as t from "./tokens";

const describe = (token: IToken): string =>
  token.tokenType.name === "EOF" ? "the end of the file" : token.tokenType === t.Newline ? "the end of the line" : `'${token.image}'`;

const label = (type: TokenType): string => type.LABEL ?? type.name;

const ruleWords: Record<string, string> = {
  file: "the file",
  network: "a network",
  inputEntry: "an input entry (input NAME: UNITS)",
  layerEntry: "a layer entry (layer NAME: dense UNITS … | dropout RATE | add(A, B) | concat(A, B))",
  dropoutBody: "a dropout layer (dropout RATE [from NAME])",
  denseBody: "a dense layer (dense UNITS [ACTIVATION] [from NAME] [init INIT])",
  mergeBody: "an add/concat layer",
  lossEntry: "a loss entry",
  dataEntry: "a data entry",
  inlineData: "inline data rows",
  inlineRow: "an inline row (features -> targets)",
  settingsBlock: "a settings block",
  setting: "a setting (KEY VALUE)",
  call: "a name",
  args: "an argument list",
  arg: "an argument (NAME: VALUE)",
  value: "a value",
  argValue: "an argument value",
  list: "a list ([\"a\", \"b\"])",
  literal: "a value",
};

const paths = (alternatives: TokenType[][][]): string =>
  [...new Set(alternatives.flat().map((path) => label(path[0])))].join(", ");

export const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual, ruleName }) =>
    `expected ${label(expected)} in ${ruleWords[ruleName] ?? ruleName}, found ${describe(actual)}`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) =>
    `unexpected ${describe(firstRedundant)}; a file holds 'network NAME { … }' blocks`,
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual, ruleName }) =>
    `expected ${paths(expectedPathsPerAlt)} in ${ruleWords[ruleName] ?? ruleName}, found ${describe(actual[0])}`,
  buildEarlyExitMessage: ({ expectedIterationPaths, actual, ruleName }) =>
    `expected ${paths([expectedIterationPaths])} in ${ruleWords[ruleName] ?? ruleName}, found ${describe(actual[0])}`,
};

class NnetParser extends CstParser {
  constructor() {
    super(t.allTokens, { recoveryEnabled: true, nodeLocationTracking: "none", errorMessageProvider: messages, maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  /**
   * Chevrotain looks for a re-sync token in the follow sets of the whole rule
   * stack, outermost first; with the catch-all stray categories that always
   * picks an outer rule and throws away the rest of a block. Searching the
   * innermost rule first recovers as locally as the grammar allows.
   */
  findReSyncTokenType(): TokenType {
    const follows = [...(this as unknown as { flattenFollowSet(): TokenType[] }).flattenFollowSet()].reverse();
    for (let k = 1; ; k++) {
      const next = this.LA(k);
      const found = follows.find((type) => tokenMatcher(next, type));
      if (found) return found;
    }
  }

  /** Anything that cannot begin a network is consumed as stray and reported once per run. */
  file = this.RULE("file", () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.network) },
        { ALT: () => this.CONSUME(t.Newline) },
        { ALT: () => this.CONSUME(t.Stray) },
      ]);
    });
  });

  network = this.RULE("network", () => {
    this.CONSUME(t.Network);
    this.CONSUME(t.Identifier);
    this.MANY(() => this.CONSUME(t.Newline));
    this.CONSUME(t.LCurly);
    this.MANY2(() => {
      this.OR([
        { ALT: () => this.CONSUME2(t.Newline) },
        { ALT: () => this.CONSUME(t.Comma) },
        { ALT: () => this.SUBRULE(this.inputEntry) },
        { ALT: () => this.SUBRULE(this.layerEntry) },
        { ALT: () => this.SUBRULE(this.lossEntry) },
        { ALT: () => this.SUBRULE(this.dataEntry) },
        { ALT: () => this.SUBRULE(this.settingsBlock) },
        { ALT: () => this.CONSUME(t.BodyStray) },
      ]);
    });
    this.CONSUME(t.RCurly);
  });

  inputEntry = this.RULE("inputEntry", () => {
    this.CONSUME(t.Input);
    this.CONSUME(t.Identifier);
    this.CONSUME(t.Colon);
    this.CONSUME(t.NumberLiteral);
  });

  layerEntry = this.RULE("layerEntry", () => {
    this.CONSUME(t.Layer);
    this.CONSUME(t.Identifier);
    this.CONSUME(t.Colon);
    this.OR([
      { ALT: () => this.SUBRULE(this.denseBody) },
      { ALT: () => this.SUBRULE(this.dropoutBody) },
      { ALT: () => this.SUBRULE(this.mergeBody) },
    ]);
  });

  dropoutBody = this.RULE("dropoutBody", () => {
    this.CONSUME(t.Dropout);
    this.CONSUME(t.NumberLiteral);
    this.OPTION(() => {
      this.CONSUME(t.From);
      this.CONSUME(t.Identifier);
    });
  });

  denseBody = this.RULE("denseBody", () => {
    this.CONSUME(t.Dense);
    this.CONSUME(t.NumberLiteral);
    this.OPTION(() => this.SUBRULE(this.call, { LABEL: "activation" }));
    this.MANY(() => {
      this.OR([
        { ALT: () => { this.CONSUME(t.From); this.CONSUME(t.Identifier); } },
        { ALT: () => { this.CONSUME(t.Init); this.SUBRULE2(this.call, { LABEL: "init" }); } },
      ]);
    });
  });

  mergeBody = this.RULE("mergeBody", () => {
    this.OR([{ ALT: () => this.CONSUME(t.Add) }, { ALT: () => this.CONSUME(t.Concat) }]);
    this.CONSUME(t.LParen);
    this.MANY(() => {
      this.OR2([
        { ALT: () => this.CONSUME(t.Identifier) },
        { ALT: () => this.CONSUME(t.Comma) },
        { ALT: () => this.CONSUME(t.Newline) },
      ]);
    });
    this.CONSUME(t.RParen);
  });

  lossEntry = this.RULE("lossEntry", () => {
    this.CONSUME(t.Loss);
    this.OPTION(() => this.SUBRULE(this.call));
  });

  dataEntry = this.RULE("dataEntry", () => {
    this.CONSUME(t.Data);
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.call) },
        { ALT: () => this.SUBRULE(this.inlineData) },
      ]);
    });
  });

  inlineData = this.RULE("inlineData", () => {
    this.CONSUME(t.LCurly);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(t.Newline) },
        { ALT: () => this.CONSUME(t.Semicolon) },
        { ALT: () => this.SUBRULE(this.inlineRow) },
        { ALT: () => this.CONSUME(t.RowStray) },
      ]);
    });
    this.CONSUME(t.RCurly);
  });

  inlineRow = this.RULE("inlineRow", () => {
    this.OR([
      {
        ALT: () => {
          this.AT_LEAST_ONE(() => this.CONSUME(t.NumberLiteral, { LABEL: "features" }));
          this.OPTION(() => {
            this.CONSUME(t.Arrow);
            this.MANY(() => this.CONSUME2(t.NumberLiteral, { LABEL: "targets" }));
          });
        },
      },
      {
        ALT: () => {
          this.CONSUME2(t.Arrow);
          this.MANY2(() => this.CONSUME3(t.NumberLiteral, { LABEL: "targets" }));
        },
      },
    ]);
  });

  settingsBlock = this.RULE("settingsBlock", () => {
    this.OR([{ ALT: () => this.CONSUME(t.Train) }, { ALT: () => this.CONSUME(t.Gradcheck) }]);
    this.MANY(() => this.CONSUME(t.Newline));
    this.CONSUME(t.LCurly);
    this.MANY2(() => {
      this.OR2([
        { ALT: () => this.CONSUME2(t.Newline) },
        { ALT: () => this.CONSUME(t.Comma) },
        { ALT: () => this.SUBRULE(this.setting) },
        { ALT: () => this.CONSUME(t.SettingStray) },
      ]);
    });
    this.CONSUME(t.RCurly);
  });

  /** `key value`, or `key(arg: value, …)` for a setting that is itself a call (stop_early). */
  setting = this.RULE("setting", () => {
    this.CONSUME(t.Identifier);
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.args) },
        { ALT: () => this.SUBRULE(this.value) },
      ]);
    });
  });

  value = this.RULE("value", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.literal) },
      { ALT: () => this.SUBRULE(this.call) },
    ]);
  });

  /** `name` or `name(arg, …)`; argument values are literals or bare names, never calls, so nothing recurses. */
  call = this.RULE("call", () => {
    this.CONSUME(t.Identifier);
    this.OPTION(() => this.SUBRULE(this.args));
  });

  args = this.RULE("args", () => {
    this.CONSUME(t.LParen);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(t.Comma) },
        { ALT: () => this.CONSUME(t.Newline) },
        { ALT: () => this.SUBRULE(this.arg) },
      ]);
    });
    this.CONSUME(t.RParen);
  });

  arg = this.RULE("arg", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.Identifier, { LABEL: "head" });
          this.OPTION(() => {
            this.CONSUME(t.Colon);
            this.SUBRULE(this.argValue);
          });
        },
      },
      { ALT: () => this.SUBRULE(this.literal) },
    ]);
  });

  /** `monitor: loss` names the training loss: the keyword reads as a bare name in an argument's value. */
  argValue = this.RULE("argValue", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.literal) },
      { ALT: () => this.CONSUME(t.Identifier) },
      { ALT: () => this.CONSUME(t.Loss, { LABEL: "Identifier" }) },
      { ALT: () => this.SUBRULE(this.list) },
    ]);
  });

  /** `[value, …]`: literals only, so lists do not nest and nothing recurses. */
  list = this.RULE("list", () => {
    this.CONSUME(t.LBracket);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.literal) },
        { ALT: () => this.CONSUME(t.Comma) },
        { ALT: () => this.CONSUME(t.Newline) },
      ]);
    });
    this.CONSUME(t.RBracket);
  });

  literal = this.RULE("literal", () => {
    this.OR([
      { ALT: () => this.CONSUME(t.NumberLiteral) },
      { ALT: () => this.CONSUME(t.StringLiteral) },
      { ALT: () => this.CONSUME(t.True) },
      { ALT: () => this.CONSUME(t.False) },
      { ALT: () => this.CONSUME(t.Full) },
    ]);
  });
}

/** The one parser instance (building one per parse is the classic performance mistake). */
export const nnetParser = new NnetParser();
