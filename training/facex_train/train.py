"""Training (paper Sec. 3.5 and 4): ε-prediction loss on the VAE latents of the target, the U-Net and VAE
frozen, FRC, the FORS adapters and the region encoder's FPN trained, the CLIP ViT fine-tuned; 10 % of the
samples without conditions (classifier-free guidance); bf16/fp16 autocast, gradient checkpointing, DDP
through torch.distributed (`torchrun`), checkpoints with resume, a progress bar and a JSON-lines loss log."""
import hashlib
import json
import math
import os
import sys
import time

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F

from .configs import REGIONS
from .data import FaceDataset, at_resolution, pick_region_features, region_inputs_of
from .model import CLIP, FORS, FPN, FRC, UNET, VAE, FaceXModel
from .safetensors_io import read_safetensors

CHECKPOINT_FORMAT = "facex-train-checkpoint/1"
TRAIN_STEPS = 1000

# The paper's schedule (Sec. 4): the generalist model, then specialised fine-tunes from it.
PRESETS = {
    "generalist": {"size": "sd15", "steps": 20000, "batch": 32, "lr": 1e-5, "resolution": 256, "tasks": None, "region_source": "encoder", "precision": "bf16", "gradient_checkpointing": True},
    "reenact": {"size": "sd15", "steps": 15000, "batch": 32, "lr": 1e-5, "resolution": 256, "tasks": ["reenact"], "region_source": "encoder", "precision": "bf16", "gradient_checkpointing": True},
    "swap": {"size": "sd15", "steps": 5000, "batch": 32, "lr": 1e-5, "resolution": 256, "tasks": ["head-swap"], "region_source": "encoder", "precision": "bf16", "gradient_checkpointing": True},
    # CI size: the same code at the tiny architecture, 64 px, on the CPU.
    "tiny": {"size": "tiny", "steps": 300, "batch": 4, "lr": 1e-3, "resolution": 64, "tasks": None, "region_source": "assembled", "precision": "fp32", "gradient_checkpointing": False},
}
DEFAULTS = {"seed": 0, "condition_dropout": 0.1, "checkpoint_every": 1000, "finetune_vit": True, "eval_samples": 8, "workers": 0}


def noise_schedule():
    """SD 1.5's scaled-linear β 0.00085…0.012 over 1000 steps → ᾱ_t."""
    betas = torch.linspace(0.00085**0.5, 0.012**0.5, TRAIN_STEPS, dtype=torch.float64) ** 2
    return torch.cumprod(1.0 - betas, dim=0).float()


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 24), b""):
            digest.update(chunk)
    return digest.hexdigest()


# ── distributed ───────────────────────────────────────────────────────────────────────────────────────────
class Distributed:
    """torchrun sets RANK/WORLD_SIZE/LOCAL_RANK; without them this is one process."""

    def __init__(self, device_name):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        local = int(os.environ.get("LOCAL_RANK", "0"))
        if device_name == "cuda":
            torch.cuda.set_device(local)
            self.device = torch.device("cuda", local)
        else:
            self.device = torch.device(device_name)
        if self.world > 1:
            dist.init_process_group("nccl" if self.device.type == "cuda" else "gloo")

    @property
    def main(self):
        return self.rank == 0

    def close(self):
        if self.world > 1:
            dist.destroy_process_group()


# ── the model and what trains ─────────────────────────────────────────────────────────────────────────────
def trainable_prefixes(config):
    prefixes = [FRC, FORS]
    if config["region_source"] == "encoder":
        prefixes.append(FPN)
        if config["finetune_vit"]:
            prefixes.append(CLIP)
    return tuple(prefixes)


def load_base(model, config):
    """The base weights: an SD 1.5 checkpoint (U-Net + VAE), a CLIP vision tower, optionally FaceX weights to
    start from; each group without a file keeps the seeded initialisation (recorded as such)."""
    origins = {}
    for group, prefixes in (("sd", (UNET, VAE)), ("clipVision", (CLIP,)), ("facex", (FRC, FORS, FPN))):
        path = config.get(group)
        if path:
            tensors, _ = read_safetensors(path)
            model.store.load(tensors, prefixes, os.path.basename(path))
            origins[group] = {"kind": "file", "path": os.path.abspath(path), "sha256": sha256_file(path)}
        else:
            origins[group] = {"kind": "random", "seed": config["seed"]}
    return origins


