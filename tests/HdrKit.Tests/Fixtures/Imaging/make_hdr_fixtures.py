#!/usr/bin/python3
"""Makes the small HDR fixtures for tests/HdrKit.Tests/Imaging with OpenCV, pfstools and OpenEXR's tools
(never with HdrKit), plus two PFMs written byte by byte here to pin the byte-order rule.

Run from this folder: /usr/bin/python3 make_hdr_fixtures.py
Needs Debian 12's python3-opencv (4.6), pfstools and openexr (exrmaketiled).
The pixel values every file was made from go to hdr_expected.json (HWC, RGB, float32-exact).
"""
import json
import os
import subprocess
import numpy as np

os.environ["OPENCV_IO_ENABLE_OPENEXR"] = "1"
import cv2  # noqa: E402  (the variable must be set before import)

# 16x8 gradient spanning 2^-8 .. 240, every value exact in half precision (so half files compare exactly).
h, w = 8, 16
y, x = np.mgrid[0:h, 0:w].astype(np.float64)
rgb = np.stack([2.0 ** (x - 8) * (1 + y / 8), (x + 1) * (y + 1) / 64, (x + 16 * y) / 64], -1).astype(np.float32)
rgb[0, 0] = 0  # a black pixel (RGBE exponent 0)
assert np.array_equal(rgb.astype(np.float16).astype(np.float32), rgb)
bgr = np.ascontiguousarray(rgb[..., ::-1])
grey = np.ascontiguousarray(rgb[..., 1])

expected = {"width": w, "height": h, "hwc": rgb.reshape(-1).tolist(), "grey_hw": grey.reshape(-1).tolist()}

cv2.imwrite("grad_cv2.hdr", bgr)
cv2.imwrite("grad_cv2.pfm", bgr)
# OpenCV stores float TIFFs as LogLuv (SGILOG, photometric 32845): lossy, decoded as CIE XYZ.
cv2.imwrite("grad_cv2_logluv.tif", bgr)

comp = {"none": cv2.IMWRITE_EXR_COMPRESSION_NO, "rle": cv2.IMWRITE_EXR_COMPRESSION_RLE,
        "zips": cv2.IMWRITE_EXR_COMPRESSION_ZIPS, "zip": cv2.IMWRITE_EXR_COMPRESSION_ZIP,
        "piz": cv2.IMWRITE_EXR_COMPRESSION_PIZ}
types = {"half": cv2.IMWRITE_EXR_TYPE_HALF, "float": cv2.IMWRITE_EXR_TYPE_FLOAT}
for tname, t in types.items():
    for cname, c in comp.items():
        ok = cv2.imwrite(f"grad_cv2_{tname}_{cname}.exr", bgr, [cv2.IMWRITE_EXR_TYPE, t, cv2.IMWRITE_EXR_COMPRESSION, c])
        assert ok, (tname, cname)
# One channel is written as "Y"; four as B,G,R,A.
cv2.imwrite("grey_cv2_half_zip.exr", grey, [cv2.IMWRITE_EXR_TYPE, cv2.IMWRITE_EXR_TYPE_HALF])
bgra = np.concatenate([bgr, np.full((h, w, 1), 0.5, np.float32)], -1)
cv2.imwrite("rgba_cv2_float_zips.exr", bgra, [cv2.IMWRITE_EXR_TYPE, cv2.IMWRITE_EXR_TYPE_FLOAT,
                                             cv2.IMWRITE_EXR_COMPRESSION, cv2.IMWRITE_EXR_COMPRESSION_ZIPS])

# A tiled EXR, which HdrKit refuses.
subprocess.run(["exrmaketiled", "-t", "8", "8", "grad_cv2_half_zip.exr", "grad_tiled.exr"], check=True,
               stdout=subprocess.DEVNULL)


def write_pfm(path, magic, data, big_endian):
    """Rows bottom to top; scale +1 means big-endian, -1 little-endian."""
    rows = np.ascontiguousarray(data[::-1])
    with open(path, "wb") as f:
        f.write(f"{magic}\n{data.shape[1]} {data.shape[0]}\n{'1.0' if big_endian else '-1.0'}\n".encode())
        f.write(rows.astype(">f4" if big_endian else "<f4").tobytes())


write_pfm("grad_be.pfm", "PF", rgb, big_endian=True)
write_pfm("grey_le.pfm", "Pf", grey, big_endian=False)

# pfstools: pfsinpfm -> pfsoutrgbe / pfsoutexr. pfs converts RGB to XYZ and back, so values differ from the
# source by float rounding (tests use a tolerance there).
subprocess.run("pfsinpfm grad_be.pfm | pfsoutrgbe grad_pfs.hdr", shell=True, check=True)
subprocess.run("pfsinpfm grad_be.pfm | pfsoutexr grad_pfs.exr", shell=True, check=True)



def write_float_tiff(path, data):
    """A baseline little-endian TIFF: one uncompressed strip, RGB, 3 x 32-bit IEEE float (SampleFormat 3)."""
    import struct
    hh, ww, _ = data.shape
    pixels = data.astype("<f4").tobytes()
    entries = []  # (tag, type, count, value-or-offset bytes)
    extra = bytearray()
    n_tags = 11
    ifd_start = 8
    extra_start = ifd_start + 2 + n_tags * 12 + 4
    def short3(v):
        off = extra_start + len(extra)
        extra.extend(struct.pack("<3H", v, v, v))
        return off
    bps = short3(32)
    sfmt = short3(3)
    data_off = extra_start + len(extra)
    tags = [(256, 3, 1, ww), (257, 3, 1, hh), (258, 3, 3, bps), (259, 3, 1, 1), (262, 3, 1, 2),
            (273, 4, 1, data_off), (277, 3, 1, 3), (278, 3, 1, hh), (279, 4, 1, len(pixels)), (284, 3, 1, 1),
            (339, 3, 3, sfmt)]
    assert len(tags) == n_tags
    out = bytearray(b"II*\0" + struct.pack("<I", ifd_start) + struct.pack("<H", n_tags))
    for tag, typ, count, value in tags:
        out += struct.pack("<HHI", tag, typ, count)
        out += struct.pack("<HH", value, 0) if (typ == 3 and count == 1) else struct.pack("<I", value)
    out += struct.pack("<I", 0)
    out += extra + pixels
    with open(path, "wb") as f:
        f.write(out)


write_float_tiff("grad_float.tif", rgb)
check = cv2.imread("grad_float.tif", cv2.IMREAD_UNCHANGED)
assert check is not None and np.array_equal(check[..., ::-1], rgb), "hand-made TIFF does not read back in OpenCV"

with open("hdr_expected.json", "w") as f:
    json.dump(expected, f)
print("ok")
