#!/usr/bin/python3
"""PyTorch side of contssl's numerical parity check (run by org.contssl.tools.parity.ParityCheck).

Reads a directory written by the Java side:
  manifest.json  architecture, optimizer settings, per-step LRs, and the layout of init.bin / x1.bin / x2.bin
  init.bin       initial tensors (float32 little-endian, state_dict names and order)
  x1.bin, x2.bin the fixed batch of views, NCHW float32
  state<t>.bin, momentum<t>.bin  contssl's tensors and momentum buffers after step t
builds the reference SimSiam (docs/reference-system.md, SimSiam) with torch/torchvision, loads those exact weights, runs the
reference training step (two separate forward passes, symmetric negative cosine with stop-gradient, torch.optim.SGD
with two parameter groups) for the requested number of steps, and writes torch.json + torch.bin with the loss, every
gradient and every tensor after each step, in four modes: synced (torch restarts every step from contssl's previous
state), synced64 (the same in float64: the reference both float32 results are measured against), chained (torch alone
from the initial weights) and chained_alt (chained with another thread count).

Needs Debian's python3-torch and python3-torchvision; run with /usr/bin/python3.
usage: simsiam_parity.py <exchange-dir>
"""
import json
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


def conv4(channels):
    layers, cin = [], channels
    for i, w in enumerate([32, 64, 128, 256]):
        layers += [nn.Conv2d(cin, w, 3, 1, 1, bias=False), nn.BatchNorm2d(w), nn.ReLU(inplace=True)]
        if i < 3:
            layers.append(nn.MaxPool2d(2))
        cin = w
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten())


def resnet(arch, channels, cifar_stem):
    net = torchvision.models.resnet50() if arch == "resnet50" else torchvision.models.resnet18()
    if cifar_stem:
        net.conv1 = nn.Conv2d(channels, 64, 3, 1, 1, bias=False)
        net.maxpool = nn.Identity()
    elif channels != 3:
        net.conv1 = nn.Conv2d(channels, 64, 7, 2, 3, bias=False)
    net.fc = nn.Identity()
    return net


class SimSiam(nn.Module):
    def __init__(self, arch, channels, cifar_stem, feat, dim, pred):
        super().__init__()
        backbone = conv4(channels) if arch == "conv4" else resnet(arch, channels, cifar_stem)
        last = nn.Linear(feat, dim)
        last.bias.requires_grad = False  # the reference freezes the projector's final bias
        projector = nn.Sequential(
            nn.Linear(feat, feat, bias=False), nn.BatchNorm1d(feat), nn.ReLU(inplace=True),
            nn.Linear(feat, feat, bias=False), nn.BatchNorm1d(feat), nn.ReLU(inplace=True),
            last, nn.BatchNorm1d(dim, affine=False))
        self.encoder = nn.Sequential(backbone, projector)
        self.predictor = nn.Sequential(
            nn.Linear(dim, pred, bias=False), nn.BatchNorm1d(pred), nn.ReLU(inplace=True), nn.Linear(pred, dim))

    def forward(self, x1, x2):
        # reference order: z1, p1, then z2, p2 (each view is its own batch for batch norm)
        z1 = self.encoder(x1)
        p1 = self.predictor(z1)
        z2 = self.encoder(x2)
        p2 = self.predictor(z2)
        return p1, p2, z1.detach(), z2.detach()


def read_floats(path, count, offset=0):
    with open(path, "rb") as f:
        f.seek(offset * 4)
        data = f.read(count * 4)
    if len(data) != count * 4:
        raise SystemExit(f"{path}: expected {count} floats at offset {offset}, file is shorter")
    return torch.frombuffer(bytearray(data), dtype=torch.float32)


def build(m, dtype=torch.float32):
    model = SimSiam(m["arch"], m["channels"], m["cifar_stem"], m["feature_dim"], m["dim"], m["pred_dim"]).train()
    model.to(dtype)
    groups = [{"params": [p for p in model.encoder.parameters() if p.requires_grad]},
              {"params": list(model.predictor.parameters()), "fix_lr": True}]
    opt = torch.optim.SGD(groups, lr=m["lr"], momentum=m["momentum"], weight_decay=m["weight_decay"])
    return model, opt


