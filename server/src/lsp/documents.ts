/**
 * Open documents, their analyses and the debounced re-check. One analysis
 * is cached per document version; a request always answers from the latest
 * text (analysing it on the spot if the debounce has not fired yet), so a
 * request on a stale version never fails.
 */
import { TextDocuments } from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { analyzeDocument, type IdeDocument } from "../language/ide/index";
import type { FileAccess } from "../language/index";
import { pathOfUri } from "./convert";
import { diskFiles } from "./files";

/** Milliseconds of quiet after an edit before diagnostics are recomputed and published. */
export const DIAGNOSTICS_DEBOUNCE_MS = 150;

export class DocumentStore {
  readonly documents = new TextDocuments(TextDocument);
  private readonly analyses = new Map<string, IdeDocument>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  debounceMs = DIAGNOSTICS_DEBOUNCE_MS;

  constructor(
    private readonly check: (uri: string) => void,
    private readonly closed: (uri: string) => void,
    /** the data files a document may read (lsp/data-policy.ts) */
    private readonly filesFor: (uri: string) => FileAccess = () => diskFiles,
  ) {
    this.documents.onDidChangeContent((event) => this.schedule(event.document.uri, !this.analyses.has(event.document.uri)));
    this.documents.onDidClose((event) => this.close(event.document.uri));
  }

  text(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  /** The analysis of the document's current version. */
  ide(uri: string): IdeDocument | undefined {
    const document = this.documents.get(uri);
    if (!document) return undefined;
    const cached = this.analyses.get(uri);
    if (cached && cached.version === document.version) return cached;
    const path = pathOfUri(uri);
    const fresh = analyzeDocument({ uri, version: document.version, text: document.getText(), ...(path ? { path } : {}), files: this.filesFor(uri) });
    this.analyses.set(uri, fresh);
    return fresh;
  }

  /** Drops every cached analysis, for when what the checker may read has changed. */
  invalidate(): void {
    this.analyses.clear();
  }

  all(): string[] {
    return this.documents.all().map((document) => document.uri);
  }

  /** A newer edit cancels the pending check: only the last version's diagnostics are published. */
  private schedule(uri: string, immediately: boolean): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    const run = (): void => {
      this.timers.delete(uri);
      if (this.documents.get(uri)) this.check(uri);
    };
    this.timers.set(uri, setTimeout(run, immediately ? 0 : this.debounceMs));
  }

  private close(uri: string): void {
    const pending = this.timers.get(uri);
    if (pending) clearTimeout(pending);
    this.timers.delete(uri);
    this.analyses.delete(uri);
    this.closed(uri);
  }
}