def set_trainable(model, prefixes):
    names = []
    for key, parameter in model.store.named().items():
        parameter.requires_grad_(key.startswith(prefixes))
        if parameter.requires_grad:
            names.append(key)
    return names


class DiffusionLoss(nn.Module):
    """One training step's loss on a batch (the module DDP wraps)."""

    def __init__(self, model, config):
        super().__init__()
        self.model = model
        self.config = config
        self.register_buffer("alphas", noise_schedule(), persistent=False)
        self.region_offsets = [slot["offset"] for slot in model.layout["slots"] if slot["component"] in REGIONS]
        self.region_indices = [i for i, slot in enumerate(model.layout["slots"]) if slot["component"] in REGIONS]

    def conditions(self, batch, keep):
        """f_SD for the batch; `keep` [B] 0 drops every condition of a sample (the null token set serving uses for
        guidance: all slots absent and zero), I^R stays, as in DiffusionEngine."""
        model, resolution = self.model, self.config["resolution"]
        tokens, present = batch["tokens"], batch["present"]
        if self.config["region_source"] == "encoder":
            images, masks = region_inputs_of(batch, model.arch["regionEncoder"]["clip"]["imageSize"])
            features = pick_region_features(model.region_encoder(images, masks), batch["region_inputs"])
            columns = list(tokens.unbind(1))
            for r, (offset, index) in enumerate(zip(self.region_offsets, self.region_indices)):
                for j in range(features.shape[-1]):
                    columns[offset + j] = features[:, r, j].to(tokens.dtype) * present[:, index]
            tokens = torch.stack(columns, dim=1)
        tokens = tokens * keep[:, None]
        present = present * keep[:, None]
        with torch.no_grad():
            reference = model.vae_encode(at_resolution(batch["reference"], resolution) * 2 - 1)
        return model.fors(tokens, present, reference)

    def forward(self, batch, timesteps, noise, keep):
        model = self.model
        with torch.no_grad():
            x0 = model.vae_encode(at_resolution(batch["target"], self.config["resolution"]) * 2 - 1)
        alpha = self.alphas[timesteps].to(x0.dtype)[:, None, None, None]
        noisy = alpha.sqrt() * x0 + (1 - alpha).sqrt() * noise
        predicted = model.unet(noisy, timesteps.float(), self.conditions(batch, keep))
        return F.mse_loss(predicted.float(), noise.float())


