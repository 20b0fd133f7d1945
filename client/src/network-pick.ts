/** The items of "NNet: which network?": each network's name, described from the server's summary of it. */
import { networkDetail, type SummaryResult } from "../../server/src/protocol";

export interface NetworkPickItem {
  label: string;
  description?: string;
}

export function networkPickItems(networks: readonly string[], summaries: readonly (SummaryResult | undefined)[]): NetworkPickItem[] {
  return networks.map((name, i) => {
    const summary = summaries[i]?.summary;
    return summary ? { label: name, description: networkDetail(summary) } : { label: name };
  });
}
