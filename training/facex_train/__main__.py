"""python3 -m facex_train <command> — see training/README.md.

  train         train (or resume) a run: --preset generalist|reenact|swap|tiny --data DIR --out DIR [...]
  pretrain-base the tiny stand-in for SD 1.5's pretrained U-Net and VAE (CI and smoke tests only)
  export        a checkpoint → a diffusion model pack (FACEX_DIFFUSION_PACK)
  bench         training samples/s on synthetic batches
  reference     a checkpoint's five models on given inputs (the PyTorch side of the ONNX equivalence check)
  configs       the architecture numbers as JSON (compared with libs/diffusion's by a jest spec)
"""
import argparse
import json
import sys

import torch


def add_run_options(parser):
    parser.add_argument("--preset", choices=["generalist", "reenact", "swap", "tiny"], default="tiny")
    parser.add_argument("--size", choices=["tiny", "sd15"])
    parser.add_argument("--steps", type=int)
    parser.add_argument("--batch", type=int, help="global batch (split over the torchrun processes)")
    parser.add_argument("--lr", type=float)
    parser.add_argument("--resolution", type=int)
    parser.add_argument("--precision", choices=["fp32", "bf16", "fp16"])
    parser.add_argument("--gradient-checkpointing", dest="gradient_checkpointing", action=argparse.BooleanOptionalAction, default=None)
    parser.add_argument("--region-source", dest="region_source", choices=["encoder", "assembled"])
    parser.add_argument("--device", choices=["cpu", "cuda"])
    parser.add_argument("--seed", type=int)
    parser.add_argument("--threads", type=int, help="CPU intra-op threads")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m facex_train", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train")
    add_run_options(train)
    train.add_argument("--data", required=True, help="a folder written by npm run training:dataset")
    train.add_argument("--out", required=True, help="run folder: checkpoint.pt and log.jsonl")
    train.add_argument("--tasks", nargs="+", choices=["head-swap", "reenact"])
    train.add_argument("--sd", help="SD 1.5 checkpoint, original layout, safetensors (U-Net + VAE)")
    train.add_argument("--clip-vision", dest="clipVision", help="CLIPVisionModel or CLIPModel safetensors (vision_model.*)")
    train.add_argument("--facex", help="FaceX weights to start from (frc.*, fors.*, region_encoder.fpn.*)")
    train.add_argument("--init-from", dest="init_from", help="a checkpoint whose trained weights start this run (fine-tunes)")
    train.add_argument("--resume", help="a checkpoint to continue (default: OUT/checkpoint.pt when present)")
    train.add_argument("--condition-dropout", dest="condition_dropout", type=float)
    train.add_argument("--checkpoint-every", dest="checkpoint_every", type=int)
    train.add_argument("--no-finetune-vit", dest="finetune_vit", action="store_false", default=None)
    train.add_argument("--workers", type=int, help="data loader processes")

    base = commands.add_parser("pretrain-base")
    base.add_argument("--data", required=True)
    base.add_argument("--out", required=True, help="the sd.safetensors to write")
    base.add_argument("--vae-steps", dest="vae_steps", type=int, default=300)
    base.add_argument("--unet-steps", dest="unet_steps", type=int, default=300)
    base.add_argument("--resolution", type=int, default=64)
    base.add_argument("--batch", type=int, default=8)
    base.add_argument("--seed", type=int, default=0)
    base.add_argument("--threads", type=int)

    export = commands.add_parser("export")
    export.add_argument("--checkpoint", required=True)
    export.add_argument("--out", required=True, help="the pack folder")
    export.add_argument("--zero-frc", dest="zero_frc", action="store_true", help="zero every FRC ZeroConv (the untrained-FRC baseline)")
    export.add_argument("--precision", choices=["fp32", "fp16"], default="fp32")
    export.add_argument("--attention", choices=["matmul", "contrib"], default="matmul")

    bench = commands.add_parser("bench")
    add_run_options(bench)
    bench.add_argument("--warmup", type=int, default=1)
    bench.add_argument("--runs", type=int, default=3)

    reference = commands.add_parser("reference")
    reference.add_argument("--checkpoint", required=True)
    reference.add_argument("--inputs", required=True)
    reference.add_argument("--output", required=True)

    commands.add_parser("configs")

    args = vars(parser.parse_args(argv))
    command = args.pop("command")
    if args.get("threads"):
        torch.set_num_threads(args.pop("threads"))
    else:
        args.pop("threads", None)
    if command == "train":
        from .train import train as run

        run(args)
    elif command == "pretrain-base":
        from .base import pretrain_base

        pretrain_base(args)
    elif command == "export":
        from .export import export_pack

        print(json.dumps(export_pack(args["checkpoint"], args["out"], zero_frc=args["zero_frc"], precision=args["precision"], attention=args["attention"])))
    elif command == "bench":
        from .bench import bench as run

        print(json.dumps(run(args)))
    elif command == "reference":
        from .reference import run_reference

        run_reference(args["checkpoint"], args["inputs"], args["output"])
    elif command == "configs":
        from .configs import ARCHITECTURES

        print(json.dumps(ARCHITECTURES))


if __name__ == "__main__":
    sys.exit(main())
