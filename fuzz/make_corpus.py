#!/usr/bin/python3
"""Writes the crafted seeds and the regression inputs of fuzz/corpus (the failure modes of issue 18).

Run from the repository root with Debian's Python (/usr/bin/python3 fuzz/make_corpus.py); it needs PyTorch only
for the valid tiny .pth seed and Pillow for the JPEG seed. Every other file is built byte by byte here so that what it claims is explicit.
Files named regress-* must each be refused with one format error; seed-* and the copied fixtures are valid.
"""
import io
import json
import os
import struct
import zipfile
import zlib

import torch

C = 'fuzz/corpus'


def put(target, name, data):
    os.makedirs(f'{C}/{target}', exist_ok=True)
    with open(f'{C}/{target}/{name}', 'wb') as f:
        f.write(data)


# ---------------------------------------------------------------- safetensors

def safetensors(header, data=b''):
    h = json.dumps(header).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    return struct.pack('<Q', len(h)) + h + data


put('safetensors', 'seed-tiny.safetensors', safetensors(
    {'__metadata__': {'format': 'pt'}, 'a': {'dtype': 'F32', 'shape': [2], 'data_offsets': [0, 8]},
     'b': {'dtype': 'I64', 'shape': [1], 'data_offsets': [8, 16]}}, struct.pack('<ff', 1.5, -2) + struct.pack('<q', 7)))
# Malformed JSON used to leak JsonReaderException / NullReferenceException.
put('safetensors', 'regress-bad-json.safetensors', struct.pack('<Q', 16) + b'{"a": {"dtype": ' + b'')
put('safetensors', 'regress-no-dtype.safetensors', safetensors({'a': {'shape': [1], 'data_offsets': [0, 4]}}, b'\0' * 4))
# Negative data_offsets read header bytes as tensor data.
put('safetensors', 'regress-negative-offsets.safetensors', safetensors({'a': {'dtype': 'U8', 'shape': [4], 'data_offsets': [-4, 0]}}, b''))
# A negative shape reached libtorch.
put('safetensors', 'regress-negative-shape.safetensors', safetensors({'a': {'dtype': 'F32', 'shape': [-1, -4], 'data_offsets': [0, 16]}}, b'\0' * 16))
# Overlapping tensors and a hole (polyglot files) are refused by the spec.
put('safetensors', 'regress-overlap.safetensors', safetensors(
    {'a': {'dtype': 'F32', 'shape': [2], 'data_offsets': [0, 8]}, 'b': {'dtype': 'F32', 'shape': [2], 'data_offsets': [4, 12]}}, b'\0' * 12))
put('safetensors', 'regress-shape-overflow.safetensors', safetensors({'a': {'dtype': 'F32', 'shape': [2**62, 2**62], 'data_offsets': [0, 0]}}))
put('safetensors', 'regress-huge-header-length.safetensors', struct.pack('<Q', 2**40) + b'{}')

# ---------------------------------------------------------------- .pth (zip + pickle)


