#!/usr/bin/python3
"""Writes the metric fixtures and their expected values, computed independently of HdrKit.

Run with Debian's interpreter (numpy 1.24, scikit-image 0.19.3):
    /usr/bin/python3 tests/HdrKit.Tests/Fixtures/Metrics/make_golden.py

Each pair is stored as two raw little-endian float32 files in HWC order (<name>_pred.bin, <name>_gt.bin);
golden.json lists shapes and the expected numbers. Everything is computed in float64 from the float32 samples
written to disk, so the goldens are what the stored bytes imply.

Conventions (docs/metrics.md):
  PSNR = 10*log10(1/MSE) over all samples of one image (data range 1), checked against skimage's PSNR.
  SSIM = skimage.metrics.structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
         data_range=1, channel_axis=-1): 11x11 Gaussian (truncate 3.5), K1 0.01, K2 0.03, population
         covariance, mean of the SSIM map after cropping 5 pixels from every border, mean over channels.
  mu-law T(H) = log(1 + 5000 H) / log(1 + 5000).
  Evaluation policy "clip": prediction and ground truth clipped to [0,1] before the metrics.
  Evaluation policy "normalize": both divided by max(gt) when that exceeds 1, then clipped to [0,1].
"""
import json
import os

import numpy as np
import skimage
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

HERE = os.path.dirname(os.path.abspath(__file__))
H, W = 48, 64
MU = 5000.0
rng = np.random.default_rng(20261123)


def mu_law(h):
    return np.log1p(MU * h) / np.log1p(MU)


def psnr(a, b):
    mse = np.mean((a - b) ** 2)
    ours = 10.0 * np.log10(1.0 / mse)
    ref = peak_signal_noise_ratio(b, a, data_range=1.0)
    assert abs(ours - ref) < 1e-9, (ours, ref)
    return float(ours)


def ssim(a, b):
    return float(structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                       data_range=1.0, channel_axis=-1))


def four_metrics(pred, gt):
    return {
        "psnr_mu": psnr(mu_law(pred), mu_law(gt)),
        "psnr_l": psnr(pred, gt),
        "ssim_mu": ssim(mu_law(pred), mu_law(gt)),
        "ssim_l": ssim(pred, gt),
    }


def smooth_pair():
    y, x = np.mgrid[0:H, 0:W].astype(np.float64)
    # Radiance spanning three decades left to right, so the mu-law and linear metrics weigh different regions.
    base = 10.0 ** (-3.0 + 3.0 * x / (W - 1)) * (0.55 + 0.45 * y / (H - 1))
    gt = np.stack([base, 0.8 * base, 0.6 * base + 0.002], axis=-1)
    wobble = 1.0 + 0.04 * np.sin(x / 7.0)[..., None] * np.cos(y / 5.0)[..., None]
    pred = np.clip(gt * wobble * np.array([1.0, 0.98, 1.03]), 0.0, 1.0)
    return pred, gt


def noisy_pair():
    texture = rng.uniform(0.0, 1.0, size=(H, W, 3)) ** 3
    gt = np.clip(texture, 0.0, 1.0)
    pred = np.clip(gt + rng.normal(0.0, 0.03, size=gt.shape) * (gt + 0.02), 0.0, 1.0)
    return pred, gt


def over_range_pair():
    y, x = np.mgrid[0:H, 0:W].astype(np.float64)
    base = 0.02 + 0.5 * (x / (W - 1)) * (y / (H - 1))
    highlight = 5.5 * np.exp(-(((x - 44) / 6.0) ** 2 + ((y - 16) / 5.0) ** 2))
    gt = np.stack([base + highlight, base + 0.9 * highlight, base + 0.7 * highlight], axis=-1)
    # A sigmoid-headed network cannot exceed 1; this one also blurs the highlight and adds a little noise.
    pred = np.clip(0.97 * np.minimum(gt, 1.0) + rng.normal(0.0, 0.005, size=gt.shape), 0.0, 1.0)
    return pred, gt


def store(name, arr):
    f32 = np.ascontiguousarray(arr, dtype="<f4")
    f32.tofile(os.path.join(HERE, name))
    return f32.astype(np.float64)  # the golden values follow the bytes on disk


def main():
    pairs = {}
    for name, make in [("smooth", smooth_pair), ("noisy", noisy_pair), ("over_range", over_range_pair)]:
        pred, gt = make()
        pred = store(f"{name}_pred.bin", pred)
        gt = store(f"{name}_gt.bin", gt)
        s = max(1.0, gt.max())
        pairs[name] = {
            "pred": f"{name}_pred.bin",
            "gt": f"{name}_gt.bin",
            "gt_max": float(gt.max()),
            # The raw metric functions, no clipping: what Psnr/Ssim must return for these samples as given.
            "raw": {"psnr_l": psnr(pred, gt), "ssim_l": ssim(pred, gt)},
            "clip": four_metrics(np.clip(pred, 0, 1), np.clip(gt, 0, 1)),
            "normalize": four_metrics(np.clip(pred / s, 0, 1), np.clip(gt / s, 0, 1)),
        }
    doc = {
        "generator": "make_golden.py",
        "numpy": np.__version__,
        "skimage": skimage.__version__,
        "shape_hwc": [H, W, 3],
        "dtype": "float32 little-endian, HWC (interleaved)",
        "pairs": pairs,
    }
    with open(os.path.join(HERE, "golden.json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
