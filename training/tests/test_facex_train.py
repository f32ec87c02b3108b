"""Unit tests of facex_train on the tiny architecture (CPU, seconds). Run by tools/training/training-kit.integration.spec.ts:
  /usr/bin/python3 -m unittest discover -s training/tests -t training"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import unittest

import torch

from facex_train.bench import bench
from facex_train.configs import REGIONS, token_layout
from facex_train.export import ExportRefused, load_trained_model
from facex_train.model import FRC, UNET, FaceXModel
from facex_train.params import TensorRefused
from facex_train.safetensors_io import read_safetensors, write_safetensors
from facex_train.train import CHECKPOINT_FORMAT, train

torch.set_num_threads(1)


def write_dataset(root, count=3, side=32):
    """A dataset in the layout npm run training:dataset writes, with random pixels and tokens."""
    layout = token_layout(256, 16)
    generator = torch.Generator().manual_seed(7)
    os.makedirs(os.path.join(root, "samples"), exist_ok=True)
    samples = []
    for i in range(count):
        file = f"samples/{i:06d}.safetensors"
        write_safetensors(os.path.join(root, file), {
            "target": torch.rand(3, side, side, generator=generator),
            "reference": torch.rand(3, side, side, generator=generator),
            "tokens": torch.randn(layout["totalWidth"], generator=generator),
            "present": torch.ones(len(layout["slots"])),
            "region_images": torch.rand(2, 3, 256, 256, generator=generator),
            "region_masks": torch.rand(len(REGIONS), 256, 256, generator=generator),
            "region_inputs": torch.tensor([0.0, 0, 0, 0, 0, 1, 1, -1]),
        })
        samples.append({"file": file, "task": "head-swap", "source": f"s{i}", "target": f"s{i}"})
    with open(os.path.join(root, "dataset.json"), "w") as f:
        json.dump({"version": 1, "resolution": side, "tokenLayout": layout, "samples": samples}, f)


class ModelTest(unittest.TestCase):
    def test_parameters_carry_the_pack_keys_and_the_frc_starts_at_zero(self):
        model = FaceXModel("tiny")
        keys = set(model.store.keys())
        for key in ("model.diffusion_model.input_blocks.1.1.transformer_blocks.0.attn2.to_k.weight", "frc.middle_block.1.transformer_blocks.0.zero_conv.bias",
                    "fors.representation_adapter.identity.weight", "fors.reference_encoder.queries", "fors.sd_adapter.norm_out.weight",
                    "vision_model.encoder.layers.1.self_attn.q_proj.weight", "region_encoder.fpn.proj.weight", "first_stage_model.encoder.mid.attn_1.q.weight"):
            self.assertIn(key, keys)
        zero_convs = [p for k, p in model.store.named((FRC,)).items() if ".zero_conv." in k]
        self.assertTrue(zero_convs and all(float(p.abs().max()) == 0.0 for p in zero_convs))

    def test_zero_frc_leaves_the_unet_output_as_without_conditions(self):
        model = FaceXModel("tiny").eval()
        latents, t = torch.randn(1, 4, 4, 4), torch.tensor([500.0])
        context = torch.randn(1, 5, 64)
        with torch.no_grad():
            a = model.unet(latents, t, context)
            for key, p in model.store.named((FRC,)).items():
                if ".attn." in key:
                    p.mul_(3.0)  # FRC attention weights do not matter while the ZeroConv is zero
            b = model.unet(latents, t, context)
        self.assertTrue(torch.equal(a, b))

    def test_a_missing_or_misshapen_tensor_is_refused_by_name(self):
        model = FaceXModel("tiny")
        tensors = {k: p.detach().clone() for k, p in model.store.named((UNET,)).items()}
        missing = "model.diffusion_model.out.2.bias"
        del tensors[missing]
        with self.assertRaises(TensorRefused) as caught:
            model.store.load(tensors, (UNET,), "sd.safetensors")
        self.assertEqual(caught.exception.key, missing)
        self.assertIn(missing, str(caught.exception))
        tensors[missing] = torch.zeros(5)
        with self.assertRaises(TensorRefused) as caught:
            model.store.load(tensors, (UNET,), "sd.safetensors")
        self.assertIn("[5]", str(caught.exception))

    def test_safetensors_round_trip(self):
        with tempfile.TemporaryDirectory() as work:
            path = os.path.join(work, "t.safetensors")
            tensors = {"a": torch.randn(2, 3), "b": torch.arange(4.0)}
            write_safetensors(path, tensors, {"k": "v"})
            read, metadata = read_safetensors(path)
            self.assertEqual(metadata, {"k": "v"})
            self.assertTrue(torch.equal(read["a"], tensors["a"]) and torch.equal(read["b"], tensors["b"]))


class TrainingTest(unittest.TestCase):
    def run_training(self, work, steps, **extra):
        options = {"preset": "tiny", "data": os.path.join(work, "data"), "out": os.path.join(work, "run"), "steps": steps, "batch": 2, "resolution": 32, "eval_samples": 1, "checkpoint_every": 2}
        options.update(extra)
        return train(options, log=lambda message: None)

    def test_trains_only_the_facex_weights_checkpoints_and_resumes(self):
        with tempfile.TemporaryDirectory() as work:
            write_dataset(os.path.join(work, "data"))
            base = FaceXModel("tiny")
            path = self.run_training(work, 3)
            state = torch.load(path)
            self.assertEqual(state["format"], CHECKPOINT_FORMAT)
            self.assertEqual(state["step"], 3)
            prefixes = {key.split(".")[0] for key in state["trainable"]}
            self.assertEqual(prefixes, {"frc", "fors"})  # region tokens as assembled: no region encoder in the loop
            moved = state["trainable"]["frc.middle_block.1.transformer_blocks.0.zero_conv.weight"]
            self.assertGreater(float(moved.abs().max()), 0.0)
            # resume continues the same run to the new step count
            path = self.run_training(work, 5)
            state = torch.load(path)
            self.assertEqual(state["step"], 5)
            self.assertEqual([r["step"] for r in state["history"]], [1, 2, 3, 4, 5])
            with open(os.path.join(work, "run", "log.jsonl")) as f:
                self.assertEqual(len(f.read().splitlines()), 5)
            model, _ = load_trained_model(path)
            frozen = "model.diffusion_model.input_blocks.0.0.weight"
            self.assertTrue(torch.equal(model.store.named()[frozen], base.store.named()[frozen]))

    def test_a_checkpoint_of_another_configuration_is_refused_by_name(self):
        with tempfile.TemporaryDirectory() as work:
            write_dataset(os.path.join(work, "data"))
            self.run_training(work, 1)
            with self.assertRaises(ValueError) as caught:
                self.run_training(work, 2, region_source="encoder")
            self.assertIn("region_source", str(caught.exception))

    def test_the_region_encoder_trains_when_it_makes_the_region_tokens(self):
        with tempfile.TemporaryDirectory() as work:
            write_dataset(os.path.join(work, "data"))
            path = self.run_training(work, 1, region_source="encoder", gradient_checkpointing=True)
            prefixes = {key.split(".")[0] for key in torch.load(path)["trainable"]}
            self.assertEqual(prefixes, {"frc", "fors", "region_encoder", "vision_model"})

    def test_a_bf16_autocast_step_with_gradient_checkpointing_runs_on_the_cpu(self):
        result = bench({"preset": "tiny", "resolution": 32, "batch": 2, "precision": "bf16", "gradient_checkpointing": True, "region_source": "encoder", "warmup": 0, "runs": 1})
        self.assertEqual(result["parameters"], 1573011)  # the tiny pack's parameter count (libs/diffusion)
        self.assertGreater(result["samples_per_second"], 0)

    def test_two_processes_train_one_run_through_ddp(self):
        # What torchrun sets, by hand: Debian 12's torch 1.13 torchrun fails under Python 3.11 before it starts.
        with tempfile.TemporaryDirectory() as work, socket.socket() as probe:
            write_dataset(os.path.join(work, "data"), count=4)
            probe.bind(("127.0.0.1", 0))
            port = str(probe.getsockname()[1])
            probe.close()
            root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
            command = [sys.executable, "-m", "facex_train", "train", "--preset", "tiny", "--data", os.path.join(work, "data"), "--out", os.path.join(work, "run"), "--steps", "2", "--batch", "4", "--resolution", "32", "--threads", "1"]
            processes = [
                subprocess.Popen(command, cwd=root, env={**os.environ, "RANK": str(r), "LOCAL_RANK": str(r), "WORLD_SIZE": "2", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": port}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                for r in range(2)
            ]
            errors = [p.communicate(timeout=240)[1].decode()[-2000:] for p in processes]
            self.assertEqual([p.returncode for p in processes], [0, 0], errors)
            state = torch.load(os.path.join(work, "run", "checkpoint.pt"))
            self.assertEqual((state["world_size"], state["step"]), (2, 2))

    def test_export_refuses_what_is_not_a_checkpoint(self):
        with tempfile.TemporaryDirectory() as work:
            path = os.path.join(work, "x.pt")
            torch.save({"format": "something else"}, path)
            with self.assertRaises(ExportRefused):
                load_trained_model(path)


if __name__ == "__main__":
    unittest.main()
