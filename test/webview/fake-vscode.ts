/**
 * Just enough of the `vscode` API for the training panel's host, recording
 * what the host does with it. Its listeners are counted, so a test can see
 * that disposing the panel removes every one.
 */
type Listener<T> = (value: T) => void;

export class EventEmitter<T> {
  private listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
  get size(): number {
    return this.listeners.size;
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(readonly scheme: string, readonly path: string) {}
  static parse(text: string): Uri {
    const match = /^(\w+):\/\/(.*)$/.exec(text);
    return new Uri(match?.[1] ?? "file", match?.[2] ?? text);
  }
  static file(path: string): Uri {
    return new Uri("file", path);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    const segments = base.path.split("/");
    for (const part of parts.flatMap((p) => p.split("/"))) {
      if (part === "..") segments.pop();
      else if (part !== "." && part !== "") segments.push(part);
    }
    return new Uri(base.scheme, segments.join("/"));
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}`;
  }
}

export class FakeWebview {
  options: unknown;
  html = "";
  readonly cspSource = "https://fake.vscode-cdn.net";
  readonly posted: unknown[] = [];
  readonly messages = new EventEmitter<unknown>();
  readonly onDidReceiveMessage = this.messages.event;
  asWebviewUri(uri: Uri): Uri {
    return Uri.parse(`https://fake.vscode-cdn.net${uri.path}`);
  }
  postMessage(message: unknown): Promise<boolean> {
    this.posted.push(JSON.parse(JSON.stringify(message)));
    return Promise.resolve(true);
  }
}

export class FakePanel {
  readonly webview = new FakeWebview();
  readonly disposeEvents = new EventEmitter<void>();
  readonly onDidDispose = this.disposeEvents.event;
  reveals = 0;
  disposed = false;
  constructor(readonly viewType: string, readonly options: unknown) {}
  reveal(): void {
    this.reveals++;
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEvents.fire();
  }
}

export const recorded = {
  panels: [] as FakePanel[],
  serializers: new Map<string, { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> }>(),
  saveDialogs: [] as { defaultUri?: Uri; filters?: Record<string, string[]> }[],
  saveAnswer: undefined as Uri | undefined,
  written: [] as { uri: Uri; bytes: Uint8Array }[],
  errors: [] as string[],
  reset(): void {
    this.panels.length = 0;
    this.serializers.clear();
    this.saveDialogs.length = 0;
    this.saveAnswer = undefined;
    this.written.length = 0;
    this.errors.length = 0;
  },
};

export const ViewColumn = { Active: -1, Beside: -2, One: 1 };

export const window = {
  createWebviewPanel(viewType: string, _title: string, _column: unknown, options: unknown): FakePanel {
    const panel = new FakePanel(viewType, options);
    panel.webview.options = options;
    recorded.panels.push(panel);
    return panel;
  },
  registerWebviewPanelSerializer(viewType: string, serializer: { deserializeWebviewPanel(panel: unknown, state: unknown): Promise<void> }) {
    recorded.serializers.set(viewType, serializer);
    return { dispose: () => recorded.serializers.delete(viewType) };
  },
  async showSaveDialog(options: { defaultUri?: Uri; filters?: Record<string, string[]> }): Promise<Uri | undefined> {
    recorded.saveDialogs.push(options);
    return recorded.saveAnswer;
  },
  async showErrorMessage(message: string): Promise<undefined> {
    recorded.errors.push(message);
    return undefined;
  },
};

export const workspace = {
  workspaceFolders: [{ uri: Uri.file("/w") }],
  fs: {
    async writeFile(uri: Uri, bytes: Uint8Array): Promise<void> {
      recorded.written.push({ uri, bytes });
    },
  },
};
