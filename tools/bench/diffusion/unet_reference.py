"""
An independent plain-PyTorch SD 1.5 U-Net (openai/ldm layout) with the FaceX FRC step, reading the weights the
ONNX graph was built from. Used by `npm run bench:diffusion` (timings) and by unet-reference.spec.ts
(equivalence). Written from the architecture: ResBlocks with a time embedding, SpatialTransformers with
self-attention, cross-attention, FRC (v + zero_conv(attn(LN(v), ctx))) and a GEGLU feed-forward.

It runs as a worker: `unet_reference.py WEIGHTS [THREADS] [DEVICE cpu|cuda] [DTYPE fp32|fp16]`, then one JSON
command per stdin line, one JSON reply per stdout line.
  {"op": "run", "inputs": PATH, "output": PATH}  latents/timesteps/context from a safetensors file, noise to PATH
  {"op": "time", "batch": B, "height": h, "width": w, "tokens": T, "warmup": W, "runs": N}  -> {"ms": [...]}
The architecture numbers come from the weights file's metadata (`unet_config`, the TypeScript UNetConfig).
Only torch is needed (no numpy: recent torch wheels do not bring it).
"""
import array
import json
import math
import sys
import time

import torch
import torch.nn.functional as F

DTYPES = {"F32": torch.float32, "F16": torch.float16}
COMPUTE_DTYPES = {"fp32": torch.float32, "fp16": torch.float16}


