/**
 * nnet/summary: a network's layers and parameter counts for the editor's
 * "Show Model Summary" (the same table as `nnet summary`). Added with the
 * extension's summary command; answers from the document's current analysis.
 */
import { findNetwork, networkSummary } from "../../language/index";
import { SummaryRequest, type SummaryResult } from "../../protocol/index";
import { answer, type ServerContext } from "../context";
import { onRequest } from "../messages";

export function registerSummary(context: ServerContext): void {
  onRequest(context.connection, SummaryRequest, ({ uri, network }): SummaryResult =>
    answer<SummaryResult>(context, uri, { networks: [], errors: 0 }, (document) => {
      const { model, diagnostics } = document.analysis;
      const found = findNetwork(model, network);
      const networks = model.networks.map((each) => each.name ?? "");
      if (!found) return { networks, errors: 0 };
      const span = found.ast.span;
      const errors = diagnostics.filter((d) => d.severity === "error" && d.span.start >= span.start && d.span.start <= span.end).length;
      return { summary: networkSummary(found), networks, errors };
    }));
}
