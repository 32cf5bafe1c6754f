#!/usr/bin/python3
"""PIL + torchvision baseline of contssl's image loader, timed the way `bench loader` times contssl's.

Per image: read the JPEG, decode it with PIL (`Image.open(...).convert("RGB")`), then two SimSiam views with the
reference's torchvision pipeline (docs/reference-system.md section 4): RandomResizedCrop(224, scale 0.2-1),
ColorJitter(0.4, 0.4, 0.4, 0.1) with p 0.8, RandomGrayscale(0.2), PIL GaussianBlur(sigma in [0.1, 2]) with p 0.5,
horizontal flip, ToTensor, Normalize. One process per worker, each with one torch thread, so N workers use N cores
(a DataLoader with N workers does the same). Prints one JSON line.

Needs Debian's python3-torch, python3-torchvision and python3-pil; run with /usr/bin/python3.
usage: loader_bench.py --list FILE [--workers 1] [--seconds 3] [--size 224]
"""
import argparse
import json
import multiprocessing as mp
import os
import random
import resource
import time

import PIL
import torch
import torchvision
from PIL import Image, ImageFilter
from torchvision import transforms


class PilGaussianBlur:
    """The reference's blur: PIL's GaussianBlur with a radius drawn uniformly from [0.1, 2.0]."""

    def __init__(self, sigma=(0.1, 2.0)):
        self.sigma = sigma

    def __call__(self, img):
        return img.filter(ImageFilter.GaussianBlur(radius=random.uniform(self.sigma[0], self.sigma[1])))


def simsiam_transform(size):
    return transforms.Compose([
        transforms.RandomResizedCrop(size, scale=(0.2, 1.0)),
        transforms.RandomApply([transforms.ColorJitter(0.4, 0.4, 0.4, 0.1)], p=0.8),
        transforms.RandomGrayscale(p=0.2),
        transforms.RandomApply([PilGaussianBlur((0.1, 2.0))], p=0.5),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ])


def load(path, tf):
    with open(path, "rb") as f:
        img = Image.open(f).convert("RGB")
    return tf(img), tf(img)


def worker(args):
    files, size, seconds, offset, seed = args
    torch.set_num_threads(1)
    random.seed(seed)
    torch.manual_seed(seed)
    tf = simsiam_transform(size)
    n = len(files)
    i = offset
    warm_end = time.perf_counter() + 0.3 * seconds
    while time.perf_counter() < warm_end:
        load(files[i % n], tf)
        i += 1
    done = 0
    c0 = time.process_time()
    t0 = time.perf_counter()
    end = t0 + seconds
    while True:
        v1, v2 = load(files[i % n], tf)
        i += 1
        done += 1
        now = time.perf_counter()
        if now >= end:
            break
    return done, now - t0, time.process_time() - c0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--list", required=True, help="text file, one JPEG path per line")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--size", type=int, default=224)
    a = ap.parse_args()
    with open(a.list) as f:
        files = [line.strip() for line in f if line.strip()]
    if a.workers == 1:
        results = [worker((files, a.size, a.seconds, 0, 1))]
    else:
        with mp.get_context("fork").Pool(a.workers) as pool:
            results = pool.map(worker, [(files, a.size, a.seconds, w * 7919, w + 1) for w in range(a.workers)])
    images = sum(r[0] for r in results)
    rate = sum(r[0] / r[1] for r in results)
    cpu = sum(r[2] for r in results)
    print(json.dumps({"engine": "pil+torchvision", "pil": PIL.__version__, "torch": torch.__version__,
                      "torchvision": torchvision.__version__, "workers": a.workers, "images": images,
                      "img_per_s": round(rate, 2), "img_per_s_per_worker": round(rate / a.workers, 2),
                      "cpu_us_per_image": round(1e6 * cpu / images, 1),
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}))


if __name__ == "__main__":
    main()
