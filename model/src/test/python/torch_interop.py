#!/usr/bin/python3
"""PyTorch side of contssl's checkpoint interop tests (org.contssl.model.io.TorchInteropTest).

Builds the reference SimSiam exactly as the reference system does (docs/pytorch-interop.md): a torchvision ResNet
with zero-init residual BN whose `fc` is replaced by the 3-layer projector, and the 2-layer predictor; conv4 (no
reference counterpart) as a module with `features` (the conv stack) and `fc`. Everything runs in eval mode, so BN
uses the running statistics.

usage: torch_interop.py make <dir>...   seeded random model -> ddp.pth (reference checkpoint: DDP 'module.' keys,
                                     optimizer, sampler, epoch, arch), plain.pth (bare state_dict), legacy.pth
                                     (pre-1.6 container), missing.pth (one tensor dropped), keys.json, torch.out.bin;
                                     with "full": false in job.json only ddp.pth (state_dict and arch)
       torch_interop.py load <dir>...   loads every file of job.json "files" (.safetensors parsed by hand: Debian has
                                     no python3-safetensors; .pth with torch.load(weights_only=True)) into the
                                     reference model, strict, and writes <file>.out.bin
Outputs are float32 little-endian: for the n images of images.bin, the pooled feature h, the projector output z and
the predictor output p, one after the other.
Needs Debian's python3-torch and python3-torchvision; run with /usr/bin/python3.
"""
import copy
import json
import os
import struct
import sys

import torch
import torch.nn as nn
import torchvision


