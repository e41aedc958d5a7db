#!/usr/bin/python3
"""Writes the tiny PyTorch checkpoints PthImporterTests read, and the values they must decode to.

Run with Debian's PyTorch 1.13 (/usr/bin/python3 make_pth.py) from this folder. Outputs:
  tiny.pth            torch.save({'state_dict': sd, 'epoch': 3, 'note': 'tiny'}) in the zip format
  tiny_plain.pth      torch.save(sd) with the DataParallel 'module.' prefix on every key
  tiny_expected.json  {name: {dtype, shape, values (row-major, as float/int/bool)}} for every tensor in sd,
                      plus which tensors share a storage; written from tensor.tolist(), not from the .pth
  evil_posix_system.pth, evil_builtins_eval.pth
                      zip checkpoints whose data.pkl is a protocol-2 pickle calling os.system / eval;
                      the importer must refuse them (crafted with the pickle module, no torch involved)
"""
import io
import json
import os
import pickle
import zipfile

import torch

torch.manual_seed(0)

base = torch.arange(12, dtype=torch.float32).reshape(3, 4) / 8.0
big = torch.linspace(-2.0, 2.0, 20)
shared = torch.randn(2, 3)

sd = {
    'conv.weight': torch.randn(2, 3, 3, 3),
    'half': (torch.randn(5) * 100).half(),
    'bf16': torch.tensor([1.5, -0.25, 3.0e10], dtype=torch.bfloat16),
    'double': torch.tensor([1.0 / 3.0, -1e-300, 2.5], dtype=torch.float64),
    'long': torch.tensor([-(2 ** 40), 0, 7, 2 ** 62], dtype=torch.int64),
    'int': torch.tensor([[-5, 6], [2 ** 31 - 1, -(2 ** 31)]], dtype=torch.int32),
    'short': torch.tensor([-300, 300], dtype=torch.int16),
    'char': torch.tensor([-128, 127], dtype=torch.int8),
    'byte': torch.tensor([0, 255, 17], dtype=torch.uint8),
    'mask': torch.tensor([[True, False, True], [False, False, True]]),
    'transposed': base.t(),            # non-contiguous view: stride (1, 4)
    'slice': big[5:9],                 # storage offset 5 into a 20-element storage
    'shared_a': shared,                # two tensors over one storage
    'shared_b': shared[1],             # ... the second row: offset 3
    'scalar': torch.tensor(3.5),       # 0-dim
    'empty': torch.zeros(0, 4),
}
assert not sd['transposed'].is_contiguous() and sd['slice'].storage_offset() == 5

torch.save({'state_dict': sd, 'epoch': 3, 'note': 'tiny'}, 'tiny.pth')
torch.save({'module.' + k: v for k, v in sd.items()}, 'tiny_plain.pth')

expected = {
    name: {
        'dtype': str(t.dtype).replace('torch.', ''),
        'shape': list(t.shape),
        'values': t.reshape(-1).tolist() if t.dtype not in (torch.float16, torch.bfloat16) else t.float().reshape(-1).tolist(),
    }
    for name, t in sd.items()
}
expected['__shared__'] = [['shared_a', 'shared_b']]
with open('tiny_expected.json', 'w') as f:
    json.dump(expected, f, indent=1)


class Call:
    """Pickles as a call of fn(*args): what a malicious 'checkpoint' would contain."""

    def __init__(self, fn, *args):
        self.fn, self.args = fn, args

    def __reduce__(self):
        return self.fn, self.args


def write_evil(path, payload):
    data = pickle.dumps({'state_dict': {'w': payload}}, protocol=2)
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_STORED) as z:
        z.writestr('evil/data.pkl', data)
        z.writestr('evil/version', '3\n')


write_evil('evil_posix_system.pth', Call(os.system, 'touch /tmp/hdrkit-evil-pickle-ran'))
write_evil('evil_builtins_eval.pth', Call(eval, "open('/tmp/hdrkit-evil-pickle-ran', 'w')"))
print('wrote', sorted(os.listdir('.')))
