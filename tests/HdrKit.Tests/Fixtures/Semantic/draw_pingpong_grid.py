#!/usr/bin/env python3
"""Draws the gridded half-size preview of pingpong/Img2.JPG used to read pingpong_person_box.json by eye.

usage: /usr/bin/python3 draw_pingpong_grid.py <shared>/data/brackets/pingpong/Img2.JPG out.png
Grid lines every 100 px of the full-resolution image, labelled in full-resolution pixels; the
player box (red) and torso box (green) from the JSON are drawn on top for checking.
"""
import json, os, sys
import cv2

src, dst = sys.argv[1], sys.argv[2]
box = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pingpong_person_box.json")))
img = cv2.imread(src)
if img is None:
    sys.exit(f"cannot read {src}")
s = cv2.resize(img, (img.shape[1] // 2, img.shape[0] // 2), interpolation=cv2.INTER_AREA)
h, w = s.shape[:2]
for x in range(0, w, 50):
    cv2.line(s, (x, 0), (x, h - 1), (0, 255, 255), 1)
    cv2.putText(s, str(2 * x), (x + 2, 12), cv2.FONT_HERSHEY_SIMPLEX, 0.35, (0, 255, 255), 1)
for y in range(0, h, 50):
    cv2.line(s, (0, y), (w - 1, y), (0, 255, 255), 1)
    cv2.putText(s, str(2 * y), (2, y + 12), cv2.FONT_HERSHEY_SIMPLEX, 0.35, (0, 255, 255), 1)
for key, colour in (("player_box_xyxy", (0, 0, 255)), ("torso_box_xyxy", (0, 255, 0))):
    x0, y0, x1, y1 = (v // 2 for v in box[key])
    cv2.rectangle(s, (x0, y0), (x1 - 1, y1 - 1), colour, 2)
cv2.imwrite(dst, s)
