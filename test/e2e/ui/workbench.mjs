// What a user does in the VS Code 1.100 workbench, as Playwright actions.
// Selectors are the ones observed on code-server 4.100.3; keep them here so a
// workbench change is fixed in one place.
import { join } from "node:path";

export class Workbench {
  constructor(page, resultsDir) {
    this.page = page;
    this.resultsDir = resultsDir;
  }

  async waitUntilReady(timeout = 60_000) {
    await this.page.locator(".monaco-workbench").waitFor({ timeout });
    await this.page.locator(".statusbar").waitFor({ timeout });
    await this.page.locator(".explorer-folders-view .monaco-list-row").first().waitFor({ timeout });
  }

  explorerRow(name) {
    return this.page.locator(`.explorer-folders-view .monaco-list-row[aria-label="${name}"]`);
  }

  /** Clicks the file in the explorer and waits until its editor shows it. */
  async openFromExplorer(name) {
    await this.explorerRow(name).click();
    await this.page.locator(`.tabs-container .tab[aria-label^="${name}"]`).waitFor();
    await this.editorLines().first().waitFor();
  }

  editorLines() {
    return this.page.locator(".editor-instance .monaco-editor .view-lines .view-line");
  }

  async editorText() {
    return (await this.editorLines().allInnerTexts()).join("\n").replace(/\u00a0/g, " ");
  }

  async languageMode() {
    return (await this.page.locator("#status\\.editor\\.mode").innerText()).trim();
  }

  /**
   * The `mtk` colour class of the first rendered token that is exactly `text`
   * (or starts with it, with `prefix`: the editor merges neighbours of one colour).
   */
  async tokenClass(text, { prefix = false } = {}) {
    return (await this.page.evaluate(tokenClasses, [{ text, prefix }]))[0];
  }

  /**
   * Waits until each of `words` is rendered in a colour of its own (`//` and
   * other `prefixes` may be merged with what follows them); answers the classes.
   */
  async waitForDistinctColours(words, prefixes = []) {
    const wanted = words.map((text) => ({ text, prefix: prefixes.includes(text) }));
    await this.page.waitForFunction(`(() => {
      const classes = (${tokenClasses})(${JSON.stringify(wanted)});
      return !classes.includes(null) && new Set(classes).size === classes.length;
    })()`);
    return this.page.evaluate(tokenClasses, wanted);
  }

  /** Waits until the input's value matches `pattern` (a dialog fills it in after it shows); answers the value. */
  async waitForInputValue(selector, pattern) {
    await this.page.waitForFunction(
      ([selector, source, flags]) => new RegExp(source, flags).test(document.querySelector(selector)?.value ?? ""),
      [selector, pattern.source, pattern.flags],
    );
    return this.page.locator(selector).inputValue();
  }

  /** F1, the title, Enter: what a user does to run a command from the palette. */
  async runCommand(title) {
    await this.page.keyboard.press("F1");
    const input = this.page.locator(".quick-input-widget .quick-input-box input");
    await input.waitFor();
    await input.fill(`>${title}`);
    await this.page.locator(".quick-input-widget .monaco-list-row", { hasText: title }).first().waitFor();
    await this.page.keyboard.press("Enter");
  }

