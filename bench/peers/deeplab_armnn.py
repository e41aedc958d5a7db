"""Independent execution of the DeepLabV3-MobileNetV2 .tflite with Arm NN's TFLite parser (CpuRef backend),
for cross-checking HdrKit's TorchSharp port. Debian 12: apt-get install python3-pyarmnn
libarmnntfliteparser22 libarmnn-cpuref-backend22; run with /usr/bin/python3.

Input: a synthetic 257x257 RGB image defined with integer arithmetic only, so that HdrKit's test builds the
bit-identical input (SyntheticTestImage in tests/HdrKit.Tests/Semantic). Output: a safetensors file with the
logits at every 8th pixel ([33, 33, 21], row/column 0, 8, ..., 256) and the argmax class at full resolution.
usage: deeplab_armnn.py MODEL.tflite OUT.safetensors
"""
import json, struct, sys
import numpy as np
import pyarmnn as ann


def synthetic_image(h=257, w=257):
    y, x = np.mgrid[0:h, 0:w].astype(np.int64)
    r = (x * 3 + y * 5 + ((x * y) >> 6)) % 256
    g = np.where((x - 128) ** 2 + (y - 100) ** 2 < 60 ** 2, 220, (x * 7) % 256)
    b = ((x // 32 + y // 32) % 2) * 180 + 30
    return np.stack([r, g, b], axis=-1).astype(np.uint8)


def save_safetensors(path, tensors, metadata):
    header, blobs, off = {"__metadata__": metadata}, [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name])
        dtype = {np.float32: "F32", np.int32: "I32"}[a.dtype.type]
        header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [off, off + a.nbytes]}
        blobs.append(a.tobytes()); off += a.nbytes
    hj = json.dumps(header).encode()
    hj += b" " * ((8 - len(hj) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hj))); f.write(hj)
        for bl in blobs: f.write(bl)


def main(model, out):
    parser = ann.ITfLiteParser()
    net = parser.CreateNetworkFromBinaryFile(model)
    in_name = parser.GetSubgraphInputTensorNames(0)[0]
    out_name = parser.GetSubgraphOutputTensorNames(0)[0]
    in_info = parser.GetNetworkInputBindingInfo(0, in_name)
    out_info = parser.GetNetworkOutputBindingInfo(0, out_name)
    rt = ann.IRuntime(ann.CreationOptions())
    opt, _ = ann.Optimize(net, [ann.BackendId("CpuRef")], rt.GetDeviceSpec(), ann.OptimizerOptions())
    net_id, _ = rt.LoadNetwork(opt)
    img = synthetic_image().astype(np.float32) / 127.5 - 1.0
    inputs = ann.make_input_tensors([in_info], [img[None].astype(np.float32)])
    outputs = ann.make_output_tensors([out_info])
    rt.EnqueueWorkload(net_id, inputs, outputs)
    logits = ann.workload_tensors_to_ndarray(outputs)[0].reshape(257, 257, 21)
    save_safetensors(out, {
        "logits_every8": logits[::8, ::8, :].astype(np.float32),
        "argmax": logits.argmax(-1).astype(np.int32),
    }, {"producer": f"Arm NN {ann.ARMNN_VERSION} TfLiteParser, CpuRef backend", "input": in_name, "output": out_name})
    print(in_name, out_name, logits.shape, float(logits.min()), float(logits.max()))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
