/** The language server's public surface. */
export { startServer, type Transport } from "./server";
export { DIAGNOSTICS_DEBOUNCE_MS } from "./documents";
export { lspCommand } from "./command";
