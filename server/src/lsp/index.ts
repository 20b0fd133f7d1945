/** The language server's public surface: start it, and the interface a training runner implements. */
export { startServer, type Transport, type ServerOptions } from "./server";
export { type JobRunner, type JobContext, unavailableRunner, TrainingUnavailableError } from "./jobs";
export { DIAGNOSTICS_DEBOUNCE_MS } from "./documents";
export { lspCommand } from "./command";
