"""How the semi recipe's cached σ relates to the pseudo labels' real error, and what each mask rule keeps.

Usage: /usr/bin/python3 scripts/semi_sigma_check.py CHECKPOINT.safetensors TRAIN_SCENES_FOLDER
Reads the pseudo-label cache of a `semi` checkpoint (label, sigma per unlabelled scene) and the scenes' ground
truth (simulated scenes keep it on disk even when the run treats them as unlabelled), then prints σ's border
profile and quantiles, the σ–error correlation, the error of kept against dropped pixels at σ thresholds, and
the kept shares under per-image min–max and global-quantile normalisation (docs/methods.md §Semi-supervised).
"""
import json, struct, sys
import numpy as np
import cv2

MU = 5000.0
mu = lambda x: np.log1p(MU * np.clip(x, 0, 1)) / np.log1p(MU)


def read(path):
    with open(path, 'rb') as f:
        n = struct.unpack('<Q', f.read(8))[0]
        header = json.loads(f.read(n))
        base = 8 + n
        dtypes = {'F32': np.float32, 'F64': np.float64, 'U8': np.uint8}

        def get(key):
            e = header[key]
            f.seek(base + e['data_offsets'][0])
            raw = f.read(e['data_offsets'][1] - e['data_offsets'][0])
            return np.frombuffer(raw, dtype=dtypes[e['dtype']]).reshape(e['shape'])

        index = json.loads(get('recipe.pseudo.index').tobytes())
        return [(r['Id'], get(f'recipe.pseudo.{i}/label'), get(f'recipe.pseudo.{i}/sigma')[0]) for i, r in enumerate(index)]


def masks(n, patch=64, tau=0.4):
    keep_patch = np.ones_like(n)
    for y in range(0, n.shape[1], patch):
        for x in range(0, n.shape[2], patch):
            m = n[:, y:y + patch, x:x + patch].mean(axis=(1, 2))
            keep_patch[:, y:y + patch, x:x + patch] *= (m <= tau)[:, None, None]
    keep_pixel = (n <= tau).astype(np.float32)
    return keep_patch.mean(), keep_pixel.mean(), (keep_patch * keep_pixel).mean()


def main(checkpoint, scenes):
    entries = read(checkpoint)
    sigma = np.stack([s for _, _, s in entries])
    error = []
    for sid, label, _ in entries:
        gt = cv2.imread(f'{scenes}/{sid}/HDRImg.hdr', cv2.IMREAD_UNCHANGED)[:, :, ::-1].transpose(2, 0, 1)
        error.append(np.abs(mu(label) - mu(gt)).mean(0))
    error = np.stack(error)
    inner = np.zeros(sigma.shape[1:], bool)
    inner[4:-4, 4:-4] = True
    print(f'{len(entries)} scenes {sigma.shape[1]}x{sigma.shape[2]}; mean |μ-law error| of the pseudo labels {error.mean():.4f}')
    print('σ by column 0..7 ', np.round([sigma[:, :, i].mean() for i in range(8)], 4))
    print('σ by row 0..7    ', np.round([sigma[:, i, :].mean() for i in range(8)], 4))
    qs = (0, .01, .5, .99, .999, 1)
    print('σ quantiles', qs, 'all', np.round(np.quantile(sigma, qs), 4), 'interior', np.round(np.quantile(sigma[:, inner], qs), 4))
    print(f'error: border {error[:, ~inner].mean():.4f}, interior {error[:, inner].mean():.4f}')
    print(f'corr(σ, error): all {np.corrcoef(sigma.ravel(), error.ravel())[0, 1]:.3f}, interior {np.corrcoef(sigma[:, inner].ravel(), error[:, inner].ravel())[0, 1]:.3f}')
    for q in (.25, .5, .75, .9):
        t = np.quantile(sigma[:, inner], q)
        k = sigma <= t
        print(f'σ ≤ {t:.4f} (interior q{q}): keeps {k.mean():.3f}, error kept {error[k].mean():.4f}, dropped {error[~k].mean():.4f}')
    lo, hi = sigma.min((1, 2), keepdims=True), sigma.max((1, 2), keepdims=True)
    print('image min–max, border counted: patch/pixel/both kept', np.round(masks((sigma - lo) / (hi - lo)), 4))
    lo, hi = np.quantile(sigma[:, inner], [.01, .99])
    n = np.clip((sigma - lo) / (hi - lo), 0, 1)
    pk, xk, both = masks(n)
    k = n <= 0.4
    print(f'global 1–99 % interior quantiles ({lo:.4f}, {hi:.4f}): patch/pixel/both kept {pk:.4f} {xk:.4f} {both:.4f}; '
          f'error of pixel-kept {error[k].mean():.4f}, dropped {error[~k].mean():.4f}')


if __name__ == '__main__':
    main(*sys.argv[1:3])
