// The node side of the TensorFlow.js peer (float32): its runners live in a
// process of their own (tfjs-peer.ts, tfjs-runner.ts), so this process never
// loads TensorFlow.js.
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { ActivationName, LossName } from "../../server/src/engine/index";
import type { Runner, Took } from "../timing";
import { LinePeer } from "./line-peer";

export type TfBackend = "cpu" | "wasm";

/** Whether TensorFlow.js is installed (a dev dependency), without loading it. */
export function tfjsAvailable(): boolean {
  try {
    require.resolve("@tensorflow/tfjs");
    require.resolve("@tensorflow/tfjs-backend-wasm");
    return true;
  } catch {
    return false;
  }
}

/** What a runner trains: the workload's shape and hyperparameters. */
export interface TfWork {
  widths: number[];
  activations: ActivationName[];
  loss: LossName;
  lr: number;
  batch: number;
}

/** The runners in a process of their own, so that TensorFlow.js's heap and garbage stay off the other systems' clocks. */
export class TfjsPeer {
  private readonly peer: LinePeer;
  private nextId = 0;

  constructor() {
    this.peer = new LinePeer(spawn(process.execPath, [join(__dirname, "peers/tfjs-peer.js")]), "TensorFlow.js");
  }

  /** Loads a workload for `backend` from float64 files (one example per row); returns its runner. */
  async load(backend: TfBackend, job: TfWork & { examples: number; x: string; y: string }): Promise<Runner> {
    const id = this.nextId++;
    await this.peer.request({ op: "load", id, backend, ...job });
    return async (epochs) => (await this.peer.request({ op: "run", id, epochs })) as Took;
  }

  close(): void {
    this.peer.close();
  }
}
