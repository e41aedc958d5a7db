#!/usr/bin/python3
"""Golden values for tests/HdrKit.Tests/Classical from OpenCV (python3-opencv 4.6), an independent implementation.

Writes, next to this script (all arrays little-endian, HWC, channels in the order HdrKit uses, i.e. RGB):
  mertens_frames.u8    3 synthetic 8-bit exposures, 20x36x3 each
  mertens_cv2.f32      cv2.createMergeMertens() (default weights 1,1,0) on those frames, clipped to [0,1]
  calib_frames.u8      5 synthetic 8-bit exposures, 48x64x3, through a non-gamma camera curve
  calib_cv2.f32        cv2.createCalibrateDebevec(samples=70, lambda=10, random=False) response, 256x3
  golden.json          sizes, exposure times, and cv2.AlignMTB shifts on real pairs from ../shared/data/brackets
Run: /usr/bin/python3 tests/HdrKit.Tests/Fixtures/Classical/make_golden.py
"""
import json, os
import numpy as np
import cv2

here = os.path.dirname(os.path.abspath(__file__))
out = {"opencv": cv2.__version__}

def scene(h, w):
    """Smooth log-radiance ramps with hard-edged coloured patches: edges for contrast, colour for saturation."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    base = np.exp(3.0 * (x / (w - 1)) - 1.5 + 0.8 * np.sin(y / 3.0))
    rgb = np.stack([base * (1.0 + 0.5 * np.sin(x / 4.0)), base, base * (1.0 + 0.5 * np.cos(y / 5.0))], axis=-1)
    rgb[(x // 6 + y // 5) % 2 == 0] *= np.array([1.6, 0.7, 0.9])
    return rgb

# Exposure fusion.
h, w = 20, 36
E = scene(h, w)
times = [0.125, 0.5, 2.0]
frames = [np.clip(np.round(255 * np.clip(E * t, 0, 1) ** (1 / 2.2)), 0, 255).astype(np.uint8) for t in times]
fused = cv2.createMergeMertens().process(frames)
np.stack(frames).tofile(os.path.join(here, "mertens_frames.u8"))
np.clip(fused, 0, 1).astype("<f4").tofile(os.path.join(here, "mertens_cv2.f32"))
out["mertens"] = {"width": w, "height": h, "frames": len(frames)}

# Debevec-Malik calibration: a camera curve that is not a pure gamma (toe and shoulder).
h, w = 48, 64
E = scene(h, w) * 0.6
times = [1 / 64, 1 / 16, 1 / 4, 1.0, 4.0]
def camera(v):
    v = np.clip(v, 0, 1)
    return (v ** 0.45) * (1.2 - 0.2 * v)
frames = [np.clip(np.round(255 * np.clip(camera(E * t), 0, 1)), 0, 255).astype(np.uint8) for t in times]
response = cv2.createCalibrateDebevec(samples=70, lambda_=10.0, random=False).process(frames, np.array(times, dtype=np.float32))
np.stack(frames).tofile(os.path.join(here, "calib_frames.u8"))
response.reshape(256, 3).astype("<f4").tofile(os.path.join(here, "calib_cv2.f32"))
out["calibration"] = {"width": w, "height": h, "times": times}

# MTB on real pairs (grey = Rec. 601 luma of RGB, 8 bits): hand-held pingpong, and a tripod pair of memorial.
brackets = os.path.join(here, "..", "..", "..", "..", "..", "shared", "data", "brackets")
if os.path.isdir(brackets):
    def grey(path):
        return cv2.cvtColor(cv2.imread(os.path.join(brackets, path)), cv2.COLOR_BGR2GRAY)
    mtb = cv2.createAlignMTB()  # 6 levels, exclude range 4
    pairs = [("pingpong/Img2.JPG", "pingpong/Img1.JPG"), ("pingpong/Img2.JPG", "pingpong/Img3.JPG"),
             ("memorial/memorial0068.png", "memorial/memorial0066.png")]
    out["mtb"] = {f"{a}->{b}": list(mtb.calculateShift(grey(a), grey(b))) for a, b in pairs}

with open(os.path.join(here, "golden.json"), "w") as f:
    json.dump(out, f, indent=1)
print(json.dumps(out))
