#!/usr/bin/python3
"""Makes the small LDR fixtures for tests/HdrKit.Tests/Imaging with PIL and OpenCV (not with HdrKit).

Run from this folder: /usr/bin/python3 make_ldr_fixtures.py  (Debian 12: python3-pil, python3-opencv, numpy)
Expected sample values go to ldr_expected.json, written from the same arrays the images were made from.
"""
import json
import cv2
import numpy as np
from PIL import Image, TiffImagePlugin

expected = {}

# 16-bit RGB PNG and TIFF, 16x8, via OpenCV (which stores BGR: flip the channel axis).
h, w = 8, 16
y, x = np.mgrid[0:h, 0:w]
rgb16 = np.stack([4096 * x + y, 65535 - 4096 * x, 8000 * y], axis=-1).astype(np.uint16)
cv2.imwrite("rgb16.png", rgb16[..., ::-1])
cv2.imwrite("rgb16.tif", rgb16[..., ::-1])
expected["rgb16"] = {"width": w, "height": h, "hwc": rgb16.reshape(-1).tolist()}

# 8-bit grey + alpha PNG, 5x3, via PIL: grey replicated to RGB, alpha dropped.
grey = (np.arange(15, dtype=np.uint8).reshape(3, 5) * 17)
alpha = np.full((3, 5), 128, np.uint8)
Image.fromarray(np.stack([grey, alpha], -1), "LA").save("grey_alpha8.png")
expected["grey_alpha8"] = {"width": 5, "height": 3, "hw": grey.reshape(-1).tolist()}

# 8-bit RGB TIFF, 7x4, via PIL.
rgb8 = np.stack([x[:4, :7] * 36, y[:4, :7] * 80, (x[:4, :7] + y[:4, :7]) * 20], -1).astype(np.uint8)
Image.fromarray(rgb8, "RGB").save("rgb8.tif")
expected["rgb8"] = {"width": 7, "height": 4, "hwc": rgb8.reshape(-1).tolist()}

# JPEG with EXIF: ExposureTime 1/250 s, FNumber 4, ISO 200, Orientation 6 ("rotate 90 CW to view").
# Stored 16 wide x 8 high: left half red, right half blue. Displayed it is 8 wide x 16 high, red on top.
stored = np.zeros((8, 16, 3), np.uint8)
stored[:, :8] = (255, 0, 0)
stored[:, 8:] = (0, 0, 255)
exif = Image.Exif()
exif[0x0112] = 6
# PIL 9.4 writes a sub-IFD only when it is given as a dict (filling get_ifd()'s dict is not saved).
exif[0x8769] = {0x829A: TiffImagePlugin.IFDRational(1, 250), 0x829D: TiffImagePlugin.IFDRational(4, 1), 0x8827: 200}
Image.fromarray(stored, "RGB").save("exif_rot6.jpg", quality=95, exif=exif.tobytes())
expected["exif_rot6"] = {"exposure_seconds": 1 / 250, "fnumber": 4.0, "iso": 200,
                         "display_width": 8, "display_height": 16, "top": [255, 0, 0], "bottom": [0, 0, 255]}

# A PNG without EXIF exposure.
Image.fromarray(rgb8, "RGB").save("no_exif.png")

with open("ldr_expected.json", "w") as f:
    json.dump(expected, f)

# Check the EXIF round-trips through PIL before trusting the fixture.
e = Image.open("exif_rot6.jpg").getexif()
assert e[0x0112] == 6 and float(e.get_ifd(0x8769)[0x829A]) == 1 / 250, e.get_ifd(0x8769)
print("ok")
