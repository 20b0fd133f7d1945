/** predict.py: the module's outputs for raw rows. */
export const predictPy = String.raw`"""The model's outputs for the rows of a CSV file with the feature columns
(data.csv by default), one line per row; --json prints a JSON list instead.

    python predict.py [--weights trained.safetensors] [--csv rows.csv] [--json]
"""
import argparse
import json

import torch

from data import HERE, load_rows
from model import load_model


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--weights", default=str(HERE / "weights.safetensors"))
    parser.add_argument("--csv", default=str(HERE / "data.csv"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    model = load_model(args.weights).eval()
    x, _ = load_rows(args.csv, targets=False)
    with torch.no_grad():
        outputs = model(x).tolist()
    if args.json:
        print(json.dumps(outputs))
    else:
        for row in outputs:
            print(",".join(repr(v) for v in row))


if __name__ == "__main__":
    main()
`;
