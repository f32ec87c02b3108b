"""A training checkpoint → a diffusion model pack that FACEX_DIFFUSION_PACK loads unchanged: the weight files
in the pack's key layout (sd.safetensors, clip-vision.safetensors, facex.safetensors), then the project's own
pack builder (tools/diffusion-pack/build.ts, the same TypeScript graph code serving runs) with the training
metadata, so the manifest says `trained: true` and lists every file's sha256."""
import json
import os
import shutil
import subprocess
import tempfile

import torch

from .model import CLIP, FORS, FPN, FRC, UNET, VAE, FaceXModel
from .safetensors_io import read_safetensors, write_safetensors
from .train import CHECKPOINT_FORMAT, sha256_file

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GROUPS = {"sd": (UNET, VAE), "clipVision": (CLIP,), "facex": (FRC, FORS, FPN)}
FILE_NAMES = {"sd": "sd.safetensors", "clipVision": "clip-vision.safetensors", "facex": "facex.safetensors"}


class ExportRefused(ValueError):
    pass


def load_trained_model(checkpoint):
    """The model of a checkpoint: base weights from the recorded files (checked by sha256) or the recorded seed,
    then the trained tensors. Returns (model, state)."""
    state = torch.load(checkpoint, map_location="cpu")
    if not isinstance(state, dict) or state.get("format") != CHECKPOINT_FORMAT:
        raise ExportRefused(f"{checkpoint} is not a FaceX training checkpoint ({CHECKPOINT_FORMAT})")
    config, layout = state["config"], state["layout"]
    width = lambda name: next(s["width"] for s in layout["slots"] if s["component"] == name)
    model = FaceXModel(config["size"], width("identity"), width("expression"), seed=config["seed"])
    for group, origin in state["origins"].items():
        if origin["kind"] != "file":
            continue
        if not os.path.exists(origin["path"]) or sha256_file(origin["path"]) != origin["sha256"]:
            raise ExportRefused(f"base weights {origin['path']} ({group}) are missing or changed since training (sha256 {origin['sha256']})")
        tensors, _ = read_safetensors(origin["path"])
        model.store.load(tensors, GROUPS[group], os.path.basename(origin["path"]))
    model.store.load(state["trainable"], tuple(state["trainable"].keys()), os.path.basename(checkpoint))
    return model, state


def training_metadata(state, zero_frc):
    config = state["config"]
    history = state["history"]
    return {
        "producer": "facex_train",
        "preset": config.get("preset") or "tiny",
        "size": config["size"],
        "steps": state["step"],
        "batch": config["batch"],
        "learningRate": config["lr"],
        "resolution": config["resolution"],
        "precision": config["precision"],
        "conditionDropout": config["condition_dropout"],
        "regionSource": config["region_source"],
        "tasks": config["tasks"] or ["head-swap", "reenact"],
        "samples": state["samples"],
        "worldSize": state["world_size"],
        "torch": state["torch"],
        "finalLoss": history[-1]["loss"] if history else None,
        "evaluationLoss": {"before": state.get("initial_eval"), "after": state.get("final_eval")},
        "base": {group: ({"kind": "file", "file": os.path.basename(o["path"]), "sha256": o["sha256"]} if o["kind"] == "file" else o) for group, o in state["origins"].items()},
        "trained": sorted({key.split(".")[0] + "." for key in state["trainable"]}),
        "zeroFrc": zero_frc,
    }


def export_pack(checkpoint, out, zero_frc=False, precision="fp32", attention="matmul"):
    model, state = load_trained_model(checkpoint)
    if zero_frc:
        with torch.no_grad():
            for key, parameter in model.store.named((FRC,)).items():
                if ".zero_conv." in key:
                    parameter.zero_()
    trainable = set(state["trainable"])
    work = tempfile.mkdtemp(prefix="facex-export-")
    try:
        arguments = []
        for group, prefixes in GROUPS.items():
            origin = state["origins"][group]
            changed = any(key.startswith(prefixes) for key in trainable) or (zero_frc and group == "facex")
            if origin["kind"] == "file" and not changed:
                path = origin["path"]  # frozen and unchanged: the operator's file itself (SD 1.5 is 4 GB)
            else:
                path = os.path.join(work, FILE_NAMES[group])
                write_safetensors(path, model.store.named(prefixes), {"producer": "facex_train export"})
            arguments += ["--" + ("clip-vision" if group == "clipVision" else group), path]
        metadata_path = os.path.join(work, "training.json")
        with open(metadata_path, "w", encoding="utf-8") as f:
            json.dump(training_metadata(state, zero_frc), f)
        layout = state["layout"]
        width = lambda name: str(next(s["width"] for s in layout["slots"] if s["component"] == name))
        command = ["npx", "tsx", os.path.join(REPO_ROOT, "tools", "diffusion-pack", "build.ts"), "--size", state["config"]["size"], "--out", os.path.abspath(out), "--training", metadata_path,
                   "--precision", precision, "--attention", attention, "--identity-width", width("identity"), "--expression-width", width("expression"), *arguments]
        result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True)
        if result.returncode != 0:
            raise ExportRefused(f"the pack builder refused the export: {(result.stderr or result.stdout).strip().splitlines()[-1] if (result.stderr or result.stdout).strip() else result.returncode}")
        with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        return {"pack": os.path.abspath(out), "version": manifest["version"], "trained": manifest.get("trained", False)}
    finally:
        shutil.rmtree(work, ignore_errors=True)