  /** The screen box of the first rendered occurrence of `word`, found with a DOM Range. */
  async wordBox(word) {
    const box = await this.page.evaluate((wanted) => {
      const lines = document.querySelectorAll(".editor-instance .monaco-editor .view-lines .view-line");
      const escaped = wanted.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      for (const line of lines) {
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const text = node.textContent.replace(/\u00a0/g, " ");
          const match = new RegExp(`(?<![A-Za-z0-9_])${escaped}(?![A-Za-z0-9_])`).exec(text);
          if (!match) continue;
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + wanted.length);
          const rect = range.getBoundingClientRect();
          return { x: rect.x, y: rect.y, width: rect.width, height: rect.height };
        }
      }
      return null;
    }, word);
    if (!box) throw new Error(`'${word}' is not on screen in the editor`);
    return box;
  }

  /** Puts the cursor inside `word` by clicking it. */
  async clickWord(word) {
    const box = await this.wordBox(word);
    await this.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  }

  /**
   * Moves the mouse onto `word` in a few steps, as a hand would, and returns
   * the hover's text. A hover the editor dropped (the mouse arrived while a
   * widget was closing) is tried again by leaving the word and coming back.
   */
  async hover(word, timeout = 15_000) {
    const content = this.page.locator(".monaco-hover:not(.hidden) .monaco-hover-content");
    const deadline = Date.now() + timeout;
    for (let attempt = 1; ; attempt++) {
      const box = await this.wordBox(word);
      await this.page.mouse.move(box.x - 30, box.y + box.height / 2 + 40);
      await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
      const wait = Math.min(5_000, Math.max(1_000, deadline - Date.now()));
      try {
        await content.first().waitFor({ timeout: wait });
        return content.first().innerText();
      } catch (error) {
        if (Date.now() >= deadline || attempt >= 3) throw error;
      }
    }
  }

  /**
   * The open hover as VS Code laid it out: the visible box, its maximum height, the content's full
   * height, where the first rule (the end of the first screen) is, and where each block of it ends.
   */
  async hoverLayout() {
    return this.page.evaluate(() => {
      const hover = document.querySelector(".monaco-hover:not(.hidden)");
      const content = hover?.querySelector(".monaco-hover-content");
      if (!hover || !content) return null;
      const top = content.getBoundingClientRect().top;
      const rule = content.querySelector("hr");
      const blocks = [...content.querySelectorAll("p, li")];
      return {
        visible: content.clientHeight,
        max: parseFloat(getComputedStyle(hover).maxHeight),
        content: content.scrollHeight,
        firstScreen: rule ? rule.getBoundingClientRect().top - top : content.scrollHeight,
        positions: blocks.map((block) => ({ text: block.textContent ?? "", bottom: block.getBoundingClientRect().bottom - top })),
      };
    });
  }

  /** How far the active editor's text is scrolled sideways, in pixels. */
  async scrollLeft() {
    return this.page.evaluate(() => {
      const lines = document.querySelector(".editor-instance .monaco-editor .lines-content");
      // the text moves left as it scrolls right: style.left is minus the scroll
      return lines ? Math.abs(parseFloat(lines.style.left || "0")) : NaN;
    });
  }

  /** Resolves after the browser has drawn two more frames: whatever a key press changed is on screen. */
  async rendered() {
    await this.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  }

  /** Opens the Problems panel and returns its rows' text. */
  async problems() {
    await this.page.keyboard.press("Control+Shift+M");
    await this.page.locator(".markers-panel").waitFor();
    return this.page.locator(".markers-panel .monaco-list-row").allInnerTexts();
  }

  squiggles(severity = "error") {
    return this.page.locator(`.monaco-editor .squiggly-${severity}`);
  }

  /** The content frame of the active webview panel. */
  webview() {
    return this.page.frameLocator("iframe.webview.ready").frameLocator("iframe#active-frame");
  }

  /** Hides the side bar and the bottom panel, leaving the editors (and webview panels) the whole window. */
  async focusEditorArea() {
    if (await this.page.locator(".part.sidebar").isVisible()) await this.page.keyboard.press("Control+B");
    if (await this.page.locator(".part.panel.bottom").isVisible()) await this.page.keyboard.press("Control+J");
    await this.page.locator(".part.sidebar").waitFor({ state: "hidden" });
    await this.page.locator(".part.panel.bottom").waitFor({ state: "hidden" });
  }

  /** The text of the first `selector` in any frame of the page (webviews nest their content two frames deep). */
  async frameText(selector) {
    for (const frame of this.page.frames()) {
      const found = frame.locator(selector).first();
      if ((await found.count().catch(() => 0)) > 0) return found.innerText().catch(() => "");
    }
    return "";
  }

  async screenshot(name) {
    const path = join(this.resultsDir, `${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }
}

/** In the page: the `mtk` class of each wanted token, or null where it is not rendered. */
function tokenClasses(wanted) {
  const spans = [...document.querySelectorAll(".editor-instance .monaco-editor .view-lines .view-line span span")];
  return wanted.map(({ text, prefix }) => {
    const span = spans.find((candidate) => {
      const shown = candidate.textContent.replace(/\u00a0/g, " ").trim();
      return prefix ? shown.startsWith(text) : shown === text;
    });
    return span ? ([...span.classList].find((name) => /^mtk\d+$/.test(name)) ?? null) : null;
  });
}
