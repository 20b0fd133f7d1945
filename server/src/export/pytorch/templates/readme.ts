/** README.md of an exported project: what each file is and how to run it. */
export interface ReadmeFacts {
  network: string;
  cls: string;
  from: string;
  features: string[];
  sameOrder: boolean;
  validation: number;
  epochs: number;
  moments: boolean;
  /** epochs the model has trained; 0 from a .nnet file */
  trained: number;
  standardised: boolean;
}

export function readmeMd(f: ReadmeFacts): string {
  return `# ${f.network} in PyTorch

Exported by NNet Lab (\`nnet export --to pytorch\`) from ${f.from}. It needs
PyTorch (1.13 or later) and numpy; on Debian, \`apt install python3-torch\`.

## Files

| file | what it is |
| --- | --- |
| \`model.py\` | \`${f.cls}\`, an \`nn.Module\` of the same graph: one \`nn.Linear\` per dense layer, the engine's activations. It takes **raw** features (${f.features.join(", ")}) and ${f.standardised ? "standardises them first, in float64, with" : "keeps them as they are (the engine does not standardise this data; its"} buffers \`input_mean\` and \`input_std\`${f.standardised ? "" : " are 0 and 1)"}. \`load_model(path)\` builds it with weights. |
| \`weights.safetensors\` | ${f.trained > 0 ? `the model's weights after its ${f.trained} epochs` : "the engine's initial weights for the file's seed"} (float64) |
| \`checkpoint.py\` | reads and writes safetensors files with torch alone |
| \`data.py\` | reads \`data.csv\` and \`split.json\`: the rows and the engine's validation split (${f.validation > 0 ? `${f.validation} of the rows held out` : "none held out"}) |
| \`data.csv\` | the data: raw feature columns, then the target columns (one-hot for classes) |
| \`split.json\` | the row indices of the training and validation parts, in the engine's order |
| \`config.json\` | the loss, optimizer, learning rate, batch size, epochs, seed, shuffle and l2 of the .nnet file |
${f.moments ? "| `optimizer.safetensors` | the optimizer's state after the epochs trained (momentum, or Adam's moments and step), so `train.py` continues as `nnet train --resume` would |\n" : ""}${f.sameOrder ? "| `order.npy` | the engine's order of the training rows in each epoch (epochs × rows), replayed by `train.py` |\n" : ""}| \`train.py\` | the engine's training loop: same loss, optimizer, l2 on weights only, batches, epochs |
| \`engine_rng.py\` | the engine's random stream: \`train.py\` feeds dropout layers the engine's own masks (\`--torch-dropout\`: torch's, faster, not exact) |
| \`predict.py\` | the model's outputs for the rows of a CSV file |
| \`.nnet-export.json\` | marks this folder as an export, so \`nnet export\` may write here again |

## Train

\`\`\`sh
python train.py                       # ${f.trained > 0 ? `${f.epochs} more epochs (${f.trained + 1} to ${f.trained + f.epochs})` : `${f.epochs} epochs`}, float64, prints the loss per epoch as NNet Lab does
python train.py --dtype float32       # faster, no longer exact
python train.py --epochs 5 --json     # one JSON line per epoch
\`\`\`

The trained weights go to \`trained.safetensors\` (\`--save PATH\`); \`python predict.py --weights trained.safetensors\`
uses them. One process runs on the first GPU when CUDA is available; \`CUDA_VISIBLE_DEVICES= python train.py\` keeps it on the CPU.
${f.sameOrder
    ? "With `order.npy`, the batches are the engine's own, so the losses are the engine's to about 1e-9 (float64)."
    : "The batches are shuffled with `torch.randperm` seeded by the file's seed, not with the engine's generator; export with `--same-order` to replay the engine's batches exactly."}

On several processes (DistributedDataParallel; gloo on CPU, nccl when CUDA is there):

\`\`\`sh
torchrun --nproc_per_node 4 train.py
# Debian's torch 1.13 on Python 3.11: its launcher crashes unless output is redirected
torchrun --nproc_per_node 4 --redirects 1 --tee 1 train.py
\`\`\`

Every global batch (the .nnet file's batch size) is split across the processes,
whose gradients DDP averages; the loss is scaled so that the step is the one
process step of the whole batch. N processes give one process's weights up to rounding.

## Float64 and float32

Training runs in float64, the engine's precision, by default. \`--dtype float32\`
runs the layers in float32 (the standardisation stays float64), which is what
GPUs are fast at; results then differ from the engine's at about 1e-5 (iris, 200 epochs).
`;
}
