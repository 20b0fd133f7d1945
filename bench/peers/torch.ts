// The node side of the PyTorch peer: one long-lived Python process
// per thread configuration, so the peer's rounds interleave with the engine's.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import type { Runner, Took } from "../timing";
import { LinePeer } from "./line-peer";

/** Debian's python3-torch by default (the pyenv python3 on PATH has no torch); NNET_BENCH_PYTHON names another. */
export const python = process.env.NNET_BENCH_PYTHON ?? "/usr/bin/python3";

export interface TorchInfo {
  torch: string;
  threads: number;
  blas: string[];
  openblas: { corename: string; config: string; threads: number } | null;
  /** the BLAS torch's build names (BLAS_INFO), and whether it has MKL */
  built: string;
  mkl: boolean;
}

/** The data and hyperparameters the peer needs, with x and y as float64 files (features × n). */
export interface TorchJob {
  widths: number[];
  activations: string[];
  loss: string;
  lr: number;
  batch: number;
  examples: number;
  x: string;
  y: string;
}

export function torchAvailable(): boolean {
  return spawnSync(python, ["-c", "import torch"], { stdio: "ignore" }).status === 0;
}

// The environment exports OPENBLAS_CORETYPE (and OPENBLAS_L2_SIZE) for other
// tools; they would pin OpenBLAS to a core it did not detect, so the peer, and
// only the peer, runs without them and lets OpenBLAS pick its kernels.
function peerEnv(threads: number, blasThreads: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(blasThreads), OMP_NUM_THREADS: String(threads) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

export class TorchPeer {
  private readonly peer: LinePeer;
  private nextId = 0;
  info!: TorchInfo;

  private constructor(child: ChildProcessWithoutNullStreams, readonly threads: number, readonly blasThreads: number) {
    this.peer = new LinePeer(child, "torch");
  }

  /** torch on `threads` threads, its BLAS on `blasThreads` (the cores it may use: the larger of the two) */
  static async start(threads: number, blasThreads = threads): Promise<TorchPeer> {
    const script = join(process.cwd(), "bench/peers/torch_peer.py");
    const peer = new TorchPeer(spawn(python, [script, String(threads)], { env: peerEnv(threads, blasThreads) }), threads, blasThreads);
    peer.info = (await peer.peer.reply()) as TorchInfo;
    return peer;
  }

  /** Loads a workload; returns a runner per dtype. */
  async load(job: TorchJob): Promise<(dtype: "float64" | "float32") => Runner> {
    const id = this.nextId++;
    await this.peer.request({ op: "load", id, ...job });
    return (dtype) => async (epochs) => (await this.peer.request({ op: "run", id, dtype, epochs })) as Took;
  }

  /** how the results name it: `torch f64 2T`, or `torch f64 blas 2T` for one torch thread and a BLAS on 2 */
  label(dtype: "f64" | "f32"): string {
    return this.threads === this.blasThreads ? `torch ${dtype} ${this.threads}T` : `torch ${dtype} blas ${this.blasThreads}T`;
  }

  close(): void {
    this.peer.close();
  }
}