def read_safetensors(path):
    """Header length (u64 LE), JSON header, data; float32 tensors are views on one writable buffer (no copy)."""
    with open(path, "rb") as f:
        data = bytearray(f.read())
    header_length = int.from_bytes(data[:8], "little")
    header = json.loads(data[8 : 8 + header_length].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    start = 8 + header_length
    tensors = {}
    for key, entry in header.items():
        if entry["dtype"] not in DTYPES:
            raise ValueError(f"{path}: tensor '{key}' has dtype {entry['dtype']}; only F32 and F16 are read")
        dtype = DTYPES[entry["dtype"]]
        begin, end = entry["data_offsets"]
        count = (end - begin) // torch.tensor([], dtype=dtype).element_size()
        flat = torch.frombuffer(data, dtype=dtype, count=count, offset=start + begin) if count > 0 else torch.empty(0, dtype=dtype)
        tensors[key] = flat.reshape(entry["shape"]).float()
    return tensors, metadata


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for key, tensor in tensors.items():
        # array('f') is native-endian float32, i.e. little-endian on the machines this runs on.
        blob = array.array("f", tensor.detach().to("cpu", torch.float32).reshape(-1).tolist()).tobytes()
        header[key] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    encoded = json.dumps(header).encode("utf-8")
    encoded += b" " * ((8 - (8 + len(encoded)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(len(encoded).to_bytes(8, "little"))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def fused_attention_available():
    return hasattr(F, "scaled_dot_product_attention")


class UNet:
    def __init__(self, weights, config, device, dtype):
        self.w = {key: tensor.to(device=device, dtype=dtype) for key, tensor in weights.items()}
        self.c = config
        self.device = device
        self.dtype = dtype

    # ── layers: PyTorch layouts, Linear [out, in], Conv [out, in, k, k] ────────────────────────────────────
    def linear(self, key, x, bias=True):
        return F.linear(x, self.w[key + ".weight"], self.w[key + ".bias"] if bias else None)

    def conv(self, key, x, stride=1):
        weight = self.w[key + ".weight"]
        return F.conv2d(x, weight, self.w[key + ".bias"], stride=stride, padding=weight.shape[-1] // 2)

    def group_norm(self, key, x, eps):
        return F.group_norm(x, self.c["normGroups"], self.w[key + ".weight"], self.w[key + ".bias"], eps)

    def layer_norm(self, key, x):
        return F.layer_norm(x, x.shape[-1:], self.w[key + ".weight"], self.w[key + ".bias"], 1e-5)

    # ── blocks ─────────────────────────────────────────────────────────────────────────────────────────────
    def time_embedding(self, timesteps):
        half = self.c["modelChannels"] // 2
        exponents = torch.arange(half, dtype=torch.float64) * (-math.log(10000.0) / half)
        frequencies = torch.exp(exponents).to(device=self.device, dtype=torch.float32)
        args = timesteps.float()[:, None] * frequencies[None, :]
        # flip_sin_to_cos, shift 0 (SD 1.5); computed in float32 like the ONNX graph, then cast to the compute type.
        sinusoid = torch.cat([torch.cos(args), torch.sin(args)], dim=1).to(self.dtype)
        hidden = F.silu(self.linear("model.diffusion_model.time_embed.0", sinusoid))
        return self.linear("model.diffusion_model.time_embed.2", hidden)

    def res_block(self, key, x, active_embedding):
        h = self.conv(key + ".in_layers.2", F.silu(self.group_norm(key + ".in_layers.0", x, 1e-5)))
        h = h + self.linear(key + ".emb_layers.1", active_embedding)[:, :, None, None]
        h = self.conv(key + ".out_layers.3", F.silu(self.group_norm(key + ".out_layers.0", h, 1e-5)))
        skip = self.conv(key + ".skip_connection", x) if (key + ".skip_connection.weight") in self.w else x
        return skip + h

    def attention(self, key, x, context):
        heads = self.c["numHeads"]
        source = x if context is None else context
        q, k, v = self.linear(key + ".to_q", x, False), self.linear(key + ".to_k", source, False), self.linear(key + ".to_v", source, False)
        batch, queries, width = q.shape
        head_dim = width // heads

        def split(t):
            return t.reshape(batch, -1, heads, head_dim).transpose(1, 2)

        if fused_attention_available():
            # The same softmax(q k^T / sqrt(d)) v, fused (flash / memory-efficient kernels on CUDA).
            mixed = F.scaled_dot_product_attention(split(q), split(k), split(v))
        else:
            scores = torch.matmul(split(q), split(k).transpose(-1, -2)) * (1.0 / math.sqrt(head_dim))
            mixed = torch.matmul(scores.softmax(dim=-1), split(v))
        return self.linear(key + ".to_out.0", mixed.transpose(1, 2).reshape(batch, queries, width))

    def transformer_block(self, key, frc_key, x, context):
        x = x + self.attention(key + ".attn1", self.layer_norm(key + ".norm1", x), None)
        x = x + self.attention(key + ".attn2", self.layer_norm(key + ".norm2", x), context)
        if (frc_key + ".zero_conv.weight") in self.w:
            attended = self.attention(frc_key + ".attn", self.layer_norm(frc_key + ".norm", x), context)
            x = x + self.linear(frc_key + ".zero_conv", attended)
        value, gate = self.linear(key + ".ff.net.0.proj", self.layer_norm(key + ".norm3", x)).chunk(2, dim=-1)
        return x + self.linear(key + ".ff.net.2", value * F.gelu(gate))

    def spatial_transformer(self, path, x, context):
        key = "model.diffusion_model." + path
        batch, channels, height, width = x.shape
        h = self.conv(key + ".proj_in", self.group_norm(key + ".norm", x, 1e-6))
        tokens = h.reshape(batch, channels, height * width).transpose(1, 2)
        tokens = self.transformer_block(key + ".transformer_blocks.0", "frc." + path + ".transformer_blocks.0", tokens, context)
        h = tokens.transpose(1, 2).reshape(batch, channels, height, width)
        return x + self.conv(key + ".proj_out", h)

    def __call__(self, latents, timesteps, context):
        c, root = self.c, "model.diffusion_model."
        active = F.silu(self.time_embedding(timesteps))
        h = self.conv(root + "input_blocks.0.0", latents)
        skips, block = [h], 1
        levels = len(c["channelMult"])
        for level in range(levels):
            for _ in range(c["numResBlocks"]):
                h = self.res_block(f"{root}input_blocks.{block}.0", h, active)
                if level in c["attentionLevels"]:
                    h = self.spatial_transformer(f"input_blocks.{block}.1", h, context)
                skips.append(h)
                block += 1
            if level < levels - 1:
                h = self.conv(f"{root}input_blocks.{block}.0.op", h, stride=2)
                skips.append(h)
                block += 1
        h = self.res_block(root + "middle_block.0", h, active)
        h = self.spatial_transformer("middle_block.1", h, context)
        h = self.res_block(root + "middle_block.2", h, active)
        block = 0
        for level in reversed(range(levels)):
            for r in range(c["numResBlocks"] + 1):
                h = self.res_block(f"{root}output_blocks.{block}.0", torch.cat([h, skips.pop()], dim=1), active)
                layer = 1
                if level in c["attentionLevels"]:
                    h = self.spatial_transformer(f"output_blocks.{block}.1", h, context)
                    layer = 2
                if level > 0 and r == c["numResBlocks"]:
                    h = self.conv(f"{root}output_blocks.{block}.{layer}.conv", F.interpolate(h, scale_factor=2.0, mode="nearest"))
                block += 1
        h = F.silu(self.group_norm(root + "out.0", h, 1e-5))
        return self.conv(root + "out.2", h)


def synchronize(unet):
    """CUDA runs asynchronously: a timed evaluation ends when the device has finished it."""
    if unet.device.type == "cuda":
        torch.cuda.synchronize(unet.device)


def time_case(unet, command):
    generator = torch.Generator().manual_seed(0)
    batch, tokens = command["batch"], command["tokens"]
    latents = torch.randn(batch, unet.c["inChannels"], command["height"], command["width"], generator=generator).to(unet.device, unet.dtype)
    timesteps = torch.full((batch,), 500.0, device=unet.device)
    context = torch.randn(batch, tokens, unet.c["contextWidth"], generator=generator).to(unet.device, unet.dtype)
    for _ in range(command["warmup"]):
        unet(latents, timesteps, context)
    synchronize(unet)
    times = []
    for _ in range(command["runs"]):
        started = time.perf_counter()
        unet(latents, timesteps, context)
        synchronize(unet)
        times.append((time.perf_counter() - started) * 1000.0)
    return {"ms": times}


def run_case(unet, command):
    inputs, _ = read_safetensors(command["inputs"])
    latents = inputs["latents"].to(unet.device, unet.dtype)
    context = inputs["context"].to(unet.device, unet.dtype)
    noise = unet(latents, inputs["timesteps"].to(unet.device), context)
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
    unet = UNet(weights, json.loads(metadata["unet_config"]), device, COMPUTE_DTYPES[dtype_name])
    del weights
    ready = {
        "ready": True,
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu",
        "dtype": dtype_name,
        "attention": "scaled_dot_product_attention" if fused_attention_available() else "matmul + softmax",
    }
    print(json.dumps(ready), flush=True)
    handlers = {"time": time_case, "run": run_case}
    with torch.inference_mode():
        for line in sys.stdin:
            if not line.strip():
                continue
            command = json.loads(line)
            try:
                reply = handlers[command["op"]](unet, command)
            except Exception as error:  # reported to the driver, which raises a typed error
                reply = {"error": f"{type(error).__name__}: {error}"}
            print(json.dumps(reply), flush=True)


if __name__ == "__main__":
    main()
