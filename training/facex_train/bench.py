"""Training throughput: full training steps (frozen VAE encodes, region encoder, FORS, U-Net + FRC forward and
backward, AdamW) on synthetic batches of the dataset's shapes; samples/s after warm-up."""
import platform
import time

import torch

from .configs import REGIONS
from .model import FaceXModel
from .train import DiffusionLoss, autocast_context, draw, run_config, set_trainable, trainable_prefixes


def synthetic_batch(model, batch, resolution, generator):
    layout = model.layout
    return {
        "target": torch.rand(batch, 3, resolution, resolution, generator=generator),
        "reference": torch.rand(batch, 3, resolution, resolution, generator=generator),
        "tokens": torch.randn(batch, layout["totalWidth"], generator=generator),
        "present": torch.ones(batch, len(layout["slots"])),
        "region_images": torch.rand(batch, 2, 3, 256, 256, generator=generator),
        "region_masks": torch.rand(batch, len(REGIONS), 256, 256, generator=generator),
        "region_inputs": torch.zeros(batch, len(REGIONS)),
    }


def bench(options):
    config = run_config({**options, "data": None, "out": None})
    device = torch.device(config.get("device") or ("cuda" if torch.cuda.is_available() else "cpu"))
    started = time.perf_counter()
    model = FaceXModel(config["size"], seed=config["seed"], gradient_checkpointing=config["gradient_checkpointing"])
    set_trainable(model, trainable_prefixes(config))
    model.to(device).train()
    build_seconds = time.perf_counter() - started
    loss_module = DiffusionLoss(model, config).to(device)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=config["lr"])
    generator = torch.Generator().manual_seed(0)
    batch = {key: value.to(device) for key, value in synthetic_batch(model, config["batch"], config["resolution"], generator).items()}
    times = []
    for run in range(options["warmup"] + options["runs"]):
        timesteps, noise, keep = draw(generator, model, config, config["batch"], device)
        tick = time.perf_counter()
        with autocast_context(device, config["precision"]):
            loss = loss_module(batch, timesteps, noise, keep)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        if run >= options["warmup"]:
            times.append(time.perf_counter() - tick)
    mean = sum(times) / len(times)
    return {
        "size": config["size"],
        "resolution": config["resolution"],
        "batch": config["batch"],
        "precision": config["precision"],
        "gradient_checkpointing": config["gradient_checkpointing"],
        "region_source": config["region_source"],
        "device": torch.cuda.get_device_name(device) if device.type == "cuda" else f"cpu ({platform.processor() or platform.machine()}, {torch.get_num_threads()} threads)",
        "torch": torch.__version__,
        "parameters": sum(p.numel() for p in model.parameters()),
        "trainable": sum(p.numel() for p in model.parameters() if p.requires_grad),
        "build_seconds": round(build_seconds, 1),
        "step_seconds": [round(t, 3) for t in times],
        "samples_per_second": config["batch"] / mean,
    }
