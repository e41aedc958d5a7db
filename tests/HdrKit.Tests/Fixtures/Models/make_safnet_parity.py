#!/usr/bin/python3
"""Golden vectors for full SAFNet (no released weights are available to the tests): the authors' code run with
weights given by a closed formula that SafNetTests recomputes in C#.

Usage (PyTorch 1.13 CPU, Debian's /usr/bin/python3), with the authors' repository checked out OUTSIDE this repo:
    git --git-dir=<mirror of github.com/ltkong218/SAFNet> archive HEAD models utils.py | tar -x -C /tmp/safnet-ref
    /usr/bin/python3 make_safnet_parity.py /tmp/safnet-ref        # writes safnet_formula_parity.safetensors here

Weights: for the k-th entry of the state dict in sorted-name order, flat element i:
    w = s * sin(0.618 * i + 1.3 * k),  s = 1 / sqrt(numel / shape[0]) for tensors of rank >= 2, else 0.1
computed in float64, stored as float32.
Input: [1, 6, 40, 72] per exposure, LDR uniform in [0, 1) (numpy seed 2024), linear = LDR^2.2 / t, t = 1, 4, 16.
40×72 is not a multiple of 32, so the alignment branch's own resize (to 32×48) is exercised.
The file holds in.img0_c..img2_c, out.img_hdr_m, out.img_hdr_r; __metadata__ records the parameter count and the
state dict's names and shapes (JSON).
"""
import json
import math
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, sys.argv[1])
from models.SAFNet import SAFNet  # noqa: E402  (the authors' code, outside this repository)


def formula_weight(k, shape):
    n = int(np.prod(shape)) if len(shape) else 1
    scale = 1.0 / math.sqrt(n / shape[0]) if len(shape) >= 2 else 0.1
    i = np.arange(n, dtype=np.float64)
    return (scale * np.sin(0.618 * i + 1.3 * k)).astype(np.float32).reshape(shape)


def write_safetensors(path, tensors, metadata):
    header, blobs, offset = {'__metadata__': metadata}, [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name], dtype='<f4')
        b = a.tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(a.shape), 'data_offsets': [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


model = SAFNet().eval()
sd = model.state_dict()
names = sorted(sd)
model.load_state_dict({name: torch.from_numpy(formula_weight(k, tuple(sd[name].shape))) for k, name in enumerate(names)})

rng = np.random.default_rng(2024)
inputs = {}
for idx, t in enumerate([1.0, 4.0, 16.0]):
    ldr = rng.random((1, 3, 40, 72), dtype=np.float32)
    inputs[f'img{idx}_c'] = np.concatenate([ldr ** 2.2 / t, ldr], axis=1).astype(np.float32)

with torch.no_grad():
    hdr_m, hdr_r = model(*(torch.from_numpy(inputs[f'img{i}_c']) for i in range(3)))

tensors = {f'in.{k}': v for k, v in inputs.items()}
tensors['out.img_hdr_m'] = hdr_m.numpy()
tensors['out.img_hdr_r'] = hdr_r.numpy()
metadata = {
    'model': 'SAFNet', 'reference': 'ltkong218/SAFNet models/SAFNet.py, eval, scale_factor=0.5, refine=True',
    'torch': torch.__version__,
    'param_count': str(sum(p.numel() for p in model.parameters())),
    'shapes': json.dumps({n: list(sd[n].shape) for n in names}),
}
write_safetensors('safnet_formula_parity.safetensors', tensors, metadata)
print('params', metadata['param_count'], 'hdr_r mean', float(hdr_r.mean()), 'hdr_m mean', float(hdr_m.mean()))
