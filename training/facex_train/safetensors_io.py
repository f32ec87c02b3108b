"""safetensors without the safetensors package (Debian's python3-torch ships none): u64 LE header length, JSON
header, data. Reads F32, F16 and BF16; writes F32 (or F16)."""
import json

import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}
NAMES = {dtype: name for name, dtype in DTYPES.items()}


def read_safetensors(path):
    """(tensors as float32, metadata). Tensors are views on one buffer read once."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    if len(data) < 8:
        raise ValueError(f"{path}: shorter than a safetensors header")
    header_length = int.from_bytes(data[:8], "little")
    if 8 + header_length > len(data):
        raise ValueError(f"{path}: header of {header_length} bytes runs past the end of the file")
    header = json.loads(data[8 : 8 + header_length].decode("utf-8"))
    metadata = header.pop("__metadata__", {}) or {}
    start = 8 + header_length
    tensors = {}
    for key, entry in header.items():
        if entry["dtype"] not in DTYPES:
            raise ValueError(f"{path}: tensor '{key}' has dtype {entry['dtype']}; only F32, F16 and BF16 are read")
        dtype = DTYPES[entry["dtype"]]
        begin, end = entry["data_offsets"]
        width = torch.tensor([], dtype=dtype).element_size()
        count = (end - begin) // width
        expected = 1
        for dim in entry["shape"]:
            expected *= dim
        if count != expected or start + end > len(data):
            raise ValueError(f"{path}: tensor '{key}' spans {end - begin} bytes, {entry['dtype']} {entry['shape']} needs {expected * width}")
        flat = torch.frombuffer(data, dtype=dtype, count=count, offset=start + begin) if count > 0 else torch.empty(0, dtype=dtype)
        tensors[key] = flat.reshape(entry["shape"]).float()
    return tensors, metadata


def write_safetensors(path, tensors, metadata=None, dtype=torch.float32):
    """Writes `tensors` (name → tensor) in insertion order, all as `dtype`; `metadata` values must be strings."""
    header, offset, blobs = {}, 0, []
    for key, tensor in tensors.items():
        # Little-endian bytes: numpy (which torch 1.13 ships with on Debian) on the machines this runs on.
        blob = tensor.detach().to("cpu", dtype).contiguous().reshape(-1).view(torch.uint8).numpy().tobytes() if tensor.numel() else b""
        header[key] = {"dtype": NAMES[dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    if metadata:
        header["__metadata__"] = {key: str(value) for key, value in metadata.items()}
    encoded = json.dumps(header).encode("utf-8")
    encoded += b" " * ((8 - (8 + len(encoded)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(len(encoded).to_bytes(8, "little"))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)
