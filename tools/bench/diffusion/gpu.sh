#!/usr/bin/env bash
# The GPU half of the diffusion benchmark, for a machine with an NVIDIA GPU, PyTorch with CUDA as python3, and
# Node.js + onnxruntime-node (WebGPU through Vulkan) but no node_modules. Prepare where the repository is
# installed:
#   npm run bundle:bench-diffusion        # dist/bench-diffusion.cjs + dist/unet_reference.py + dist/training/
# then, at the repository root of the GPU machine (with dist/ copied there, Node.js on PATH):
#   tools/bench/diffusion/gpu.sh [BUDGET_SECONDS [BENCH_OPTIONS...]]
# (BENCH_OPTIONS override the defaults below, e.g. `--size tiny --torch-device cpu` for a dry run without a GPU.)
#
# One process, most important first: builds the sd15 U-Net + FRC (fp16, com.microsoft.MultiHeadAttention,
# random weights; kept in tmp/bench-diffusion-gpu and reused by a rerun), then per resolution, 512 px before
# 256 px: ms per evaluation for batch 1-16 on webgpu beside PyTorch CUDA fp16 on the same weights, then 8
# guided jobs through the ContinuousBatcher against the same jobs one at a time; last, GPU time by op type at
# batch 16 (WebGPU timestamp queries) where time is left. The bench starts no case that would end past
# BUDGET_SECONDS (default 400, counted from its start, build included) and says what it left out; a hard stop
# follows 50 s later. Markdown goes to stdout and to $OUT/bench-diffusion-gpu.md (progress
# and errors: $OUT/bench-diffusion-gpu.log); without $OUT, to dist/gpu-results/.
set -euo pipefail
budget=${1:-400}
shift || true
out=${OUT:-dist/gpu-results}
bundle=dist/bench-diffusion.cjs
[ -f "$bundle" ] && [ -f dist/unet_reference.py ] && [ -d dist/training/facex_train ] || { echo "gpu.sh: $bundle, dist/unet_reference.py or dist/training/ missing: run npm run bundle:bench-diffusion and copy dist/" >&2; exit 1; }
command -v node >/dev/null || { echo "gpu.sh: node is not on PATH" >&2; exit 1; }
mkdir -p "$out"
report="$out/bench-diffusion-gpu.md"
{
  echo "GPU: $(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader 2>/dev/null || echo 'nvidia-smi unavailable')"
  echo
} | tee "$report"
status=0
timeout -k 10 $((budget + 50)) node "$bundle" \
  --size sd15 --provider webgpu --dtype fp16 --attention contrib --torch-device cuda \
  --resolutions 512,256 --batches 1,2,4,8,16 --warmup 2 --runs 3 --jobs 8 --profile \
  --budget-s "$budget" --work-dir tmp/bench-diffusion-gpu "$@" \
  > >(tee -a "$report") 2> >(tee "$out/bench-diffusion-gpu.log" >&2) || status=$?
wait
[ "$status" -eq 0 ] || echo "gpu.sh: the bench exited with status $status (124: hard stop); what it measured is above" | tee -a "$report"
exit "$status"