class Conv4(nn.Module):
    def __init__(self, channels, num_classes):
        super().__init__()
        layers, cin = [], channels
        for i, w in enumerate([32, 64, 128, 256]):
            layers += [nn.Conv2d(cin, w, 3, 1, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU(inplace=True)]
            if i < 3:
                layers.append(nn.MaxPool2d(2))
            cin = w
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(256, num_classes)

    def forward(self, x):
        return self.fc(torch.flatten(self.avgpool(self.features(x)), 1))


def base_encoder(job):
    arch, channels, dim = job["arch"], job["channels"], job["dim"]
    if arch == "conv4":
        return Conv4(channels, dim)
    net = getattr(torchvision.models, arch)(num_classes=dim, zero_init_residual=True)
    if job["cifar_stem"]:
        net.conv1 = nn.Conv2d(channels, 64, 3, 1, 1, bias=False)
        net.maxpool = nn.Identity()
    elif channels != 3:
        net.conv1 = nn.Conv2d(channels, 64, 7, 2, 3, bias=False)
    return net


class SimSiam(nn.Module):
    """The reference's model: the encoder's fc becomes the projector, the original fc its third Linear."""

    def __init__(self, job):
        super().__init__()
        dim, pred = job["dim"], job["pred_dim"]
        self.encoder = base_encoder(job)
        prev = self.encoder.fc.weight.shape[1]
        self.encoder.fc = nn.Sequential(
            nn.Linear(prev, prev, bias=False), nn.BatchNorm1d(prev), nn.ReLU(inplace=True),
            nn.Linear(prev, prev, bias=False), nn.BatchNorm1d(prev), nn.ReLU(inplace=True),
            self.encoder.fc, nn.BatchNorm1d(dim, affine=False))
        self.encoder.fc[6].bias.requires_grad = False
        self.predictor = nn.Sequential(
            nn.Linear(dim, pred, bias=False), nn.BatchNorm1d(pred), nn.ReLU(inplace=True), nn.Linear(pred, dim))

    def outputs(self, x):
        fc = self.encoder.fc
        self.encoder.fc = nn.Identity()
        h = self.encoder(x)
        self.encoder.fc = fc
        z = fc(h)
        return h, z, self.predictor(z)


def randomise(model):
    """Random weights and BN statistics, so every tensor matters and no residual block is the identity."""
    with torch.no_grad():
        for name, t in model.state_dict().items():
            if name.endswith("num_batches_tracked"):
                t.fill_(123)
            elif name.endswith("running_var"):
                t.uniform_(0.5, 1.5)
            elif name.endswith("running_mean") or name.endswith("bias"):
                t.normal_(0, 0.1)
            elif t.dim() == 1:  # BN weight
                t.uniform_(0.5, 1.5)


def run(model, d, job, out):
    n, c, s = job["n"], job["channels"], job["insize"]
    x = torch.frombuffer(bytearray(open(os.path.join(d, "images.bin"), "rb").read()), dtype=torch.float32)
    model.eval()
    with torch.no_grad():
        h, z, p = model.outputs(x.reshape(n, c, s, s))
    with open(out, "wb") as f:
        for t in (h, z, p):
            f.write(t.contiguous().numpy().astype("<f4").tobytes())


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    dtypes = {"F32": torch.float32, "I64": torch.int64}
    state = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        t = torch.frombuffer(bytearray(data[b:end]), dtype=dtypes[e["dtype"]]) if end > b else \
            torch.zeros(0, dtype=dtypes[e["dtype"]])
        state[name] = t.reshape(e["shape"])
    return state


def make(d, job):
    torch.manual_seed(job["seed"])
    model = SimSiam(job)
    randomise(model)
    run(model, d, job, os.path.join(d, "torch.out.bin"))
    sd = {k: v.clone() for k, v in model.state_dict().items()}
    json.dump([[k, list(v.shape)] for k, v in sd.items()], open(os.path.join(d, "keys.json"), "w"))
    # one SGD step on a copy, so the optimizer entry holds real momentum buffers as a reference checkpoint does
    other = copy.deepcopy(model)
    opt = torch.optim.SGD([{"params": [p for p in other.encoder.parameters() if p.requires_grad]},
                           {"params": list(other.predictor.parameters()), "fix_lr": True}], lr=0.05, momentum=0.9)
    for p in other.parameters():
        p.grad = torch.ones_like(p)
    opt.step()
    ddp_sd = {"module." + k: v for k, v in sd.items()}
    if not job["full"]:
        torch.save({"state_dict": ddp_sd, "arch": job["arch"]}, os.path.join(d, "ddp.pth"))
        return
    sampler = {"buffer": {"index": torch.arange(8), "seen": torch.ones(8, dtype=torch.bool),
                          "feature": torch.zeros(8, 4)}, "db_head": 8, "num_batches_seen": 2, "batch_history": [[1, 2]]}
    ckpt = {"state_dict": ddp_sd, "optimizer": opt.state_dict(), "sampler": sampler, "epoch": 0, "batch_i": 3,
            "arch": job["arch"]}
    torch.save(ckpt, os.path.join(d, "ddp.pth"))
    torch.save(ckpt, os.path.join(d, "legacy.pth"), _use_new_zipfile_serialization=False)
    torch.save(sd, os.path.join(d, "plain.pth"))
    dropped = dict(ddp_sd)
    del dropped[job["drop"]]
    torch.save({"state_dict": dropped}, os.path.join(d, "missing.pth"))


def load(d, job):
    for f in job["files"]:
        path = os.path.join(d, f)
        if f.endswith(".safetensors"):
            state = read_safetensors(path)
        else:
            state = torch.load(path, map_location="cpu", weights_only=True)["state_dict"]
        state = {k[len("module."):] if k.startswith("module.") else k: v for k, v in state.items()}
        model = SimSiam(job)
        model.load_state_dict(state, strict=True)
        run(model, d, job, path + ".out.bin")


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("make", "load"):
        raise SystemExit("usage: torch_interop.py make|load <dir>...")
    torch.set_num_threads(1)
    for d in sys.argv[2:]:
        job = json.load(open(os.path.join(d, "job.json")))
        (make if sys.argv[1] == "make" else load)(d, job)


if __name__ == "__main__":
    main()
