/** checkpoint.py: reads and writes safetensors files (NNet Lab's weight format) with torch and the standard library only. */
export const checkpointPy = String.raw`"""Weights as safetensors files: an 8-byte little-endian header length, a JSON
header naming each tensor's dtype, shape and byte range, then the raw bytes.
NNet Lab writes its models in this format; torch 1.13 cannot read it alone and
the safetensors package may not be installed, so this is the whole reader.
"""
import json
import struct

import torch

DTYPES = {"F64": torch.float64, "F32": torch.float32, "I64": torch.int64, "I32": torch.int32}


def load_state(path):
    """The tensors in a safetensors file, as a state dict of float64/float32 tensors."""
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    body = data[8 + length :]
    state = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        flat = torch.frombuffer(bytearray(body[begin:end]), dtype=DTYPES[entry["dtype"]])
        state[name] = flat.reshape(entry["shape"]).clone()
    return state


def save_state(path, state, metadata=None):
    """Writes a state dict as F64 tensors (the engine's precision), whatever dtype it trained in."""
    header = {"__metadata__": {k: str(v) for k, v in (metadata or {}).items()}}
    chunks = []
    offset = 0
    for name, tensor in state.items():
        raw = tensor.detach().to("cpu", torch.float64).contiguous().numpy().tobytes()
        header[name] = {"dtype": "F64", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text)
        for chunk in chunks:
            f.write(chunk)
`;
