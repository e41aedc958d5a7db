#!/usr/bin/env python3
"""Peer for the `skb` bench suite: scikit-image's Felzenszwalb segmentation (Cython) on the same 1500x1000
centre crop of pingpong/Img2.JPG with the SKB's settings (k=500, sigma=0.8, min_size=1000), median of N runs.

usage: /usr/bin/python3 bench/peers/felzenszwalb_skimage.py <shared>/data/brackets/pingpong/Img2.JPG [runs]
"""
import sys, time
import cv2
import numpy as np
from skimage.segmentation import felzenszwalb

img = cv2.imread(sys.argv[1])
if img is None:
    sys.exit(f"cannot read {sys.argv[1]}")
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
h, w = img.shape[:2]
y0, x0 = (h - 1000) // 2, (w - 1500) // 2
rgb = np.ascontiguousarray(img[y0:y0 + 1000, x0:x0 + 1500, ::-1]).astype(np.float64) / 255.0
felzenszwalb(rgb, scale=500, sigma=0.8, min_size=1000)  # warm-up
times = []
for _ in range(runs):
    t = time.perf_counter()
    seg = felzenszwalb(rgb, scale=500, sigma=0.8, min_size=1000)
    times.append(time.perf_counter() - t)
times.sort()
print(f"skimage felzenszwalb 1500x1000: median {times[len(times) // 2]:.2f} s, min {times[0]:.2f} s, {len(np.unique(seg))} segments")
