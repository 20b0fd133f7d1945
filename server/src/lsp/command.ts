/** `nnet lsp --stdio`: the language server for editors other than VS Code (neovim, helix, …). */
import { startServer } from "./server";

const usage = [
  "Usage: nnet lsp --stdio",
  "",
  "Serves the .nnet language server over stdin/stdout (Language Server Protocol).",
  "",
  "Options:",
  "  --stdio       speak LSP on stdin and stdout (the only transport of this command)",
  "  --node-ipc    speak LSP over Node IPC, as the VS Code client does",
].join("\n");

/** Shaped as a CLI command (name, summary, usage, run), so the CLI registers it with one line. */
export function lspCommand() {
  return {
    name: "lsp",
    summary: "run the language server (--stdio)",
    usage,
    run(args: string[], io: { err(text: string): void }): number | Promise<number> {
      const transport = args.includes("--node-ipc") ? "ipc" : args.includes("--stdio") || args.length === 0 ? "stdio" : undefined;
      const unknown = args.filter((arg) => arg !== "--stdio" && arg !== "--node-ipc");
      if (!transport || unknown.length > 0) {
        io.err(`nnet lsp: unknown option ${unknown.join(" ")}\n\n${usage}\n`);
        return 2;
      }
      const connection = startServer(transport);
      return new Promise<number>((resolve) => connection.onExit(() => resolve(0)));
    },
  };
}
