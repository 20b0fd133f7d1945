/** data.py: the exported rows, split exactly as the engine split them. */
export const dataPy = String.raw`"""The rows the engine trained on: data.csv (raw features, then the target
columns, one example per row) and the engine's own validation split from
split.json. Features stay raw: the model standardises them itself.
"""
import csv
import json
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent


def load_config():
    with open(HERE / "config.json") as f:
        return json.load(f)


def load_rows(path=HERE / "data.csv", targets=True):
    """(x, y) as float64 tensors, features in the order the network reads them; y is None without targets."""
    config = load_config()
    features = config["features"]
    wanted = features + (config["targets"] if targets else [])
    with open(path, newline="") as f:
        reader = csv.reader(f)
        columns = {name: i for i, name in enumerate(next(reader))}
        missing = [name for name in wanted if name not in columns]
        if missing:
            raise SystemExit(f"{path} has no column {', '.join(missing)}")
        table = torch.tensor([[float(row[columns[name]]) for name in wanted] for row in reader], dtype=torch.float64)
    table = table.reshape(-1, len(wanted))
    return table[:, : len(features)], (table[:, len(features) :] if targets else None)


def load_split():
    """((x, y) for training, (x, y) for validation or None), in the engine's order."""
    x, y = load_rows()
    with open(HERE / "split.json") as f:
        split = json.load(f)
    train = torch.tensor(split["train"], dtype=torch.long)
    held = torch.tensor(split["validation"], dtype=torch.long)
    validation = (x[held], y[held]) if len(held) > 0 else None
    return (x[train], y[train]), validation
`;
