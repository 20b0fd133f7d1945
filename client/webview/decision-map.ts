/**
 * The decision boundary for 2-D inputs: the network's output over a grid of
 * the input plane as a heatmap, with the data points on top.
 */
import type { DecisionGrid } from "../../server/src/protocol";
import { formatNumber, h } from "./dom";
import { parseColor, type Palette } from "./theme";

const size = 300;

export class DecisionMap {
  readonly card: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  private readonly caption: HTMLElement;

  constructor(actions: HTMLElement[]) {
    this.canvas = h("canvas", { className: "decision-map", attrs: { role: "img", "aria-label": "decision boundary" } });
    this.caption = h("p", { className: "chart-note decision-caption" });
    this.card = h(
      "section",
      { className: "card decision-card" },
      h("header", { className: "card-header" }, h("h2", { text: "Decision boundary" }), h("div", { className: "card-actions" }, ...actions)),
      this.canvas,
      this.caption,
    );
    this.card.hidden = true;
  }

  /** `epoch`: the replay's, when it shows an earlier grid than the last */
  render(grid: DecisionGrid | undefined, palette: Palette, epoch?: number): void {
    this.card.hidden = !grid;
    if (!grid) return;
    const ratio = Math.max(1, Math.round(window.devicePixelRatio || 1));
    this.canvas.width = size * ratio;
    this.canvas.height = size * ratio;
    const ctx = this.canvas.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.fillStyle = palette.background;
    ctx.fillRect(0, 0, size, size);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(heatmap(grid, palette), 0, 0, size, size);
    drawPoints(ctx, grid, palette);
    const range = (low: number, high: number) => `[${formatNumber(low)}, ${formatNumber(high)}]`;
    const when = epoch !== undefined ? `epoch ${epoch} · ` : "";
    this.caption.textContent = `${when}x₁ ∈ ${range(grid.xMin, grid.xMax)} → · x₂ ∈ ${range(grid.yMin, grid.yMax)} ↑ · ${grid.points.length} points · ${grid.resolution}×${grid.resolution} grid`;
    this.canvas.dataset.resolution = String(grid.resolution);
    this.canvas.dataset.points = String(grid.points.length);
  }
}

/** value 0 → negative colour, 0.5 → background, 1 → positive colour, as in TensorFlow Playground. */
function shade(value: number, negative: number[], neutral: number[], positive: number[]): number[] {
  const v = Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0.5;
  const [end, t] = v < 0.5 ? [negative, 1 - 2 * v] : [positive, 2 * v - 1];
  const strength = 0.15 + 0.6 * t;
  return [0, 1, 2].map((i) => neutral[i] + (end[i] - neutral[i]) * strength);
}

function heatmap(grid: DecisionGrid, palette: Palette): HTMLCanvasElement {
  const n = grid.resolution;
  const canvas = document.createElement("canvas");
  canvas.width = n;
  canvas.height = n;
  const ctx = canvas.getContext("2d");
  if (!ctx) return canvas;
  const image = ctx.createImageData(n, n);
  const negative = parseColor(palette.negative);
  const positive = parseColor(palette.positive);
  const neutral = parseColor(palette.background);
  for (let row = 0; row < n; row++) {
    // Row 0 is yMin, which is drawn at the bottom.
    const y = n - 1 - row;
    for (let col = 0; col < n; col++) {
      const [r, g, b] = shade(grid.values[row * n + col], negative, neutral, positive);
      const at = (y * n + col) * 4;
      image.data.set([r, g, b, 255], at);
    }
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

function drawPoints(ctx: CanvasRenderingContext2D, grid: DecisionGrid, palette: Palette): void {
  const width = grid.xMax - grid.xMin || 1;
  const height = grid.yMax - grid.yMin || 1;
  let top = 1;
  for (const point of grid.points) top = Math.max(top, point.label);
  const negative = parseColor(palette.negative);
  const positive = parseColor(palette.positive);
  ctx.lineWidth = 1;
  ctx.strokeStyle = palette.foreground;
  for (const point of grid.points) {
    const t = Math.min(1, Math.max(0, point.label / top));
    const [r, g, b] = [0, 1, 2].map((i) => Math.round(negative[i] + (positive[i] - negative[i]) * t));
    ctx.fillStyle = `rgb(${r}, ${g}, ${b})`;
    ctx.beginPath();
    ctx.arc(((point.x - grid.xMin) / width) * size, size - ((point.y - grid.yMin) / height) * size, 3.5, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
  }
}
