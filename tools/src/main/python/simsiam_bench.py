#!/usr/bin/python3
"""PyTorch baseline of contssl's SimSiam training step, timed the way `bench train` times contssl's.

The model is the one the parity check uses (simsiam_parity.SimSiam: torchvision backbone, 3-layer projector with
the frozen final bias, 2-layer predictor) with contssl's widths for the architecture (SimSiamSpec); one step is two
forward passes, the symmetric negative cosine with stop-gradient, backward, torch.optim.SGD (momentum 0.9, weight
decay 1e-4, encoder and predictor as two parameter groups) on a fixed random batch. Prints one JSON line.

Needs Debian's python3-torch and python3-torchvision; run with /usr/bin/python3.
usage: simsiam_bench.py --arch conv4|resnet18|resnet50 [--size 32] [--channels 3] [--batch 128] [--warmup 5]
                        [--steps 20] [--threads 2] [--cifar-stem auto|yes|no] [--json]
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from simsiam_parity import SimSiam  # noqa: E402

# (backbone feature, projector output, predictor hidden): contssl's SimSiamSpec widths
WIDTHS = {"conv4": (256, 512, 128), "resnet18": (512, 512, 128), "resnet50": (2048, 2048, 512)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", default="conv4", choices=sorted(WIDTHS))
    ap.add_argument("--size", type=int, default=32)
    ap.add_argument("--channels", type=int, default=3)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cifar-stem", default="auto", choices=["auto", "yes", "no"])
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    # contssl's default: the 3x3 stride-1 stem without max-pool for inputs up to 64 px
    cifar = a.size <= 64 if a.cifar_stem == "auto" else a.cifar_stem == "yes"

    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = SimSiam(a.arch, a.channels, cifar, *WIDTHS[a.arch]).train()
    groups = [{"params": [p for p in model.encoder.parameters() if p.requires_grad]},
              {"params": list(model.predictor.parameters())}]
    opt = torch.optim.SGD(groups, lr=0.05, momentum=0.9, weight_decay=1e-4)
    x1 = torch.randn(a.batch, a.channels, a.size, a.size)
    x2 = torch.randn(a.batch, a.channels, a.size, a.size)
    times = []
    cpu = []
    for i in range(a.warmup + a.steps):
        c0 = time.process_time()
        t0 = time.perf_counter()
        p1, p2, z1, z2 = model(x1, x2)
        loss = -0.5 * (F.cosine_similarity(p1, z2, dim=1).mean() + F.cosine_similarity(p2, z1, dim=1).mean())
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        loss.item()  # waits for the step like contssl's timing does
        if i >= a.warmup:
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
    med = statistics.median(times)
    result = {"engine": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(), "arch": a.arch,
              "size": a.size, "channels": a.channels, "cifar_stem": cifar, "batch": a.batch,
              "median_step_s": round(med, 5),
              "median_step_cpu_s": round(statistics.median(cpu), 5), "img_per_s": round(a.batch / med, 2),
              "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}
    print(json.dumps(result) if a.json else "RESULT " + " ".join(f"{k}={v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
