#!/usr/bin/python3
"""scikit-image peer for the `metrics` bench suite: the four HDR metrics on one pair, timed.

    /usr/bin/python3 bench/peers/metrics_skimage.py PRED.bin GT.bin WIDTH HEIGHT REPEATS DTYPE

PRED/GT are raw little-endian float32, HWC, RGB (the bench writes them). DTYPE is float64 (the convention the
goldens use) or float32 (skimage then filters in float32). Prints one JSON line: per-repeat seconds and the metrics.
Same conventions as HdrKit.Metrics.HdrEvaluation with RangePolicy.Clip (see docs/metrics.md).
"""
import json
import sys
import time

import numpy as np
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

MU = 5000.0


def evaluate(pred, gt):
    pred = np.clip(pred, 0, 1)
    gt = np.clip(gt, 0, 1)
    mp = np.log1p(MU * pred) / np.log1p(MU)
    mg = np.log1p(MU * gt) / np.log1p(MU)
    ssim = dict(gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1.0, channel_axis=-1)
    return {
        "psnr_mu": float(peak_signal_noise_ratio(mg, mp, data_range=1.0)),
        "psnr_l": float(peak_signal_noise_ratio(gt, pred, data_range=1.0)),
        "ssim_mu": float(structural_similarity(mp, mg, **ssim)),
        "ssim_l": float(structural_similarity(pred, gt, **ssim)),
    }


def main():
    pred_path, gt_path, w, h, repeats, dtype = sys.argv[1:7]
    shape = (int(h), int(w), 3)
    pred = np.fromfile(pred_path, dtype="<f4").reshape(shape).astype(dtype)
    gt = np.fromfile(gt_path, dtype="<f4").reshape(shape).astype(dtype)
    times = []
    metrics = None
    for _ in range(int(repeats)):
        t0 = time.perf_counter()
        metrics = evaluate(pred, gt)
        times.append(time.perf_counter() - t0)
    print(json.dumps({"seconds": times, "metrics": metrics}))


if __name__ == "__main__":
    main()
