#!/usr/bin/python3
"""OpenCV peer of the "classical" bench suite: cv2.MergeDebevec with a given response and cv2.MergeMertens.

usage: opencv_merge.py OUT_DIR RESPONSE_F32 SECONDS IMAGE...
  RESPONSE_F32: 256x3 float32 inverse response (the same table the C# side uses); SECONDS: comma-separated.
Writes OUT_DIR/debevec.f32 and OUT_DIR/mertens.f32 (HWC RGB float32) and prints JSON with median timings.
"""
import json, sys, time
import numpy as np
import cv2

out, response_path, seconds = sys.argv[1], sys.argv[2], [float(s) for s in sys.argv[3].split(",")]
frames = [cv2.cvtColor(cv2.imread(p), cv2.COLOR_BGR2RGB) for p in sys.argv[4:]]
response = np.fromfile(response_path, "<f4").reshape(256, 1, 3)
times = np.array(seconds, dtype=np.float32)

def timed(fn, runs=3):
    ts, result = [], None
    for _ in range(runs):
        t = time.perf_counter(); result = fn(); ts.append(time.perf_counter() - t)
    return result, float(np.median(ts))

cv2.setNumThreads(2)
debevec, t_debevec = timed(lambda: cv2.createMergeDebevec().process(frames, times, response))
mertens, t_mertens = timed(lambda: cv2.createMergeMertens().process(frames))
debevec.astype("<f4").tofile(f"{out}/debevec.f32")
np.clip(mertens, 0, 1).astype("<f4").tofile(f"{out}/mertens.f32")
print(json.dumps({"debevec_s": t_debevec, "mertens_s": t_mertens, "opencv": cv2.__version__}))
