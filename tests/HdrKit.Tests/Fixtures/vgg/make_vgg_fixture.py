#!/usr/bin/python3
"""Reference activations for the C# VGG19 port (tests/HdrKit.Tests/Losses/Vgg19FeaturesTests.cs).

Computed with numpy only, straight from the tfjs shards in Keras's own layout (HWIO kernels, channels-last,
'same' padding), so neither torch's convolution nor HdrKit's HWIO→OIHW transpose is involved. Writes
vgg19_activations.safetensors: "input" (RGB in [0,1], [1,3,H,W]), "conv1_1" (pre-ReLU) and "relu2_1",
both NCHW float32. Only activations are stored, never the weights.

usage: /usr/bin/python3 make_vgg_fixture.py ../../../../../shared/models/vgg19-keras-block1-3
"""
import json, os, struct, sys
import numpy as np

CAFFE_MEAN_BGR = np.array([103.939, 116.779, 123.68])


def load_tfjs(folder):
    manifest = json.load(open(os.path.join(folder, "model.json")))["weightsManifest"]
    weights = {}
    for group in manifest:
        paths = [os.path.join(folder, p) for p in group["paths"]]
        if not all(os.path.exists(p) for p in paths):
            continue
        blob = b"".join(open(p, "rb").read() for p in paths)
        offset = 0
        for w in group["weights"]:
            assert w["dtype"] == "float32"
            n = int(np.prod(w["shape"]))
            weights[w["name"]] = np.frombuffer(blob, "<f4", n, offset).reshape(w["shape"]).astype(np.float64)
            offset += 4 * n
    return weights


def conv_same_hwc(x, kernel, bias):
    """x: [H, W, Cin]; kernel: [3, 3, Cin, Cout] (HWIO); stride 1, zero 'same' padding."""
    h, w, _ = x.shape
    xp = np.pad(x, ((1, 1), (1, 1), (0, 0)))
    out = np.zeros((h, w, kernel.shape[3]))
    for dy in range(3):
        for dx in range(3):
            out += xp[dy:dy + h, dx:dx + w, :] @ kernel[dy, dx]
    return out + bias


def maxpool2(x):
    h, w, c = x.shape
    return x[: h // 2 * 2, : w // 2 * 2].reshape(h // 2, 2, w // 2, 2, c).max(axis=(1, 3))


def save_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        data = np.ascontiguousarray(tensors[name], dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "../../../../../shared/models/vgg19-keras-block1-3"
    wts = load_tfjs(folder)
    rng = np.random.default_rng(20261123)
    rgb = rng.random((8, 12, 3))                     # HWC, RGB in [0,1]
    rgb = rgb.astype(np.float32).astype(np.float64)  # what the C# side will read back
    x = rgb[:, :, ::-1] * 255.0 - CAFFE_MEAN_BGR     # Caffe: BGR, 0–255, mean-subtracted

    conv1_1 = conv_same_hwc(x, wts["block1_conv1/kernel"], wts["block1_conv1/bias"])
    y = np.maximum(conv1_1, 0)
    y = np.maximum(conv_same_hwc(y, wts["block1_conv2/kernel"], wts["block1_conv2/bias"]), 0)
    y = maxpool2(y)
    relu2_1 = np.maximum(conv_same_hwc(y, wts["block2_conv1/kernel"], wts["block2_conv1/bias"]), 0)

    nchw = lambda a: a.transpose(2, 0, 1)[None]
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vgg19_activations.safetensors")
    save_safetensors(out, {"input": nchw(rgb), "conv1_1": nchw(conv1_1), "relu2_1": nchw(relu2_1)})
    print(f"wrote {out}: conv1_1 range [{conv1_1.min():.2f}, {conv1_1.max():.2f}], relu2_1 max {relu2_1.max():.2f}")


if __name__ == "__main__":
    main()
