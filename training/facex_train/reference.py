"""Runs the five models of a trained checkpoint on given inputs (a safetensors file named like the ONNX graphs'
inputs) and writes their outputs: the PyTorch side of the ONNX Runtime equivalence check of an export.

  inputs:  latents, timesteps, context (U-Net) · tokens, slot_present, reference_latents (FORS) ·
           image, masks (region encoder) · vae_image (VAE encoder) · vae_latents (VAE decoder)
  outputs: noise, fors_context, region_features, encoded_latents, decoded_image
"""
import torch

from .export import load_trained_model
from .safetensors_io import read_safetensors, write_safetensors


@torch.no_grad()
def run_reference(checkpoint, inputs_path, output_path):
    model, _ = load_trained_model(checkpoint)
    model.eval()
    x, _ = read_safetensors(inputs_path)
    outputs = {
        "noise": model.unet(x["latents"], x["timesteps"], x["context"]),
        "fors_context": model.fors(x["tokens"], x["slot_present"], x["reference_latents"]),
        "region_features": model.region_encoder(x["image"], x["masks"]),
        "encoded_latents": model.vae_encode(x["vae_image"]),
        "decoded_image": model.vae_decode(x["vae_latents"]),
    }
    write_safetensors(output_path, outputs)
    return output_path
