"""The diffusion pack's five models in PyTorch, written from the same architecture as libs/diffusion's ONNX
graphs and reading the same keys: the SD 1.5 U-Net with the Facial Representation Controller, the FORS
adapters, the CLIP-vision region encoder with its FPN and mask pooling, and the KL-f8 VAE.

Key prefixes (one file each in a pack's weights): `model.diffusion_model.` and `first_stage_model.` (SD 1.5
checkpoint), `vision_model.` (Hugging Face CLIPVisionModel), `frc.`, `fors.`, `region_encoder.fpn.` (FaceX)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.checkpoint import checkpoint

from .configs import ARCHITECTURES, DEFAULT_EXPRESSION_WIDTH, DEFAULT_IDENTITY_WIDTH, token_layout
from .params import ZEROS, ParamStore, attention

UNET, VAE, CLIP, FRC, FORS, FPN = "model.diffusion_model.", "first_stage_model.", "vision_model.", "frc.", "fors.", "region_encoder.fpn."
CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
MASK_EPSILON = 1e-6


class FaceXModel(nn.Module):
    """All parameters of a pack in one ParamStore; `size` picks the architecture (`tiny` or `sd15`).

    `gradient_checkpointing` recomputes each U-Net block and ViT layer in the backward pass instead of keeping
    its activations (the paper's 256 px batch of 32 per GPU does not fit otherwise on 16 GB cards)."""

    PARTS = ("unet", "fors", "vae", "regionEncoder")

    def __init__(self, size="tiny", identity_width=DEFAULT_IDENTITY_WIDTH, expression_width=DEFAULT_EXPRESSION_WIDTH, seed=0, gradient_checkpointing=False, parts=PARTS):
        super().__init__()
        self.parts = tuple(parts)
        self.size = size
        self.arch = ARCHITECTURES[size]
        self.layout = token_layout(identity_width, expression_width)
        self.store = ParamStore(seed)
        self.gradient_checkpointing = gradient_checkpointing
        self._build()

    def _build(self):
        """One small forward of every model creates every parameter (see params.py), then the key set is closed."""
        unet, vae, clip = self.arch["unet"], self.arch["vae"], self.arch["regionEncoder"]["clip"]
        with torch.no_grad():
            side = 2 ** (len(unet["channelMult"]) - 1)
            tokens = torch.zeros(1, self.layout["totalWidth"])
            present = torch.ones(1, len(self.layout["slots"]))
            context = torch.zeros(1, 1, unet["contextWidth"])
            if "fors" in self.parts:
                context = self.fors(tokens, present, torch.zeros(1, vae["latentChannels"], side, side))
            if "unet" in self.parts:
                self.unet(torch.zeros(1, unet["inChannels"], side, side), torch.zeros(1), context)
            if "vae" in self.parts:
                factor = 2 ** (len(vae["channelMult"]) - 1)
                self.vae_decode(self.vae_encode(torch.zeros(1, 3, 2 * factor, 2 * factor)))
            if "regionEncoder" in self.parts:
                self.region_encoder(torch.zeros(1, 3, clip["imageSize"], clip["imageSize"]), torch.ones(1, 1, 4, 4))
        self.store.building = False

    def _maybe_checkpoint(self, fn, *args):
        if self.gradient_checkpointing and self.training and torch.is_grad_enabled():
            return checkpoint(fn, *args, use_reentrant=False)
        return fn(*args)

    # ── shared blocks ─────────────────────────────────────────────────────────────────────────────────────
    def cross_attention(self, key, x, context, heads):
        """SD's CrossAttention: to_q/to_k/to_v without bias, to_out.0 with bias; context None = self-attention."""
        s = self.store
        source = x if context is None else context
        width = x.shape[-1]
        q, k, v = s.linear(key + ".to_q", x, width, False), s.linear(key + ".to_k", source, width, False), s.linear(key + ".to_v", source, width, False)
        return s.linear(key + ".to_out.0", attention(q, k, v, heads), width)

    # ── U-Net + FRC ───────────────────────────────────────────────────────────────────────────────────────
    def _time_embedding(self, timesteps):
        s, channels = self.store, self.arch["unet"]["modelChannels"]
        half = channels // 2
        exponents = torch.arange(half, dtype=torch.float64) * (-math.log(10000.0) / half)
        frequencies = torch.exp(exponents).to(device=timesteps.device, dtype=torch.float32)
        args = timesteps.float()[:, None] * frequencies[None, :]
        sinusoid = torch.cat([torch.cos(args), torch.sin(args)], dim=1)
        hidden = F.silu(s.linear(UNET + "time_embed.0", sinusoid, 4 * channels))
        return s.linear(UNET + "time_embed.2", hidden, 4 * channels)

    def _res_block(self, key, x, active, out_channels):
        s, groups = self.store, self.arch["unet"]["normGroups"]
        h = s.conv(key + ".in_layers.2", F.silu(s.group_norm(key + ".in_layers.0", x, groups, 1e-5)), out_channels, 3)
        h = h + s.linear(key + ".emb_layers.1", active, out_channels)[:, :, None, None]
        h = s.conv(key + ".out_layers.3", F.silu(s.group_norm(key + ".out_layers.0", h, groups, 1e-5)), out_channels, 3)
        skip = x if x.shape[1] == out_channels else s.conv(key + ".skip_connection", x, out_channels, 1)
        return skip + h

    def _transformer_block(self, key, frc_key, x, context):
        s, heads = self.store, self.arch["unet"]["numHeads"]
        x = x + self.cross_attention(key + ".attn1", s.layer_norm(key + ".norm1", x), None, heads)
        x = x + self.cross_attention(key + ".attn2", s.layer_norm(key + ".norm2", x), context, heads)
        # FRC: v = v + ZeroConv(CrossAttn_ft(LN(v), f_SD)), after the frozen attentions, before the feed-forward.
        attended = self.cross_attention(frc_key + ".attn", s.layer_norm(frc_key + ".norm", x), context, heads)
        x = x + s.linear(frc_key + ".zero_conv", attended, x.shape[-1], init=ZEROS)
        width = x.shape[-1]
        value, gate = s.linear(key + ".ff.net.0.proj", s.layer_norm(key + ".norm3", x), 8 * width).chunk(2, dim=-1)
        return x + s.linear(key + ".ff.net.2", value * F.gelu(gate), width)

    def _spatial_transformer(self, path, x, context):
        s, key = self.store, UNET + path
        batch, channels, height, width = x.shape
        h = s.conv(key + ".proj_in", s.group_norm(key + ".norm", x, self.arch["unet"]["normGroups"], 1e-6), channels, 1)
        tokens = h.reshape(batch, channels, height * width).transpose(1, 2)
        tokens = self._transformer_block(key + ".transformer_blocks.0", FRC + path + ".transformer_blocks.0", tokens, context)
        h = tokens.transpose(1, 2).reshape(batch, channels, height, width)
        return x + s.conv(key + ".proj_out", h, channels, 1)

    def unet(self, latents, timesteps, context):
        """Noise prediction ε(latents, t, f_SD): latents [B,4,h,w], timesteps [B], context [B,T,C]."""
        c, s = self.arch["unet"], self.store
        mc = c["modelChannels"]
        active = F.silu(self._time_embedding(timesteps).to(latents.dtype))
        res = lambda key, h, out: self._maybe_checkpoint(lambda a, b: self._res_block(key, a, b, out), h, active)
        attn = lambda path, h: self._maybe_checkpoint(lambda a, b: self._spatial_transformer(path, a, b), h, context)
        h = s.conv(UNET + "input_blocks.0.0", latents, mc, 3)
        skips, block, levels = [h], 1, len(c["channelMult"])
        for level, mult in enumerate(c["channelMult"]):
            for _ in range(c["numResBlocks"]):
                h = res(f"{UNET}input_blocks.{block}.0", h, mc * mult)
                if level in c["attentionLevels"]:
                    h = attn(f"input_blocks.{block}.1", h)
                skips.append(h)
                block += 1
            if level < levels - 1:
                h = s.conv(f"{UNET}input_blocks.{block}.0.op", h, h.shape[1], 3, stride=2)
                skips.append(h)
                block += 1
        h = res(UNET + "middle_block.0", h, h.shape[1])
        h = attn("middle_block.1", h)
        h = res(UNET + "middle_block.2", h, h.shape[1])
        block = 0
        for level in reversed(range(levels)):
            for r in range(c["numResBlocks"] + 1):
                h = res(f"{UNET}output_blocks.{block}.0", torch.cat([h, skips.pop()], dim=1), mc * c["channelMult"][level])
                layer = 1
                if level in c["attentionLevels"]:
                    h = attn(f"output_blocks.{block}.1", h)
                    layer = 2
                if level > 0 and r == c["numResBlocks"]:
                    h = s.conv(f"{UNET}output_blocks.{block}.{layer}.conv", F.interpolate(h, scale_factor=2.0, mode="nearest"), h.shape[1], 3)
                block += 1
        h = F.silu(s.group_norm(UNET + "out.0", h, c["normGroups"], 1e-5))
        return s.conv(UNET + "out.2", h, c["outChannels"], 3)

    # ── FORS ──────────────────────────────────────────────────────────────────────────────────────────────
    def fors(self, tokens, present, reference_latents):
        """f_SD [B, S+K, C] from the packed tokens [B, W], slot presence [B, S] and the I^R latents [B, 4, h, w]."""
        c, s = self.arch["fors"], self.store
        width, slots = c["contextWidth"], self.layout["slots"]
        # Representation Adapter: one Linear per slot, gated by presence, plus a learned slot embedding.
        root = FORS + "representation_adapter."
        slot_embedding = s.embedding(root + "slot_embedding", (len(slots), width))
        per_slot = []
        for index, slot in enumerate(slots):
            values = tokens[:, slot["offset"] : slot["offset"] + slot["width"]]
            projected = s.linear(root + slot["component"], values, width) * present[:, index : index + 1].to(values.dtype)
            per_slot.append(projected + slot_embedding[index].to(projected.dtype))
        component_tokens = torch.stack(per_slot, dim=1)
        # Inpainting-reference encoder: conv stack (stride 2 after the first), 1×1 to the context width,
        # LayerNorm, then learned queries pool any latent size to K tokens.
        root = FORS + "reference_encoder."
        h = reference_latents
        for i, channels in enumerate(c["referenceChannels"]):
            h = F.silu(s.conv(f"{root}conv.{i}", h, channels, 3, stride=1 if i == 0 else 2))
        h = s.conv(root + "proj", h, width, 1)
        spatial = s.layer_norm(root + "norm", h.reshape(h.shape[0], width, -1).transpose(1, 2))
        queries = s.embedding(root + "queries", (1, c["referenceTokens"], width)).to(spatial.dtype).expand(h.shape[0], -1, -1)
        reference_tokens = self.cross_attention(root + "pool", queries, spatial, c["heads"])
        # SD Adapter: pre-norm transformer layers over all tokens.
        h = torch.cat([component_tokens, reference_tokens.to(component_tokens.dtype)], dim=1)
        for i in range(c["mixerLayers"]):
            key = f"{FORS}sd_adapter.layers.{i}."
            h = h + self.cross_attention(key + "attn", s.layer_norm(key + "norm1", h), None, c["heads"])
            hidden = F.gelu(s.linear(key + "mlp.fc1", s.layer_norm(key + "norm2", h), 4 * width))
            h = h + s.linear(key + "mlp.fc2", hidden, width)
        return s.layer_norm(FORS + "sd_adapter.norm_out", h)

    # ── region encoder: CLIP ViT + FPN + mask pooling ────────────────────────────────────────────────────
    def _clip_layer(self, key, h):
        s, clip = self.store, self.arch["regionEncoder"]["clip"]
        width = h.shape[-1]
        normed = s.layer_norm(key + "layer_norm1", h)
        q, k, v = (s.linear(f"{key}self_attn.{name}", normed, width) for name in ("q_proj", "k_proj", "v_proj"))
        h = h + s.linear(key + "self_attn.out_proj", attention(q, k, v, clip["heads"]), width)
        fc1 = s.linear(key + "mlp.fc1", s.layer_norm(key + "layer_norm2", h), clip["mlpWidth"])
        activated = fc1 * torch.sigmoid(1.702 * fc1) if clip["activation"] == "quick_gelu" else F.gelu(fc1)
        return h + s.linear(key + "mlp.fc2", activated, width)

    def region_encoder(self, image, masks):
        """Region features [B, R, 8] from the RGB image [B, 3, S, S] in 0…1 and soft masks [B, R, Hm, Wm] in 0…1."""
        s, config = self.store, self.arch["regionEncoder"]
        clip, fpn = config["clip"], config["fpn"]
        width, grid = clip["hiddenWidth"], clip["imageSize"] // clip["patchSize"]
        mean = torch.tensor(CLIP_MEAN, device=image.device, dtype=image.dtype).view(1, 3, 1, 1)
        inv_std = (1.0 / torch.tensor(CLIP_STD, device=image.device, dtype=torch.float64)).to(image.dtype).view(1, 3, 1, 1)
        normalised = (image - mean) * inv_std
        patches = s.conv(CLIP + "embeddings.patch_embedding", normalised, width, clip["patchSize"], stride=clip["patchSize"], padding=0, bias=False)
        tokens = patches.reshape(patches.shape[0], width, -1).transpose(1, 2)
        class_token = s.embedding(CLIP + "embeddings.class_embedding", (width,)).to(tokens.dtype).expand(tokens.shape[0], 1, width)
        positions = s.embedding(CLIP + "embeddings.position_embedding.weight", (grid * grid + 1, width))
        h = s.layer_norm(CLIP + "pre_layrnorm", torch.cat([class_token, tokens], dim=1) + positions.to(tokens.dtype))
        grids = []
        for layer in range(1, max(fpn["featureLayers"]) + 1):
            h = self._maybe_checkpoint(lambda x, key=f"{CLIP}encoder.layers.{layer - 1}.": self._clip_layer(key, x), h)
            if layer in fpn["featureLayers"]:
                grids.append(h[:, 1:].transpose(1, 2).reshape(h.shape[0], width, grid, grid))
        levels = len(grids)
        scale = lambda k: 2.0 ** (levels - 2 - k)
        laterals = [self._resize_nearest(s.conv(f"{FPN}lateral.{k}", g, fpn["width"], 1), scale(k)) for k, g in enumerate(grids)]
        merged = [None] * levels
        merged[-1] = laterals[-1]
        for k in range(levels - 2, -1, -1):
            merged[k] = laterals[k] + self._resize_nearest(merged[k + 1], 2.0)
        pooled = []
        for k, level in enumerate(merged):
            output = s.conv(f"{FPN}output.{k}", level, fpn["width"], 3)
            side = int(grid * scale(k))
            weights = F.interpolate(masks.to(output.dtype), size=(side, side), mode="bilinear", align_corners=False).flatten(2)
            flat = output.flatten(2).transpose(1, 2)
            pooled.append(torch.matmul(weights, flat) / (weights.sum(dim=2, keepdim=True) + MASK_EPSILON))
        return s.linear(FPN + "proj", torch.cat(pooled, dim=2), fpn["outputWidth"])

    @staticmethod
    def _resize_nearest(x, scale):
        # ONNX Resize nearest / asymmetric / floor: ×2 repeats each cell, ×½ keeps the even cells.
        if scale == 1:
            return x
        if scale < 1:
            step = int(round(1 / scale))
            return x[:, :, ::step, ::step]
        return F.interpolate(x, scale_factor=scale, mode="nearest")

    # ── VAE (KL-f8) ───────────────────────────────────────────────────────────────────────────────────────
    def _vae_resnet(self, key, x, out_channels):
        s, groups = self.store, self.arch["vae"]["normGroups"]
        h = s.conv(key + "conv1", F.silu(s.group_norm(key + "norm1", x, groups, 1e-6)), out_channels, 3)
        h = s.conv(key + "conv2", F.silu(s.group_norm(key + "norm2", h, groups, 1e-6)), out_channels, 3)
        skip = x if x.shape[1] == out_channels else s.conv(key + "nin_shortcut", x, out_channels, 1)
        return skip + h

    def _vae_attention(self, key, x):
        s = self.store
        batch, channels, height, width = x.shape
        normed = s.group_norm(key + "norm", x, self.arch["vae"]["normGroups"], 1e-6)
        tokens = lambda name: s.conv(key + name, normed, channels, 1).reshape(batch, channels, -1).transpose(1, 2)
        mixed = attention(tokens("q"), tokens("k"), tokens("v"), 1)
        return x + s.conv(key + "proj_out", mixed.transpose(1, 2).reshape(batch, channels, height, width), channels, 1)

    def _vae_middle(self, key, h):
        channels = h.shape[1]
        h = self._vae_resnet(key + "block_1.", h, channels)
        return self._vae_resnet(key + "block_2.", self._vae_attention(key + "attn_1.", h), channels)

    def vae_encode(self, image):
        """image [B,3,H,W] in −1…1 → the posterior mean × scaling factor [B,4,H/8,W/8]."""
        c, s = self.arch["vae"], self.store
        key = VAE + "encoder."
        h = s.conv(key + "conv_in", image, c["baseChannels"], 3)
        for level, mult in enumerate(c["channelMult"]):
            for j in range(c["numResBlocks"]):
                h = self._vae_resnet(f"{key}down.{level}.block.{j}.", h, c["baseChannels"] * mult)
            if level < len(c["channelMult"]) - 1:
                h = s.conv(f"{key}down.{level}.downsample.conv", h, h.shape[1], 3, stride=2, padding="right-bottom")
        h = self._vae_middle(key + "mid.", h)
        h = s.conv(key + "conv_out", F.silu(s.group_norm(key + "norm_out", h, c["normGroups"], 1e-6)), 2 * c["latentChannels"], 3)
        h = s.conv(VAE + "quant_conv", h, 2 * c["latentChannels"], 1)
        return h[:, : c["latentChannels"]] * c["scalingFactor"]

    def vae_decode(self, latents):
        """latents [B,4,h,w] → image [B,3,8h,8w] in −1…1 (unclamped)."""
        c, s = self.arch["vae"], self.store
        key = VAE + "decoder."
        h = s.conv(VAE + "post_quant_conv", latents * (1.0 / c["scalingFactor"]), c["latentChannels"], 1)
        h = s.conv(key + "conv_in", h, c["baseChannels"] * c["channelMult"][-1], 3)
        h = self._vae_middle(key + "mid.", h)
        for level in reversed(range(len(c["channelMult"]))):
            for j in range(c["numResBlocks"] + 1):
                h = self._vae_resnet(f"{key}up.{level}.block.{j}.", h, c["baseChannels"] * c["channelMult"][level])
            if level > 0:
                h = s.conv(f"{key}up.{level}.upsample.conv", F.interpolate(h, scale_factor=2.0, mode="nearest"), h.shape[1], 3)
        h = F.silu(s.group_norm(key + "norm_out", h, c["normGroups"], 1e-6))
        return s.conv(key + "conv_out", h, c["imageChannels"], 3)
