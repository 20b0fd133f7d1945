/** The debug adapter: stepping one .nnet training run point by point over the Debug Adapter Protocol. */
export { NnetDebugSession } from "./session";
export { dapCommand } from "./command";
export { loadProgram, type LaunchArgs, type Program } from "./program";
