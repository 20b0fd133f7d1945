// Entry of out/server.js: `--stdio` for editors, `--node-ipc` as the VS Code client passes.
import { startServer } from "./index";

startServer(process.argv.includes("--stdio") || !process.send ? "stdio" : "ipc");
