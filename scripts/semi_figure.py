#!/usr/bin/env python3
"""The docs figure of the semi recipe's validation pictures: strips from a run's semi/epoch-NNN/<scene>.png
(reference, pseudo label, normalised sigma, patch mask, pixel mask, kept area), with the scene's ground truth
appended through the same mu-law (the recipe never sees it: the scenes are unlabelled), labelled columns.

A scene without ground truth under TRAIN_SCENES (a real bracket drawn by `train --pictures`) gets no ground-truth
column; its strip is laid out three tiles to a row at its own size when it is large.

usage:
  /usr/bin/python3 scripts/semi_figure.py OUT.png TRAIN_SCENES STRIP.png [STRIP.png ...]
e.g. scripts/semi_figure.py docs/images/semi-pseudo-labels.png runs/semi-table/train runs/semi-table/b-s1/semi/epoch-020/scene000{0,1}.png
"""
import os, sys
import cv2
import numpy as np

MU = 5000.0
out, train, strips = sys.argv[1], sys.argv[2], sys.argv[3:]
names = ['reference', 'pseudo label', 'sigma (norm.)', 'patch mask', 'pixel mask', 'kept', 'ground truth']
GAP = 4


def text_bar(width, texts, tile):
    bar = np.full((22, width, 3), 255, np.uint8)
    for i, t in enumerate(texts):
        cv2.putText(bar, t, (i * tile + 4, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
    return bar


rows = []
with_gt = True
for path in strips:
    strip = cv2.imread(path, cv2.IMREAD_COLOR)
    scene = os.path.splitext(os.path.basename(path))[0]
    epoch = os.path.basename(os.path.dirname(path))
    gt_path = os.path.join(train, scene, 'HDRImg.hdr')
    if os.path.exists(gt_path):
        gt = cv2.imread(gt_path, cv2.IMREAD_ANYDEPTH | cv2.IMREAD_COLOR)
        gt = np.log1p(MU * np.clip(gt, 0, 1)) / np.log1p(MU)
        gap = np.full((strip.shape[0], GAP, 3), 128, np.uint8)
        row = np.concatenate([strip, gap, (gt * 255 + 0.5).astype(np.uint8)], 1)
        row = cv2.resize(row, None, fx=2, fy=2, interpolation=cv2.INTER_NEAREST)
        rows += [text_bar(row.shape[1], [f'{scene}, {epoch}'], 0), row]
        continue
    with_gt = False
    w = (strip.shape[1] - 5 * GAP) // 6
    tiles = [strip[:, i * (w + GAP):i * (w + GAP) + w] for i in range(6)]
    for r in range(2):
        parts = []
        for t in tiles[3 * r:3 * r + 3]:
            parts += [t, np.full((strip.shape[0], GAP, 3), 128, np.uint8)]
        row = np.concatenate(parts[:-1], 1)
        rows += [text_bar(row.shape[1], names[3 * r:3 * r + 3], w + GAP), row]
if with_gt:
    tile = (rows[1].shape[1] + 8) // len(names)
    rows = [text_bar(rows[1].shape[1], names, tile)] + rows
cv2.imwrite(out, np.concatenate(rows, 0))
