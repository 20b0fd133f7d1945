/** `nnet export (FILE.nnet | MODEL.nnetmodel) --to pytorch|onnx --out PATH`: the bridge to bigger engines. */
import { parseArgs } from "node:util";
import { exportOnnx, exportPytorch, ExportError } from "../export/index";
import { modelDatasetAsync } from "../training/index";
import { dataProgress } from "./data-progress";
import { loadModelArg } from "./model-arg";
import { exit, UsageError, type Command, type Io } from "./registry";
import { fileOptions, reporter } from "./train";

export const exportUsage = `Usage: nnet export (FILE.nnet | MODEL.nnetmodel) --to pytorch --out DIR [--same-order]
       nnet export (FILE.nnet | MODEL.nnetmodel) --to onnx --out FILE.onnx [--dtype float64]

Exports a network to another engine. From a model file it carries the
trained weights; from a .nnet file, the engine's initial weights for its seed.

  --to pytorch   a Python project in DIR: model.py (an nn.Module of the same
                 graph, taking raw features), data.py (the rows and the
                 engine's split), train.py (one process, or torchrun with
                 DistributedDataParallel), predict.py, the weights (and a
                 trained model's optimizer state) and a README. DIR must be
                 new, empty or an earlier export
  --to onnx      the inference graph (standardisation first, so raw features
                 go in), opset 17

Options:
  --to TARGET                 pytorch or onnx
  --out PATH                  the folder (pytorch) or the .onnx file (onnx)
  --same-order                pytorch: also export the engine's shuffling order,
                              so train.py replays the engine's batches exactly
  --dtype float32|float64     onnx: the type of weights, input and output
                              (default float32)
  --network NAME              the network of FILE.nnet to export
  --workspace DIR             data files must lie inside DIR (default: the file's folder)
  --allow-outside-workspace   read data files anywhere
  -h, --help                  show this help

See docs/export.md. Exit codes: 0 exported, 1 the network cannot be exported
(nothing is written) or the file has errors, 2 bad usage or an unreadable file.`;

export async function runExport(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true, options: { ...fileOptions, to: { type: "string" }, out: { type: "string" }, "same-order": { type: "boolean" }, dtype: { type: "string" } },
  });
  if (positionals.length !== 1) throw new UsageError("nnet export needs exactly one FILE.nnet or MODEL.nnetmodel");
  if (values.to !== "pytorch" && values.to !== "onnx") throw new UsageError(values.to === undefined ? "--to pytorch or --to onnx is needed" : `--to ${values.to}: the targets are pytorch and onnx`);
  if (!values.out) throw new UsageError(`--out is needed: the ${values.to === "onnx" ? ".onnx file" : "folder"} to write`);
  if (values["same-order"] && values.to !== "pytorch") throw new UsageError("--same-order applies to --to pytorch");
  const dtype = values.dtype ?? "float32";
  if (values.dtype !== undefined && values.to !== "onnx") throw new UsageError("--dtype applies to --to onnx");
  if (dtype !== "float32" && dtype !== "float64") throw new UsageError(`--dtype ${dtype}: the types are float32 and float64`);
  const loaded = loadModelArg({ ...values, file: positionals[0] }, io, true);
  if (typeof loaded === "number") return loaded;
  const report = reporter(values.json, io);
  try {
    if (values.to === "onnx") {
      exportOnnx(loaded.model, values.out, { dtype });
      io.out(`wrote ${values.out}\n`);
    } else {
      const files = { ...(values["allow-outside-workspace"] ? { allowOutsideWorkspace: true } : {}), ...(values.workspace ? { root: values.workspace } : {}) };
      // a large CSV loads giving way to the event loop, so Ctrl-C ends the command before anything is written
      const shown = loaded.model.data?.spec.kind === "csv" ? loaded.model.data.spec.path : "the data";
      const dataset = await modelDatasetAsync(loaded.model, loaded.path, files, { onProgress: dataProgress(io, process.stderr.isTTY === true, shown) });
      const written = exportPytorch(loaded.model, { out: values.out, dataset, ...(values["same-order"] ? { sameOrder: true } : {}) });
      io.out(`wrote ${written.length} files to ${values.out}: ${written.join(", ")}\n`);
    }
    return exit.ok;
  } catch (failure) {
    if (failure instanceof ExportError) return report(`cannot export '${loaded.model.network.name}': ${failure.message}`), exit.problems;
    throw failure;
  }
}

export const exportCommand: Command = { name: "export", summary: "export a network or model to PyTorch or ONNX", usage: exportUsage, run: (args, io) => runExport(args, io) };
