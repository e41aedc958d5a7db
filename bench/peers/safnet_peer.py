#!/usr/bin/python3
"""PyTorch peer for the `safnet` bench suite: the authors' SAFNet-S forward on the same input layout and size.

    /usr/bin/python3 bench/peers/safnet_peer.py <authors' checkout> [--size 1500x1000] [--runs 3] [--threads N]

<authors' checkout> is github.com/ltkong218/SAFNet extracted OUTSIDE this repository (e.g. /tmp/safnet-ref); it is
imported, never copied. Weights: ../shared/models/safnet-s/SAFNet_S_siggraph17.pth when present.
"""
import argparse
import os
import statistics
import sys
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument('checkout')
parser.add_argument('--size', default='1500x1000')
parser.add_argument('--runs', type=int, default=3)
parser.add_argument('--warmup', type=int, default=1)
parser.add_argument('--threads', type=int, default=int(os.environ.get('HDRKIT_THREADS', os.cpu_count())))
args = parser.parse_args()

sys.path.insert(0, args.checkout)
from models.SAFNet_S import SAFNet_S  # noqa: E402

torch.set_num_threads(args.threads)
w, h = (int(v) for v in args.size.split('x'))
model = SAFNet_S().eval()
weights = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'shared', 'models', 'safnet-s', 'SAFNet_S_siggraph17.pth')
if os.path.exists(weights):
    model.load_state_dict(torch.load(weights, map_location='cpu'))

imgs = []
for t in (1.0, 4.0, 16.0):
    ldr = torch.rand(1, 3, h, w)
    imgs.append(torch.cat([ldr ** 2.2 / t, ldr], 1))

times = []
with torch.no_grad():
    for i in range(args.warmup + args.runs):
        start = time.perf_counter()
        model(*imgs)
        if i >= args.warmup:
            times.append((time.perf_counter() - start) * 1000)
median = statistics.median(times)
mp = w * h / 1e6
print(f'pytorch {torch.__version__} safnet-s {w}x{h}, threads {torch.get_num_threads()}: median {median:.0f} ms '
      f'({median / mp:.0f} ms/MP), runs [{", ".join(f"{t:.0f}" for t in times)}] ms')