def load_state(model, opt, m, d, state_file, momentum_file):
    """Loads contssl's tensors (and momentum buffers) into the torch model and optimizer."""
    state = {}
    for t in m["tensors"]:
        state[t["name"]] = read_floats(os.path.join(d, state_file), t["count"], t["offset"]).reshape(t["shape"])
    expected = model.state_dict()
    for k, v in expected.items():
        if k.endswith("num_batches_tracked"):
            state[k] = torch.zeros_like(v)  # unused with momentum 0.1; contssl does not keep it
    missing = sorted(set(expected) - set(state))
    extra = sorted(set(state) - set(expected))
    if missing or extra:
        raise SystemExit(f"state_dict mismatch: missing {missing[:5]} extra {extra[:5]}")
    model.load_state_dict(state, strict=True)  # casts to the model's dtype
    opt.state.clear()
    if momentum_file is not None:
        named = dict(model.named_parameters())
        for t in m["momentum_buffers"]:
            p = named[t["name"]]
            buf = read_floats(os.path.join(d, momentum_file), t["count"], t["offset"]).reshape(p.shape)
            opt.state[p]["momentum_buffer"] = buf.to(p.dtype).clone()


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: simsiam_parity.py <exchange-dir>")
    d = sys.argv[1]
    m = json.load(open(os.path.join(d, "manifest.json")))
    b, c, s = m["batch"], m["channels"], m["insize"]
    x1 = read_floats(os.path.join(d, "x1.bin"), b * c * s * s).reshape(b, c, s, s)
    x2 = read_floats(os.path.join(d, "x2.bin"), b * c * s * s).reshape(b, c, s, s)
    out_meta, chunks, offset = [], [], 0

    def record(key, tensor):
        nonlocal offset
        flat = tensor.detach().contiguous().reshape(-1).to(torch.float32)
        out_meta.append({"key": key, "shape": list(tensor.shape), "offset": offset, "count": flat.numel()})
        chunks.append(flat.numpy().tobytes())
        offset += flat.numel()

    threads = int(m.get("threads", 1))
    # synced: before each step torch takes contssl's state, so every step is compared on identical inputs;
    # synced64: the same in float64, the (nearly) exact result both float32 implementations are measured against;
    # chained: torch trains on its own from the initial weights (float32 differences compound from step to step);
    # chained_alt: chained with another thread count, torch's own run-to-run spread for the same computation
    modes = [("synced", threads, torch.float32), ("synced64", threads, torch.float64),
             ("chained", threads, torch.float32), ("chained_alt", 1 if threads > 1 else 2, torch.float32)]
    for mode, nthreads, dtype in modes:
        torch.set_num_threads(nthreads)
        model, opt = build(m, dtype)
        load_state(model, opt, m, d, "init.bin", None)
        named = dict(model.named_parameters())
        for step in m["steps"]:
            t = step["step"]
            if mode.startswith("synced") and t > 1:
                load_state(model, opt, m, d, f"state{t - 1}.bin", f"momentum{t - 1}.bin")
            # the reference's per-iteration cosine (utils.py): lr0 * 0.5 * (1 + cos(pi * t / T)), predictor fixed
            if m["schedule"] == "cos":
                ref_lr = m["lr"] * 0.5 * (1 + math.cos(math.pi * t / m["total_steps"]))
            else:
                ref_lr = m["lr"]
            if abs(ref_lr - step["lr_encoder"]) > 1e-12 * max(1.0, m["lr"]):
                raise SystemExit(f"step {t}: contssl encoder LR {step['lr_encoder']} != reference {ref_lr}")
            opt.param_groups[0]["lr"] = step["lr_encoder"]
            opt.param_groups[1]["lr"] = step["lr_predictor"]
            p1, p2, z1, z2 = model(x1.to(dtype), x2.to(dtype))
            loss = -0.5 * (F.cosine_similarity(p1, z2, dim=1).mean() + F.cosine_similarity(p2, z1, dim=1).mean())
            opt.zero_grad(set_to_none=True)
            loss.backward()
            key = f"{mode}/step{t}/"
            record(key + "loss", loss.detach().reshape(1))
            for name, p in named.items():
                if p.grad is not None:
                    record(key + "grad/" + name, p.grad)
            opt.step()
            for name, v in model.state_dict().items():
                if not name.endswith("num_batches_tracked"):
                    record(key + "tensor/" + name, v)

    with open(os.path.join(d, "torch.bin"), "wb") as f:
        for ch in chunks:
            f.write(ch)
    json.dump({"torch": torch.__version__, "threads": threads, "records": out_meta},
              open(os.path.join(d, "torch.json"), "w"))


if __name__ == "__main__":
    main()
