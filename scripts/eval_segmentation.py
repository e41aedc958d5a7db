#!/usr/bin/env python3
"""Segment-everything quality on the fixed validation set: adjusted Rand index and boundary F-score of the SKB's
class-agnostic segment map against the simulator's ground-truth segments.png, mean over scenes.

usage:
  hdrkit simulate --preset validation -o VAL
  /usr/bin/python3 scripts/eval_segmentation.py VAL [--out OUTDIR] [--hdrkit ./src/HdrKit.Cli/bin/Release/net10.0/linux-x64/HdrKit.Cli]
                                                    [--picture docs/semantic-validation.png]

For every scene folder it runs `hdrkit segment <LDR TIFFs> --ids OUTDIR/<scene>.png` (the middle TIFF is the
reference, as in training) unless that file exists, then scores it. The metrics are implemented here from their
definitions (numpy/scipy), independently of HdrKit; scikit-image's felzenszwalb with the same k, sigma and
minimum area is scored alongside as an outside reference point.
ARI: Hubert & Arabie 1985 over all pixel pairs. Boundary F: BSDS-style, boundaries = pixels whose 4-neighbour
has another id, matched within a tolerance of 0.0075 x image diagonal (Euclidean distance transform).
"""
import argparse, glob, os, subprocess, sys
import cv2
import numpy as np
from scipy.ndimage import distance_transform_edt
from skimage.segmentation import felzenszwalb


def ari(a, b):
    a = np.unique(a.ravel(), return_inverse=True)[1]
    b = np.unique(b.ravel(), return_inverse=True)[1]
    n = a.size
    table = np.bincount(a * (b.max() + 1) + b).astype(np.float64)
    comb = lambda x: (x * (x - 1) / 2).sum()
    sum_ij = comb(table)
    sum_a = comb(np.bincount(a).astype(np.float64))
    sum_b = comb(np.bincount(b).astype(np.float64))
    expected = sum_a * sum_b / (n * (n - 1) / 2)
    top = (sum_a + sum_b) / 2
    return 1.0 if top == expected else (sum_ij - expected) / (top - expected)


def boundaries(ids):
    edge = np.zeros(ids.shape, bool)
    edge[:, :-1] |= ids[:, :-1] != ids[:, 1:]
    edge[:-1, :] |= ids[:-1, :] != ids[1:, :]
    return edge


def boundary_f(pred, gt):
    tol = 0.0075 * np.hypot(*gt.shape)
    bp, bg = boundaries(pred), boundaries(gt)
    if not bp.any() and not bg.any():
        return 1.0
    if not bp.any() or not bg.any():
        return 0.0
    precision = (distance_transform_edt(~bg)[bp] <= tol).mean()
    recall = (distance_transform_edt(~bp)[bg] <= tol).mean()
    return 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)


def read_ids(path):
    img = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if img is None:
        sys.exit(f"cannot read {path}")
    return img.astype(np.int64)


def colorize(ids):
    rng = np.random.default_rng(1)
    lut = rng.integers(40, 256, size=(ids.max() + 1, 3), dtype=np.uint8)
    return lut[ids]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("val")
    ap.add_argument("--out", default="skb-eval")
    ap.add_argument("--hdrkit", default=os.path.join(os.path.dirname(__file__), "..", "hdrkit"))
    ap.add_argument("--picture")
    ap.add_argument("--k", type=float, default=500)
    ap.add_argument("--sigma", type=float, default=0.8)
    ap.add_argument("--min-area", type=float, default=1000 / 1.5e6)
    ap.add_argument("--no-class-boundaries", action="store_true", help="pass through to hdrkit segment (ablation of the DeepLab veto)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rows, panels = [], []
    for scene in sorted(d for d in glob.glob(os.path.join(args.val, "*")) if os.path.isfile(os.path.join(d, "exposure.txt"))):
        name = os.path.basename(scene)
        tiffs = sorted(glob.glob(os.path.join(scene, "*.tif")))
        ids_path = os.path.join(args.out, name + ".png")
        if not os.path.exists(ids_path):
            subprocess.run([args.hdrkit, "segment", *tiffs, "-o", os.path.join(args.out, name + ".preview.png"), "--ids", ids_path,
                            "--k", str(args.k), "--sigma", str(args.sigma), "--min-area", str(args.min_area)]
                           + (["--no-class-boundaries"] if args.no_class_boundaries else []),
                           check=True, stdout=subprocess.DEVNULL)
        gt, pred = read_ids(os.path.join(scene, "segments.png")), read_ids(ids_path)
        ref = cv2.imread(tiffs[len(tiffs) // 2], cv2.IMREAD_UNCHANGED)
        ref8 = (ref / 257).astype(np.uint8) if ref.dtype == np.uint16 else ref
        sk = felzenszwalb(ref8[:, :, ::-1].astype(np.float64) / 255, scale=args.k, sigma=args.sigma,
                          min_size=max(1, round(args.min_area * gt.size)))
        rows.append((name, len(np.unique(gt)), len(np.unique(pred)), ari(pred, gt), boundary_f(pred, gt),
                     len(np.unique(sk)), ari(sk, gt), boundary_f(sk, gt)))
        print("%s  GT %3d  ours %3d ARI %.3f BF %.3f   skimage %3d ARI %.3f BF %.3f" % rows[-1], flush=True)
        if len(panels) < 4:
            panels.append(np.hstack([ref8, colorize(gt)[:, :, ::-1], colorize(pred)[:, :, ::-1]]))
    m = np.array([r[1:] for r in rows], dtype=np.float64).mean(0)
    print(f"mean over {len(rows)} scenes: GT {m[0]:.1f} segments; ours {m[1]:.1f} segments, ARI {m[2]:.3f}, boundary F {m[3]:.3f}; "
          f"skimage {m[4]:.1f} segments, ARI {m[5]:.3f}, boundary F {m[6]:.3f}")
    if args.picture and panels:
        cv2.imwrite(args.picture, np.vstack(panels))
        print(f"wrote {args.picture} (columns: reference, ground truth, ours)")


if __name__ == "__main__":
    main()
