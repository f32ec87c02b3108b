"""Parameters addressed by their pack key (`model.diffusion_model.input_blocks.1.1.…`, `frc.…`, `fors.…`) and
the layers that read them. A model's first (dry) forward creates every parameter it asks for, with the pack's
random initialisation rule (libs/diffusion/README.md); afterwards an unknown key is an error, so the keys and
shapes are exactly the ones the forward code (and the ONNX graphs, written the same way) uses."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

UNIFORM, ONES, ZEROS, EMBEDDING = "uniform", "ones", "zeros", "embedding"


class TensorRefused(ValueError):
    """A weight file that does not fit the model: names the key."""

    def __init__(self, key, message):
        super().__init__(f"tensor '{key}': {message}")
        self.key = key


def _attr(key):
    # nn.Module attribute names may not contain '.'; pack keys never contain '/'.
    return key.replace(".", "/")


class ParamStore(nn.Module):
    def __init__(self, seed=0):
        super().__init__()
        self.tensors = nn.ParameterDict()
        self.generator = torch.Generator().manual_seed(seed)
        self.building = True

    # ── parameters ────────────────────────────────────────────────────────────────────────────────────────
    def get(self, key, shape, init, fan_in=1):
        name = _attr(key)
        if name in self.tensors:
            parameter = self.tensors[name]
            if tuple(parameter.shape) != tuple(shape):
                raise TensorRefused(key, f"shape {list(parameter.shape)}, the model needs {list(shape)}")
            return parameter
        if not self.building:
            raise TensorRefused(key, "not a parameter of this model")
        data = torch.empty(shape)
        if init == UNIFORM:
            bound = 1.0 / math.sqrt(fan_in)
            data.uniform_(-bound, bound, generator=self.generator)
        elif init == ONES:
            data.fill_(1.0)
        elif init == ZEROS:
            data.zero_()
        else:
            data.normal_(0.0, 0.02, generator=self.generator)
        self.tensors[name] = nn.Parameter(data)
        return self.tensors[name]

    def keys(self):
        return [name.replace("/", ".") for name in self.tensors.keys()]

    def named(self, prefixes=("",)):
        """Pack key → parameter, for the keys under any of `prefixes`, in creation order."""
        return {key: p for key, p in ((name.replace("/", "."), p) for name, p in self.tensors.items()) if key.startswith(tuple(prefixes))}

    def load(self, tensors, prefixes, source):
        """Copies every parameter under `prefixes` from `tensors` (key → tensor); a missing key or a wrong shape is
        refused by name. Keys the model does not use are ignored (a CLIPModel file also holds the text tower)."""
        with torch.no_grad():
            for key, parameter in self.named(prefixes).items():
                if key not in tensors:
                    raise TensorRefused(key, f"missing from {source}")
                tensor = tensors[key]
                if tuple(tensor.shape) != tuple(parameter.shape):
                    raise TensorRefused(key, f"{source} has shape {list(tensor.shape)}, the model needs {list(parameter.shape)}")
                parameter.copy_(tensor)

    # ── layers (PyTorch layouts: Linear [out, in], Conv [out, in, k, k]) ───────────────────────────────────
    def linear(self, key, x, out_width, bias=True, init=UNIFORM):
        in_width = x.shape[-1]
        weight = self.get(key + ".weight", (out_width, in_width), init, in_width)
        b = self.get(key + ".bias", (out_width,), init, in_width) if bias else None
        return F.linear(x, weight.to(x.dtype), None if b is None else b.to(x.dtype))

    def conv(self, key, x, out_channels, kernel, stride=1, padding=None, bias=True):
        in_channels = x.shape[1]
        fan_in = in_channels * kernel * kernel
        weight = self.get(key + ".weight", (out_channels, in_channels, kernel, kernel), UNIFORM, fan_in)
        b = self.get(key + ".bias", (out_channels,), UNIFORM, fan_in) if bias else None
        if padding == "right-bottom":
            # ldm's downsample: pad right and bottom by one, then 3×3 at stride 2 without padding.
            x = F.pad(x, (0, 1, 0, 1))
            padding = 0
        return F.conv2d(x, weight.to(x.dtype), None if b is None else b.to(x.dtype), stride=stride, padding=kernel // 2 if padding is None else padding)

    def layer_norm(self, key, x, eps=1e-5):
        width = x.shape[-1]
        return F.layer_norm(x, (width,), self.get(key + ".weight", (width,), ONES).to(x.dtype), self.get(key + ".bias", (width,), ZEROS).to(x.dtype), eps)

    def group_norm(self, key, x, groups, eps):
        channels = x.shape[1]
        return F.group_norm(x, groups, self.get(key + ".weight", (channels,), ONES).to(x.dtype), self.get(key + ".bias", (channels,), ZEROS).to(x.dtype), eps)

    def embedding(self, key, shape):
        return self.get(key, shape, EMBEDDING)


def attention(q, k, v, heads):
    """softmax(q kᵀ / √d) v per head; q [B, Tq, C], k and v [B, Tk, C] → [B, Tq, C]."""
    batch, queries, width = q.shape
    head_dim = width // heads

    def split(t):
        return t.reshape(batch, -1, heads, head_dim).transpose(1, 2)

    if hasattr(F, "scaled_dot_product_attention"):
        mixed = F.scaled_dot_product_attention(split(q), split(k), split(v))
    else:
        scores = torch.matmul(split(q) * (1.0 / math.sqrt(head_dim)), split(k).transpose(-1, -2))
        mixed = torch.matmul(scores.softmax(dim=-1), split(v))
    return mixed.transpose(1, 2).reshape(batch, queries, width)
