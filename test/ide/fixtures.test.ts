import { describe, it, expect } from "vitest";
import * as ide from "../../server/src/language/ide/index";
import { applyEdits, expectFixture, fixtures, lineColumn } from "./fixtures";

describe("hover fixtures", () => {
  for (const fixture of fixtures("hover")) {
    it(fixture.name, () => {
      const hover = ide.hover(fixture.document, fixture.offset);
      const word = hover ? fixture.text.slice(hover.span.start, hover.span.end) : "";
      expectFixture(fixture, ".md", hover ? `<!-- on '${word}' -->\n${hover.markdown}\n` : "(no hover)\n");
    });
  }
});

describe("completion fixtures", () => {
  for (const fixture of fixtures("completion")) {
    it(fixture.name, () => {
      const list = ide.completion(fixture.document, fixture.offset);
      // a column name's quotes are the point: its line is shown as accepting it leaves it
      const accepted = (newText: string): string => {
        const edited = applyEdits(fixture.text, [{ span: list.span, newText }]);
        const start = edited.lastIndexOf("\n", list.span.start - 1) + 1;
        return edited.slice(start, edited.indexOf("\n", list.span.start + newText.length)).trim();
      };
      const lines = list.items.map((item) => `${item.label} [${item.kind}]${item.detail ? ` ${item.detail}` : ""}${item.documentation ? ` — ${item.documentation.replace(/\s*\n\s*/g, " | ")}` : ""}${item.kind === "column" ? ` ⇒ ${accepted(item.insertText ?? item.label)}` : ""}`);
      expectFixture(fixture, ".txt", `${lines.join("\n")}\n`);
    });
  }
});

describe("rename fixtures", () => {
  for (const fixture of fixtures("rename")) {
    it(fixture.name, () => {
      const result = ide.rename(fixture.document, fixture.offset, fixture.options.get("rename-to") ?? "renamed");
      expectFixture(fixture, ".nnet", "error" in result ? `error: ${result.error}\n` : applyEdits(fixture.text, result.edits));
    });
  }
});

describe("definition and references fixtures", () => {
  for (const fixture of fixtures("definition")) {
    it(fixture.name, () => {
      const definition = ide.definition(fixture.document, fixture.offset);
      const uses = ide.references(fixture.document, fixture.offset, false);
      const describe = (span: { start: number; end: number }) => `${lineColumn(fixture.text, span.start)} '${fixture.text.slice(span.start, span.end)}'`;
      const lines = [`definition: ${definition ? describe(definition) : "none"}`, ...uses.map((span) => `reference: ${describe(span)}`)];
      expectFixture(fixture, ".txt", `${lines.join("\n")}\n`);
    });
  }
});

describe("code action fixtures", () => {
  for (const fixture of fixtures("code-actions")) {
    it(fixture.name, () => {
      const actions = ide.codeActions(fixture.document, { start: fixture.offset, end: fixture.offset });
      expect(actions.length, "the cursor is on a fixable diagnostic").toBeGreaterThan(0);
      const parts = actions.map((action) => `### ${action.title} (${action.diagnosticCode})\n${applyEdits(fixture.text, action.edits)}`);
      expectFixture(fixture, ".txt", parts.join("\n"));
    });
  }
});

describe("format fixtures", () => {
  for (const fixture of fixtures("format")) {
    it(fixture.name, () => {
      const formatted = applyEdits(fixture.text, ide.format(fixture.document));
      expect(ide.formatText(formatted)).toBe(formatted);
      expectFixture(fixture, ".nnet", formatted);
    });
  }
});
