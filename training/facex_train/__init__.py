"""FaceX training: the diffusion pack's models in PyTorch (same parameter names as the ONNX graphs of
libs/diffusion), the training loop of the paper (Sec. 3.5 and 4) and the export to a model pack."""

import torch as _torch

# Subnormal floats make CPU kernels orders of magnitude slower once small weights or gradients appear in
# training; flushing them to zero changes no result that matters (the GPU kernels flush too).
_torch.set_flush_denormal(True)
