"""The dataset `npm run training:dataset` writes (tools/training/dataset.ts): `dataset.json` lists the samples,
each a safetensors file of what serving computes for one edit, made by the project's own FORD and assemblers:

  target          [3, R, R]  the ground truth: the target face's aligned crop, RGB 0…1
  reference       [3, R, R]  I^R from the Region Assembler (e.g. the grayscale source head on the target background)
  tokens          [W]        the Representation Assembler's packed tokens (dataset.json's tokenLayout)
  present         [S]        1 where a slot is present
  region_images   [2, 3, 256, 256]  the source's and the target's 256 px mask crops (RGB 0…1)
  region_masks    [8, 256, 256]     each region slot's soft mask (0…1) in the crop of the input it comes from
  region_inputs   [8]        0 source, 1 target, −1 absent
"""
import json
import os

import torch
import torch.nn.functional as F

from .safetensors_io import read_safetensors

SAMPLE_KEYS = ("target", "reference", "tokens", "present", "region_images", "region_masks", "region_inputs")


class DatasetInvalid(ValueError):
    pass


class FaceDataset(torch.utils.data.Dataset):
    def __init__(self, root, tasks=None):
        self.root = root
        path = os.path.join(root, "dataset.json")
        try:
            with open(path, encoding="utf-8") as f:
                self.index = json.load(f)
        except FileNotFoundError:
            raise DatasetInvalid(f"no dataset at {root} (dataset.json missing): build one with npm run training:dataset") from None
        self.layout = self.index["tokenLayout"]
        self.samples = [s for s in self.index["samples"] if tasks is None or s["task"] in tasks]
        if not self.samples:
            raise DatasetInvalid(f"{path}: no samples" + (f" of the tasks {', '.join(tasks)}" if tasks else ""))

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        entry = self.samples[i]
        tensors, _ = read_safetensors(os.path.join(self.root, entry["file"]))
        for key in SAMPLE_KEYS:
            if key not in tensors:
                raise DatasetInvalid(f"{entry['file']}: tensor '{key}' is missing")
        if tensors["tokens"].shape[0] != self.layout["totalWidth"]:
            raise DatasetInvalid(f"{entry['file']}: tokens has {tensors['tokens'].shape[0]} values, the layout {self.layout['totalWidth']}")
        return {key: tensors[key] for key in SAMPLE_KEYS}


def at_resolution(images, side):
    """[B, 3, H, W] → side × side by box averaging (what serving's downsampleRgb2x does per halving)."""
    if images.shape[-1] == side:
        return images
    if images.shape[-1] % side == 0:
        return F.avg_pool2d(images, images.shape[-1] // side)
    return F.interpolate(images, size=(side, side), mode="bilinear", align_corners=False, antialias=True)


def region_inputs_of(batch, image_size):
    """The region encoder's inputs, one ViT pass per input image: images [B·2, 3, S, S] and masks [B·2, 8, 256, 256]
    (each region's mask only in the input it comes from)."""
    images = batch["region_images"]  # [B, 2, 3, 256, 256]
    inputs = batch["region_inputs"]  # [B, 8]
    masks = batch["region_masks"]  # [B, 8, 256, 256]
    per_input = torch.stack([masks * (inputs == j).to(masks.dtype)[:, :, None, None] for j in range(images.shape[1])], dim=1)
    return at_resolution(images.flatten(0, 1), image_size), per_input.flatten(0, 1)


def pick_region_features(features, inputs):
    """features [B·2, 8, F] (per input) → [B, 8, F], each region from the input it comes from (zeros if absent)."""
    batch = inputs.shape[0]
    per_input = features.reshape(batch, -1, *features.shape[1:])  # [B, 2, 8, F]
    index = inputs.clamp(min=0).long()[:, None, :, None].expand(-1, 1, -1, per_input.shape[-1])
    chosen = torch.gather(per_input, 1, index)[:, 0]
    return chosen * (inputs >= 0).to(chosen.dtype)[:, :, None]
