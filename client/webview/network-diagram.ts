/** The network in order, one box per layer: name, kind, shape, parameters. */
import type { LayerSummary, NetworkSummary } from "../../server/src/protocol";
import { clear, h } from "./dom";

export class NetworkDiagram {
  readonly card: HTMLElement;
  private readonly heading: HTMLElement;
  private readonly flow: HTMLElement;

  constructor(private readonly reveal: (layer: string) => void) {
    this.heading = h("h2", { text: "Network" });
    this.flow = h("ol", { className: "network-flow" });
    this.card = h(
      "section",
      { className: "card network-card" },
      h("header", { className: "card-header" }, this.heading),
      this.flow,
    );
    this.card.hidden = true;
  }

  render(summary: NetworkSummary | undefined): void {
    this.card.hidden = !summary;
    clear(this.flow);
    if (!summary) return;
    this.heading.textContent = `Network ${summary.network} · ${summary.loss} · ${summary.totalParams.toLocaleString("en-US")} parameters`;
    summary.layers.forEach((layer, index) => {
      const previous = summary.layers[index - 1];
      this.flow.append(this.layerBox(layer, previous?.name));
    });
  }

  private layerBox(layer: LayerSummary, previous: string | undefined): HTMLElement {
    // An arrow from the previous box says enough; other sources are named.
    const sources = layer.from.filter((name) => name !== previous || layer.from.length > 1);
    const box = h(
      "li",
      { className: `net-layer net-layer-${layer.kind}`, attrs: { tabindex: "0" }, title: `Show ${layer.name} in the editor` },
      h("div", { className: "layer-name", text: layer.name }),
      h("div", { className: "layer-kind", text: layer.activation ? `${layer.kind} · ${layer.activation}` : layer.kind }),
      h("div", { className: "layer-shape", text: `${layer.units} unit${layer.units === 1 ? "" : "s"}` }),
      h("div", { className: "layer-params", text: layer.params > 0 ? `${layer.params.toLocaleString("en-US")} params` : "no params" }),
      sources.length > 0 && h("div", { className: "layer-from", text: `← ${sources.join(" + ")}` }),
    );
    box.dataset.layer = layer.name;
    box.addEventListener("click", () => this.reveal(layer.name));
    return box;
  }
}