def pth(pickle_bytes, storages=None, fake_sizes=None):
    buf = io.BytesIO()
    entries = {'archive/data.pkl': pickle_bytes, 'archive/byteorder': b'little'}
    entries.update({f'archive/data/{key}': data for key, data in (storages or {}).items()})
    with zipfile.ZipFile(buf, 'w') as z:
        for entry, data in entries.items():
            # A fixed timestamp keeps the corpus byte-identical from run to run.
            z.writestr(zipfile.ZipInfo(entry, date_time=(2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    data = bytearray(buf.getvalue())
    # Patch the sizes the zip claims for an entry (local header and central directory) without storing them.
    for name, size in (fake_sizes or {}).items():
        n = name.encode()
        for sig, size_at in ((b'PK\x03\x04', 22), (b'PK\x01\x02', 24)):
            i = 0
            while (i := data.find(sig, i)) >= 0:
                name_at = i + (30 if sig == b'PK\x03\x04' else 46)
                if data[name_at:name_at + len(n)] == n:
                    struct.pack_into('<I', data, i + size_at, size)
                i += 4
    return bytes(data)


def g(module, name):
    return b'c' + module.encode() + b'\n' + name.encode() + b'\n'


def tup(*items):
    return b'(' + b''.join(items) + b't'


def long1(v):
    raw = v.to_bytes((v.bit_length() + 8) // 8, 'little', signed=True)
    return b'\x8a' + bytes([len(raw)]) + raw


def s(text):
    t = text.encode()
    return b'X' + struct.pack('<I', len(t)) + t


def tensor_pickle(size, stride, offset=0, numel=1):
    """{'w': _rebuild_tensor_v2(storage('0', numel floats), offset, size, stride, False, OrderedDict())}"""
    storage = b'(' + s('storage') + g('torch', 'FloatStorage') + s('0') + s('cpu') + long1(numel) + b'tQ'
    rebuild = g('torch._utils', '_rebuild_tensor_v2') + b'(' + storage + long1(offset) + tup(*map(long1, size)) \
        + tup(*map(long1, stride)) + b'\x89' + g('collections', 'OrderedDict') + b')R' + b'tR'
    return b'\x80\x02}' + s('w') + rebuild + b's.'


buf = io.BytesIO()
torch.save({'w': torch.arange(3, dtype=torch.float32)}, buf)
put('pth', 'seed-tiny.pth', buf.getvalue())
put('pth', 'seed-handmade.pth', pth(tensor_pickle([2], [1], numel=2), {'0': struct.pack('<ff', 1, 2)}))
# A list that contains itself, and a 200,000-deep list, overflowed the stack of the recursive tree walk.
put('pth', 'regress-self-containing-list.pth', pth(b'\x80\x02]q\x00h\x00a.'))
put('pth', 'regress-deep-list.pth', pth(b'\x80\x02' + b']' * 200_000 + b'a' * 199_999 + b'.'))
# A stride-0 view expanded 4 stored bytes to 1 GiB.
put('pth', 'regress-stride0-view.pth', pth(tensor_pickle([2**28], [0]), {'0': struct.pack('<f', 1)}))
# size x stride overflowed 64 bits, passed the bounds check and reached libtorch.
put('pth', 'regress-stride-overflow.pth', pth(tensor_pickle([3, 3], [2**62, 2**62]), {'0': struct.pack('<f', 1)}))
# A storage whose numel x 4 wraps around to the entry's size.
put('pth', 'regress-numel-overflow.pth', pth(tensor_pickle([1], [1], numel=2**62 + 1), {'0': struct.pack('<f', 1)}))
# A zip entry claiming more than 2 GB threw OverflowException.
put('pth', 'regress-zip-entry-over-2gb.pth', pth(tensor_pickle([1], [1], numel=2**30), {'0': b'\0' * 16}, {'archive/data/0': 2**32 - 4}))

# ---------------------------------------------------------------- OpenEXR

with open('tests/HdrKit.Tests/Fixtures/Imaging/grad_cv2_half_none.exr', 'rb') as f:
    exr = bytearray(f.read())


def exr_attr(data, name):
    """Offset of an attribute's value in the header."""
    i = data.index(name.encode() + b'\0')
    j = data.index(b'\0', i + len(name) + 1)
    return j + 1 + 4


def exr_first_block(data):
    """(offset-table start, first block offset) of a scanline file."""
    i = 8
    while data[i] != 0:
        i = data.index(b'\0', i) + 1          # name
        i = data.index(b'\0', i) + 1          # type
        size, = struct.unpack_from('<i', data, i)
        i += 4 + size
    table = i + 1
    return table, struct.unpack_from('<Q', data, table)[0]


table, first = exr_first_block(exr)
# A short uncompressed block was copied over only part of its lines: stale rows, exit 0.
short = bytearray(exr)
size, = struct.unpack_from('<i', short, first + 4)
struct.pack_into('<i', short, first + 4, size - 6)
put('exr', 'regress-short-none-block.exr', bytes(short))
# Two offset-table entries pointing at the same block left the other block's lines unwritten.
twice = bytearray(exr)
struct.pack_into('<Q', twice, table + 8, first)
put('exr', 'regress-duplicate-block.exr', bytes(twice))
# A data window claiming 2^31 x 2^16 overflowed the line buffer size and allocated before the offset table.
huge = bytearray(exr)
dw = exr_attr(huge, 'dataWindow')
struct.pack_into('<iiii', huge, dw, 0, 0, 2**31 - 2, 15)
put('exr', 'regress-line-buffer-overflow.exr', bytes(huge))
tall = bytearray(exr)
struct.pack_into('<iiii', tall, dw, 0, 0, 40000, 40000)
put('exr', 'regress-huge-data-window.exr', bytes(tall))

with open('tests/HdrKit.Tests/Fixtures/Imaging/grad_cv2_half_zip.exr', 'rb') as f:
    zexr = bytearray(f.read())
table, first = exr_first_block(zexr)
size, = struct.unpack_from('<i', zexr, first + 4)
bad = bytearray(zexr)
bad[first + 8:first + 8 + size] = b'\x78\x9c' + b'\xff' * (size - 2)   # zlib header, corrupt deflate data
put('exr', 'regress-corrupt-zip.exr', bytes(bad))

# ---------------------------------------------------------------- Radiance

put('hdr', 'regress-huge-resolution.hdr', b'#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 60000 +X 30000\n' + b'\x02\x02\x75\x30' + b'\x80' * 40)
put('hdr', 'regress-tall-and-short.hdr', b'#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y 16000 +X 16000\n' + b'\x01\x02\x03\x04' * 4)

# ---------------------------------------------------------------- LDR (libvips)

with open('tests/HdrKit.Tests/Fixtures/Imaging/exif_rot6.jpg', 'rb') as f:
    jpg = bytearray(f.read())
sof = next(i for i in range(len(jpg) - 1) if jpg[i] == 0xFF and jpg[i + 1] in (0xC0, 0xC1, 0xC2))
struct.pack_into('>HH', jpg, sof + 5, 20000, 20000)
put('ldr', 'regress-jpeg-claims-20000x20000.jpg', bytes(jpg))


def png_chunk(kind, data):
    return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)


# A JPEG whose entropy data stops half way decoded with exit 0 (libjpeg only warns and pads with grey).
from PIL import Image  # noqa: E402  (Debian's python3-pil)

im = Image.new('RGB', (64, 48))
im.putdata([((x * 4) % 256, (y * 5) % 256, ((x + y) * 3) % 256) for y in range(48) for x in range(64)])
b = io.BytesIO()
im.save(b, 'JPEG', quality=90)
good = b.getvalue()
put('ldr', 'seed-gradient.jpg', good)
sos = good.index(b'\xff\xda')
scan = sos + 2 + int.from_bytes(good[sos + 2:sos + 4], 'big')
eoi = good.rindex(b'\xff\xd9')
put('ldr', 'regress-corrupt-entropy.jpg', good[:scan + (eoi - scan) // 2] + b'\xff\xd9')

put('ldr', 'regress-png-claims-huge.png', b'\x89PNG\r\n\x1a\n' + png_chunk(b'IHDR', struct.pack('>IIBBBBB', 100000, 100000, 8, 2, 0, 0, 0))
    + png_chunk(b'IDAT', zlib.compress(b'\0' * 64)) + png_chunk(b'IEND', b''))

# ---------------------------------------------------------------- TFLite, EXIF (cut from the committed seeds)

# Without FlatBuffers verification, offsets past the end threw ArgumentOutOfRangeException naming no file.
tflite = open(f'{C}/tflite/tiny.tflite', 'rb').read()
put('tflite', 'regress-root-offset-past-end.tflite', struct.pack('<I', 0x7ffffff0) + tflite[4:])
put('tflite', 'regress-truncated.tflite', tflite[:len(tflite) // 2])
# MetadataExtractor's own exceptions escaped merge as a 22-line trace; here the APP1 (EXIF) segment claims
# 65,535 bytes, far past the end of the file.
exif = bytearray(open(f'{C}/exif/exif_rot6.jpg', 'rb').read())
app1 = exif.index(b'\xff\xe1')
exif[app1 + 2:app1 + 4] = struct.pack('>H', 0xffff)
put('exif', 'regress-segment-past-end.jpg', bytes(exif))

# ---------------------------------------------------------------- exposure.txt, YAML

put('exposure', 'regress-not-numbers.txt', b'0\nfast\n2\n')
put('exposure', 'regress-binary.txt', bytes(range(256)))
put('yaml', 'regress-syntax-error.yaml', b'model:\n  type: [unclosed\n  width: 3\n')
put('yaml', 'regress-tab-indent.yaml', b'model:\n\ttype: safnet\n')
