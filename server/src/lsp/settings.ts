/**
 * Client settings read through workspace/configuration, cached per
 * document until the client says they changed.
 */
import type { Connection } from "vscode-languageserver/node";

export interface NnetSettings {
  inlayHints: { enabled: boolean };
  /** `nnet.data.allowOutsideWorkspace`: a machine setting, so one value for every document */
  data: { allowOutsideWorkspace: boolean };
}

const defaults: NnetSettings = { inlayHints: { enabled: true }, data: { allowOutsideWorkspace: false } };

export class Settings {
  private readonly cache = new Map<string, Promise<NnetSettings>>();
  supported = false;

  constructor(private readonly connection: Connection) {}

  forDocument(uri: string): Promise<NnetSettings> {
    if (!this.supported) return Promise.resolve(defaults);
    let settings = this.cache.get(uri);
    if (!settings) {
      settings = this.connection.workspace.getConfiguration({ scopeUri: uri, section: "nnet" })
        .then((value: unknown) => merge(value), () => defaults);
      this.cache.set(uri, settings);
    }
    return settings;
  }

  /** The settings of no document in particular, fetched afresh. */
  global(): Promise<NnetSettings> {
    if (!this.supported) return Promise.resolve(defaults);
    return this.connection.workspace.getConfiguration({ section: "nnet" }).then((value: unknown) => merge(value), () => defaults);
  }

  changed(): void {
    this.cache.clear();
  }
}

function merge(value: unknown): NnetSettings {
  const section = (value ?? {}) as { inlayHints?: { enabled?: unknown }; data?: { allowOutsideWorkspace?: unknown } };
  const enabled = section.inlayHints?.enabled;
  const outside = section.data?.allowOutsideWorkspace;
  return {
    inlayHints: { enabled: typeof enabled === "boolean" ? enabled : defaults.inlayHints.enabled },
    data: { allowOutsideWorkspace: outside === true },
  };
}
