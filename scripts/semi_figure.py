#!/usr/bin/env python3
"""The docs figure of the semi recipe's validation pictures: strips from a run's semi/epoch-NNN/<scene>.png
(reference, pseudo label, normalised sigma, patch mask, pixel mask, kept area), with the scene's ground truth
appended through the same mu-law (the recipe never sees it: the scenes are unlabelled), labelled columns.

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
rows = []
for path in strips:
    strip = cv2.imread(path, cv2.IMREAD_COLOR)
    scene = os.path.splitext(os.path.basename(path))[0]
    epoch = os.path.basename(os.path.dirname(path))
    gt = cv2.imread(os.path.join(train, scene, 'HDRImg.hdr'), cv2.IMREAD_ANYDEPTH | cv2.IMREAD_COLOR)
    gt = np.log1p(MU * np.clip(gt, 0, 1)) / np.log1p(MU)
    gap = np.full((strip.shape[0], 4, 3), 128, np.uint8)
    row = np.concatenate([strip, gap, (gt * 255 + 0.5).astype(np.uint8)], 1)
    row = cv2.resize(row, None, fx=2, fy=2, interpolation=cv2.INTER_NEAREST)
    label = np.full((22, row.shape[1], 3), 255, np.uint8)
    cv2.putText(label, f'{scene}, {epoch}', (4, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
    rows += [label, row]
tile = (rows[1].shape[1] + 8) // len(names)
head = np.full((22, rows[1].shape[1], 3), 255, np.uint8)
for i, n in enumerate(names):
    cv2.putText(head, n, (i * tile + 4, 16), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
cv2.imwrite(out, np.concatenate([head] + rows, 0))
