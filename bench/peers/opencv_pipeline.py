#!/usr/bin/python3
"""OpenCV peer of the "merge" bench suite: what a user of OpenCV's HDR module writes to merge a bracket, run as one
process like `hdrkit merge`: read the frames, cv2.AlignMTB, cv2.MergeDebevec (its default linear response), write EXR.

usage: opencv_pipeline.py OUT.exr SECONDS IMAGE...      SECONDS: comma-separated exposure times
"""
import os, sys
os.environ["OPENCV_IO_ENABLE_OPENEXR"] = "1"  # must precede the import
import numpy as np
import cv2

out, seconds, files = sys.argv[1], [float(s) for s in sys.argv[2].split(",")], sys.argv[3:]
cv2.setNumThreads(2)
frames = [cv2.imread(p) for p in files]
cv2.createAlignMTB().process(frames, frames)
radiance = cv2.createMergeDebevec().process(frames, np.array(seconds, dtype=np.float32))
if not cv2.imwrite(out, radiance.astype(np.float32)):
    sys.exit(f"could not write {out}")
