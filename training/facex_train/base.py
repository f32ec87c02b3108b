"""The tiny architecture's stand-in for the pretrained base an operator brings for `sd15` (SD 1.5's U-Net and
VAE): the VAE trained as an autoencoder on the dataset's targets, then the U-Net as a plain (unconditioned)
ε-predictor over its latents. FaceX training then freezes both, as the paper freezes SD 1.5. CI and smoke
tests only: a few hundred steps on a handful of faces."""
import os
import time

import torch
import torch.nn.functional as F

from .data import FaceDataset, at_resolution
from .model import UNET, VAE, FaceXModel
from .safetensors_io import write_safetensors
from .train import TRAIN_STEPS, noise_schedule


def _batches(dataset, batch, generator):
    while True:
        order = torch.randperm(len(dataset), generator=generator).tolist()
        for start in range(0, len(order) - batch + 1 if len(order) >= batch else 1, batch):
            yield torch.utils.data.default_collate([dataset[i] for i in order[start : start + batch]])


def pretrain_base(options, log=print):
    dataset = FaceDataset(options["data"])
    torch.manual_seed(options["seed"])
    generator = torch.Generator().manual_seed(options["seed"])
    model = FaceXModel("tiny", seed=options["seed"], parts=("unet", "vae"))
    model.train()
    images = _batches(dataset, options["batch"], generator)
    side = options["resolution"]
    started = time.perf_counter()

    vae = [p for k, p in model.store.named((VAE,)).items()]
    optimizer = torch.optim.AdamW(vae, lr=2e-3, weight_decay=0.0)
    for step in range(1, options["vae_steps"] + 1):
        x = at_resolution(next(images)["target"], side) * 2 - 1
        latents = model.vae_encode(x)
        # Reconstruction, with the latents kept near unit variance (what the noise schedule assumes).
        loss = F.mse_loss(model.vae_decode(latents), x) + 0.1 * (latents.std() - 1).pow(2)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if step % 50 == 0 or step == options["vae_steps"]:
            log(f"vae step {step}: loss {loss.item():.4f}")

    unet = [p for k, p in model.store.named((UNET,)).items()]
    optimizer = torch.optim.AdamW(unet, lr=1e-3, weight_decay=0.0)
    alphas = noise_schedule()
    context = torch.zeros(options["batch"], 1, model.arch["unet"]["contextWidth"])
    for step in range(1, options["unet_steps"] + 1):
        with torch.no_grad():
            x0 = model.vae_encode(at_resolution(next(images)["target"], side) * 2 - 1)
        t = torch.randint(0, TRAIN_STEPS, (x0.shape[0],), generator=generator)
        noise = torch.randn(x0.shape, generator=generator)
        a = alphas[t][:, None, None, None]
        loss = F.mse_loss(model.unet(a.sqrt() * x0 + (1 - a).sqrt() * noise, t.float(), context[: x0.shape[0]]), noise)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        if step % 50 == 0 or step == options["unet_steps"]:
            log(f"unet step {step}: loss {loss.item():.4f}")

    os.makedirs(os.path.dirname(os.path.abspath(options["out"])), exist_ok=True)
    # Only the SD keys: the FRC was never part of the base (its ZeroConv is zero, so it did not act).
    tensors = {key: p for key, p in model.store.named((UNET, VAE)).items()}
    write_safetensors(options["out"], tensors, {"producer": "facex_train pretrain-base", "size": "tiny", "vae_steps": options["vae_steps"], "unet_steps": options["unet_steps"]})
    log(f"wrote {options['out']} in {time.perf_counter() - started:.1f} s")
    return options["out"]
