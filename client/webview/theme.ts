/**
 * Colours come from VS Code's theme variables, read when drawing, so the
 * charts follow the user's theme. VS Code changes the body's class when the
 * theme changes, which is when everything is redrawn.
 */
export interface Palette {
  foreground: string;
  background: string;
  border: string;
  grid: string;
  train: string;
  validation: string;
  pass: string;
  fail: string;
  warn: string;
  /** distinct colours for per-layer series, cycled */
  series: string[];
  /** the two ends of the decision map: class 0 and class 1 */
  negative: string;
  positive: string;
}

export type ThemeKind = "light" | "dark" | "high-contrast";

export function themeKind(): ThemeKind {
  const classes = document.body.classList;
  if (classes.contains("vscode-high-contrast") || classes.contains("vscode-high-contrast-light")) return "high-contrast";
  return classes.contains("vscode-light") ? "light" : "dark";
}

function cssVariable(style: CSSStyleDeclaration, name: string, fallback: string): string {
  const value = style.getPropertyValue(name).trim();
  return value || fallback;
}

export function readPalette(): Palette {
  const style = getComputedStyle(document.documentElement);
  const light = themeKind() === "light";
  const v = (name: string, dark: string, lightValue: string) => cssVariable(style, name, light ? lightValue : dark);
  const foreground = v("--vscode-foreground", "#cccccc", "#3b3b3b");
  const blue = v("--vscode-charts-blue", "#3794ff", "#1a85ff");
  const red = v("--vscode-charts-red", "#f14c4c", "#e51400");
  const green = v("--vscode-charts-green", "#89d185", "#388a34");
  const orange = v("--vscode-charts-orange", "#d18616", "#d18616");
  const purple = v("--vscode-charts-purple", "#b180d7", "#652d90");
  const yellow = v("--vscode-charts-yellow", "#cca700", "#bf8803");
  return {
    foreground,
    background: v("--vscode-editor-background", "#1e1e1e", "#ffffff"),
    border: v("--vscode-panel-border", "#80808059", "#80808059"),
    grid: withAlpha(foreground, 0.12),
    train: blue,
    validation: orange,
    pass: v("--vscode-testing-iconPassed", green, green),
    fail: v("--vscode-testing-iconFailed", red, red),
    warn: yellow,
    series: [blue, orange, green, purple, red, yellow],
    negative: orange,
    positive: blue,
  };
}

let probe: CanvasRenderingContext2D | null | undefined;

/** Any CSS colour as [r, g, b, a] with r, g, b in 0–255 and a in 0–1. */
export function parseColor(color: string): [number, number, number, number] {
  probe ??= document.createElement("canvas").getContext("2d");
  if (!probe) return [128, 128, 128, 1];
  probe.fillStyle = "#808080";
  probe.fillStyle = color;
  const normal = String(probe.fillStyle);
  if (normal.startsWith("#")) {
    const n = Number.parseInt(normal.slice(1, 7), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 1];
  }
  const parts = normal.replace(/^rgba?\(|\)$/g, "").split(",").map((p) => Number.parseFloat(p));
  return [parts[0] ?? 128, parts[1] ?? 128, parts[2] ?? 128, parts[3] ?? 1];
}

export function withAlpha(color: string, alpha: number): string {
  const [r, g, b, a] = parseColor(color);
  return `rgba(${r}, ${g}, ${b}, ${Math.round(alpha * a * 1000) / 1000})`;
}

/** Calls `redraw` whenever VS Code switches theme (it rewrites the body's class). */
export function onThemeChange(redraw: () => void): () => void {
  let last = document.body.className;
  const observer = new MutationObserver(() => {
    if (document.body.className === last) return;
    last = document.body.className;
    redraw();
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ["class"] });
  // VS Code also rewrites the variables on <html> when a theme changes colours only.
  const rootObserver = new MutationObserver(redraw);
  rootObserver.observe(document.documentElement, { attributes: true, attributeFilter: ["style"] });
  return () => {
    observer.disconnect();
    rootObserver.disconnect();
  };
}