def latent_shape(model, batch_size, resolution):
    factor = 2 ** (len(model.arch["vae"]["channelMult"]) - 1)
    return (batch_size, model.arch["vae"]["latentChannels"], resolution // factor, resolution // factor)


def draw(generator, model, config, batch_size, device):
    timesteps = torch.randint(0, TRAIN_STEPS, (batch_size,), generator=generator)
    noise = torch.randn(latent_shape(model, batch_size, config["resolution"]), generator=generator)
    keep = (torch.rand(batch_size, generator=generator) >= config["condition_dropout"]).float()
    return timesteps.to(device), noise.to(device), keep.to(device)


def to_device(batch, device):
    return {key: value.to(device, non_blocking=True) for key, value in batch.items()}


def autocast_context(device, precision):
    """bf16 on CPUs and GPUs that have it, fp16 on CUDA (with a GradScaler); fp32 runs without autocast."""
    if precision == "fp32":
        return torch.autocast(device.type, enabled=False)
    dtype = torch.bfloat16 if precision == "bf16" else torch.float16
    if device.type == "cpu" and dtype == torch.float16:
        raise ValueError("fp16 autocast needs CUDA; use bf16 on the CPU")
    if device.type == "cuda" and dtype == torch.bfloat16 and not torch.cuda.is_bf16_supported():
        raise ValueError(f"{torch.cuda.get_device_name(device)} has no bf16; use --precision fp16")
    return torch.autocast(device.type, dtype=dtype)


@torch.no_grad()
def evaluation_loss(loss_module, dataset, config, device, count):
    """The loss on fixed samples, timesteps and noise, conditions kept: comparable between checkpoints."""
    model = loss_module.model
    was_training = model.training
    model.eval()
    generator = torch.Generator().manual_seed(1234)
    total, samples = 0.0, 0
    spread = [50, 250, 500, 750, 950]
    for i in range(min(count, len(dataset))):
        batch = to_device(torch.utils.data.default_collate([dataset[i]]), device)
        for t in spread:
            noise = torch.randn(latent_shape(model, 1, config["resolution"]), generator=generator).to(device)
            total += loss_module(batch, torch.tensor([t], device=device), noise, torch.ones(1, device=device)).item()
            samples += 1
    model.train(was_training)
    return total / samples


class Progress:
    """One rewritten line on a terminal, a line per update otherwise (logs)."""

    def __init__(self, total, start, stream=sys.stderr):
        self.total, self.stream, self.started, self.first = total, stream, time.perf_counter(), start
        self.tty = stream.isatty()

    def update(self, step, loss, samples_per_second):
        done = step / self.total
        bar = "#" * int(30 * done) + "." * (30 - int(30 * done))
        elapsed = time.perf_counter() - self.started
        rate = (step - self.first) / elapsed if elapsed > 0 else 0
        eta = (self.total - step) / rate if rate > 0 else float("nan")
        line = f"step {step}/{self.total} [{bar}] loss {loss:.4f} {samples_per_second:.2f} samples/s eta {format_seconds(eta)}"
        self.stream.write(("\r" + line) if self.tty else line + "\n")
        self.stream.flush()

    def close(self):
        if self.tty:
            self.stream.write("\n")


def format_seconds(seconds):
    if not math.isfinite(seconds):
        return "?"
    seconds = int(seconds)
    return f"{seconds // 3600:d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def save_checkpoint(path, state):
    """Written beside, then renamed: an interrupted save never replaces a good checkpoint."""
    partial = path + ".partial"
    torch.save(state, partial)
    os.replace(partial, path)


def run_config(options):
    """Preset, then defaults, then the options given (None = not given)."""
    config = dict(DEFAULTS)
    config.update(PRESETS[options.get("preset") or "tiny"])
    config.update({key: value for key, value in options.items() if value is not None})
    if config["batch"] < 1 or config["steps"] < 1:
        raise ValueError("--batch and --steps must be positive")
    return config


def train(options, log=print):
    config = run_config(options)
    distributed = Distributed(config.get("device") or ("cuda" if torch.cuda.is_available() else "cpu"))
    device = distributed.device
    if config["batch"] % distributed.world:
        raise ValueError(f"--batch {config['batch']} is not divisible by the {distributed.world} processes")
    per_process = config["batch"] // distributed.world
    torch.manual_seed(config["seed"] + distributed.rank)
    dataset = FaceDataset(config["data"], config["tasks"])
    identity_width = next(s["width"] for s in dataset.layout["slots"] if s["component"] == "identity")
    expression_width = next(s["width"] for s in dataset.layout["slots"] if s["component"] == "expression")
    model = FaceXModel(config["size"], identity_width, expression_width, seed=config["seed"], gradient_checkpointing=config["gradient_checkpointing"])
    origins = load_base(model, config)
    trainable = set_trainable(model, trainable_prefixes(config))
    model.to(device).train()
    loss_module = DiffusionLoss(model, config).to(device)
    wrapped = nn.parallel.DistributedDataParallel(loss_module, device_ids=[device.index] if device.type == "cuda" else None) if distributed.world > 1 else loss_module
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(parameters, lr=config["lr"], weight_decay=0.0)
    scaler = torch.cuda.amp.GradScaler(enabled=config["precision"] == "fp16" and device.type == "cuda")

    out = config["out"]
    os.makedirs(out, exist_ok=True)
    checkpoint_path = os.path.join(out, "checkpoint.pt")
    step, history, initial_eval = 0, [], None
    resume = config.get("resume") or (checkpoint_path if os.path.exists(checkpoint_path) else None)
    if resume:
        state = torch.load(resume, map_location="cpu")
        if state.get("format") != CHECKPOINT_FORMAT:
            raise ValueError(f"{resume} is not a FaceX training checkpoint")
        for key in ("size", "region_source"):
            if state["config"][key] != config[key]:
                raise ValueError(f"{resume} was trained with {key}={state['config'][key]}, this run has {config[key]}")
        model.store.load(state["trainable"], tuple(state["trainable"].keys()), os.path.basename(resume))
        optimizer.load_state_dict(state["optimizer"])
        step, history, initial_eval = state["step"], state["history"], state.get("initial_eval")
        log(f"resumed from {resume} at step {step}")
    elif config.get("init_from"):
        # A fine-tune starts from another run's trained weights (the paper's specialised models).
        state = torch.load(config["init_from"], map_location="cpu")
        model.store.load(state["trainable"], tuple(state["trainable"].keys()), os.path.basename(config["init_from"]))

    sampler = torch.utils.data.DistributedSampler(dataset, distributed.world, distributed.rank, seed=config["seed"]) if distributed.world > 1 else torch.utils.data.RandomSampler(dataset, replacement=True, num_samples=1 << 30, generator=torch.Generator().manual_seed(config["seed"] + step))
    loader = torch.utils.data.DataLoader(dataset, batch_size=per_process, sampler=sampler, num_workers=config["workers"], drop_last=distributed.world > 1 or len(dataset) >= per_process, pin_memory=device.type == "cuda")
    generator = torch.Generator().manual_seed(config["seed"] * 1000 + distributed.rank + step)
    if distributed.main and step == 0:
        initial_eval = evaluation_loss(loss_module, dataset, config, device, config["eval_samples"])
        log(f"evaluation loss before training: {initial_eval:.5f}")
    progress = Progress(config["steps"], step) if distributed.main else None
    log_file = open(os.path.join(out, "log.jsonl"), "a", encoding="utf-8") if distributed.main else None

    def state_now():
        return {
            "format": CHECKPOINT_FORMAT,
            "step": step,
            "config": {key: value for key, value in config.items() if key not in ("resume",)},
            "trainable": {key: p.detach().to("cpu", torch.float32).clone() for key, p in model.store.named().items() if key in trainable},
            "optimizer": optimizer.state_dict(),
            "origins": origins,
            "layout": dataset.layout,
            "history": history,
            "initial_eval": initial_eval,
            "torch": torch.__version__,
            "world_size": distributed.world,
            "samples": len(dataset),
        }

    epoch = 0
    iterator = iter(loader)
    started = time.perf_counter()
    while step < config["steps"]:
        try:
            batch = next(iterator)
        except StopIteration:
            epoch += 1
            if hasattr(sampler, "set_epoch"):
                sampler.set_epoch(epoch)
            iterator = iter(loader)
            batch = next(iterator)
        batch = to_device(batch, device)
        timesteps, noise, keep = draw(generator, model, config, batch["target"].shape[0], device)
        tick = time.perf_counter()
        with autocast_context(device, config["precision"]):
            loss = wrapped(batch, timesteps, noise, keep)
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
        step += 1
        if device.type == "cuda":
            torch.cuda.synchronize(device)
        samples_per_second = batch["target"].shape[0] * distributed.world / (time.perf_counter() - tick)
        if distributed.main:
            record = {"step": step, "loss": loss.item(), "lr": config["lr"], "samples_per_second": samples_per_second}
            history.append(record)
            log_file.write(json.dumps(record) + "\n")
            progress.update(step, loss.item(), samples_per_second)
            if step % config["checkpoint_every"] == 0 or step == config["steps"]:
                log_file.flush()
                save_checkpoint(checkpoint_path, state_now())
    if distributed.main:
        progress.close()
        final_eval = evaluation_loss(loss_module, dataset, config, device, config["eval_samples"])
        state = state_now()
        state["final_eval"] = final_eval
        save_checkpoint(checkpoint_path, state)
        log_file.close()
        log(f"evaluation loss after {step} steps: {final_eval:.5f} (before: {state['initial_eval']}); {time.perf_counter() - started:.1f} s; checkpoint {checkpoint_path}")
    distributed.close()
    return checkpoint_path
