"""
The PyTorch U-Net + FRC of training/facex_train (the one PyTorch implementation of the pack's models, the one
training trains), as a worker reading the weights the ONNX graph was built from. Used by
`npm run bench:diffusion` (timings) and by unet-reference.spec.ts (equivalence with ONNX Runtime).

It runs as a worker: `unet_reference.py WEIGHTS [THREADS] [DEVICE cpu|cuda] [DTYPE fp32|fp16]`, then one JSON
command per stdin line, one JSON reply per stdout line.
  {"op": "run", "inputs": PATH, "output": PATH}  latents/timesteps/context from a safetensors file, noise to PATH
  {"op": "time", "batch": B, "height": h, "width": w, "tokens": T, "warmup": W, "runs": N}  -> {"ms": [...]}
The architecture comes from the weights file's metadata (`unet_config`, the TypeScript UNetConfig), which
must be one of the pack sizes.
"""
import json
import os
import sys
import time

# The package lives in the repository's training/ (or beside this script in a bench bundle, dist/training/).
HERE = os.path.dirname(os.path.abspath(__file__))
for candidate in (os.path.join(HERE, "training"), os.path.join(HERE, "..", "..", "..", "training")):
    if os.path.isdir(os.path.join(candidate, "facex_train")):
        sys.path.insert(0, candidate)
        break

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from facex_train.configs import ARCHITECTURES  # noqa: E402
from facex_train.model import FRC, UNET, FaceXModel  # noqa: E402
from facex_train.safetensors_io import read_safetensors, write_safetensors  # noqa: E402

COMPUTE_DTYPES = {"fp32": torch.float32, "fp16": torch.float16}


def size_of(unet_config):
    for size, architecture in ARCHITECTURES.items():
        if architecture["unet"] == unet_config:
            return size
    raise ValueError(f"unet_config {json.dumps(unet_config)} is none of the pack sizes ({', '.join(ARCHITECTURES)})")


class Worker:
    def __init__(self, model, device, dtype):
        self.model, self.device, self.dtype = model, device, dtype
        self.config = model.arch["unet"]

    def __call__(self, latents, timesteps, context):
        return self.model.unet(latents, timesteps, context)

    def synchronize(self):
        """CUDA runs asynchronously: a timed evaluation ends when the device has finished it."""
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)


def time_case(worker, command):
    generator = torch.Generator().manual_seed(0)
    batch, tokens = command["batch"], command["tokens"]
    latents = torch.randn(batch, worker.config["inChannels"], command["height"], command["width"], generator=generator).to(worker.device, worker.dtype)
    timesteps = torch.full((batch,), 500.0, device=worker.device)
    context = torch.randn(batch, tokens, worker.config["contextWidth"], generator=generator).to(worker.device, worker.dtype)
    for _ in range(command["warmup"]):
        worker(latents, timesteps, context)
    worker.synchronize()
    times = []
    for _ in range(command["runs"]):
        started = time.perf_counter()
        worker(latents, timesteps, context)
        worker.synchronize()
        times.append((time.perf_counter() - started) * 1000.0)
    return {"ms": times}


def run_case(worker, command):
    inputs, _ = read_safetensors(command["inputs"])
    latents = inputs["latents"].to(worker.device, worker.dtype)
    context = inputs["context"].to(worker.device, worker.dtype)
    noise = worker(latents, inputs["timesteps"].to(worker.device), context)
    write_safetensors(command["output"], {"noise": noise})
    return {"output": command["output"]}


def main():
    threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    device = torch.device(sys.argv[3] if len(sys.argv) > 3 else "cpu")
    dtype_name = sys.argv[4] if len(sys.argv) > 4 else "fp32"
    torch.set_num_threads(threads)
    if device.type == "cuda" and not torch.cuda.is_available():
        print(json.dumps({"error": f"torch {torch.__version__} sees no CUDA device"}), flush=True)
        return
    weights, metadata = read_safetensors(sys.argv[1])
    model = FaceXModel(size_of(json.loads(metadata["unet_config"])), parts=("unet",))
    model.store.load(weights, (UNET, FRC), os.path.basename(sys.argv[1]))
    del weights
    model.eval().to(device=device, dtype=COMPUTE_DTYPES[dtype_name])
    ready = {
        "ready": True,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
        "dtype": dtype_name,
        "attention": "scaled_dot_product_attention" if hasattr(F, "scaled_dot_product_attention") else "matmul + softmax",
    }
    print(json.dumps(ready), flush=True)
    worker = Worker(model, device, COMPUTE_DTYPES[dtype_name])
    handlers = {"time": time_case, "run": run_case}
    with torch.inference_mode():
        for line in sys.stdin:
            if not line.strip():
                continue
            command = json.loads(line)
            try:
                reply = handlers[command["op"]](worker, command)
            except Exception as error:  # reported to the driver, which raises a typed error
                reply = {"error": f"{type(error).__name__}: {error}"}
            print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
