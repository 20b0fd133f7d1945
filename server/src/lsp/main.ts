// Entry of out/server.js: `--stdio` for editors, `--node-ipc` as the VS Code client passes.
import { TrainingRunner } from "../training/index";
import { startServer } from "./index";

startServer(process.argv.includes("--stdio") || !process.send ? "stdio" : "ipc", { runner: new TrainingRunner() });
