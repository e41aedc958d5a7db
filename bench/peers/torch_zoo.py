#!/usr/bin/python3
"""PyTorch peer for the "zoo" bench suite: the authors' own model code, timed the same way as ours.

The reference repositories are read from a checkout OUTSIDE this repository (nothing of theirs is
committed): --refs points at a folder holding
  qingsenyangit+AHDRNet/model.py
  liuzhen03+HDR-Transformer-PyTorch/models/hdr_transformer.py
  eezkni+SMHDR/models/{smnet_best,icab,mask_block}.py, utils/utils.py
(e.g. `git archive` of the GitHub repositories). Their small third-party imports that Debian's
python3-torch lacks (timm's DropPath/to_2tuple/trunc_normal_, thop, einops.rearrange; SMHDR's utils.utils) are
replaced by the minimal stand-ins below, which do the same tensor operations.

With --parity, the model is first loaded with the parity file's reference weights and run on its inputs,
and the max |diff| to its stored output is printed: proof that the timed code is the reference.

Output: one JSON line {model, params, height, width, threads, ms, ms_per_mp, vmhwm_mb, parity_max_diff}.
"""
import argparse, importlib.util, json, math, os, re, struct, sys, time, types

import torch
import torch.nn as nn


def install_stand_ins():
    timm = types.ModuleType("timm"); models = types.ModuleType("timm.models"); layers = types.ModuleType("timm.models.layers")
    layers.DropPath = lambda p=0.0: nn.Identity()  # drop_path is inactive in eval mode anyway
    layers.to_2tuple = lambda x: tuple(x) if isinstance(x, (tuple, list)) else (x, x)
    layers.trunc_normal_ = lambda t, mean=0.0, std=1.0, a=-2.0, b=2.0: nn.init.trunc_normal_(t, mean, std, a, b)
    timm.models = models; models.layers = layers
    sys.modules.update({"timm": timm, "timm.models": models, "timm.models.layers": layers})
    thop = types.ModuleType("thop"); thop.profile = None; sys.modules["thop"] = thop

    einops = types.ModuleType("einops")

    def rearrange(x, pattern, **axes):
        # Only the four patterns SMHDR's icab.py uses.
        if pattern == "b c h w -> b (h w) c":
            return x.flatten(2).transpose(1, 2)
        if pattern == "b (h w) c -> b c h w":
            b, _, c = x.shape
            return x.transpose(1, 2).reshape(b, c, axes["h"], axes["w"])
        if pattern == "b (head c) h w -> b head c (h w)":
            b, ch, h, w = x.shape
            return x.reshape(b, axes["head"], ch // axes["head"], h * w)
        if pattern == "b head c (h w) -> b (head c) h w":
            b, hd, c, _ = x.shape
            return x.reshape(b, hd * c, axes["h"], axes["w"])
        raise NotImplementedError(pattern)

    einops.rearrange = rearrange
    sys.modules["einops"] = einops
    # SMHDR's smnet_best does `from utils.utils import *` but uses none of it; the real utils downloads a
    # FreeImage binary at import time, which cannot work offline.
    utils = types.ModuleType("utils"); utils.utils = types.ModuleType("utils.utils")
    sys.modules.update({"utils": utils, "utils.utils": utils.utils})


def load_module(name, path, extra_path=None):
    if extra_path and extra_path not in sys.path:
        sys.path.insert(0, extra_path)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def build(model, refs):
    """Returns (network, call) where call(x [B, n, 6, H, W]) runs it the way its authors do."""
    if model == "ahdrnet":
        m = load_module("ahdr_model", os.path.join(refs, "qingsenyangit+AHDRNet", "model.py"))
        net = m.AHDR(types.SimpleNamespace(nChannel=6, nDenselayer=6, nFeat=64, growthRate=32))
        return net, lambda x: net(x[:, 0], x[:, 1], x[:, 2])
    if model == "hdr-transformer":
        m = load_module("hdr_transformer", os.path.join(refs, "liuzhen03+HDR-Transformer-PyTorch", "models", "hdr_transformer.py"))
        net = m.HDRTransformer(embed_dim=60, depths=[6, 6, 6], num_heads=[6, 6, 6], mlp_ratio=2, in_chans=6)
        return net, lambda x: net(x[:, 0], x[:, 1], x[:, 2])
    if model == "smnet":
        root = os.path.join(refs, "eezkni+SMHDR")
        m = load_module("smnet_best", os.path.join(root, "models", "smnet_best.py"), extra_path=root)
        net = m.SMNet(img_size=128, in_chans=6, embed_dim=60, depths=[6, 6, 6, 6], num_heads=[6, 6, 6, 6], mlp_ratio=2, window_size=8)
        return net, lambda x: net(x.flatten(1, 2))
    raise SystemExit(f"unknown model {model}")


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        assert v["dtype"] == "F32", k
        b, e = v["data_offsets"]
        out[k] = torch.frombuffer(bytearray(data[b:e]), dtype=torch.float32).reshape(v["shape"])
    return out


def parity(net, call, path):
    t = read_safetensors(path)
    state = {k[2:]: v for k, v in t.items() if k.startswith("w.")}
    missing, unexpected = net.load_state_dict(state, strict=False)
    # The parity files hold parameters only; the derived buffers are rebuilt by the constructor.
    assert all(re.search(r"(relative_position_index|attn_mask)$", k) for k in missing), missing
    assert not unexpected, unexpected
    if "in.x" in t:
        x = t["in.x"]; x = x.view(x.shape[0], x.shape[1] // 6, 6, *x.shape[2:])
    else:
        x = torch.stack([t["in.x1"], t["in.x2"], t["in.x3"]], 1)
    with torch.no_grad():
        return float((call(x) - t["out"]).abs().max())


def vmhwm_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--refs", default="/tmp/zoo-peer")
    ap.add_argument("--height", type=int, default=1000)
    ap.add_argument("--width", type=int, default=1500)
    ap.add_argument("--exposures", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--parity")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    install_stand_ins()
    torch.manual_seed(0)
    net, call = build(a.model, a.refs)
    net.eval()
    diff = parity(net, call, a.parity) if a.parity else None
    x = torch.rand(1, a.exposures, 6, a.height, a.width)
    times = []
    with torch.no_grad():
        for _ in range(a.repeats):
            t0 = time.perf_counter()
            y = call(x)
            times.append((time.perf_counter() - t0) * 1000)
            del y
    ms = sorted(times)[len(times) // 2]
    print(json.dumps({
        "model": a.model, "params": sum(p.numel() for p in net.parameters()),
        "height": a.height, "width": a.width, "threads": torch.get_num_threads(),
        "ms": round(ms, 1), "ms_per_mp": round(ms / (a.height * a.width / 1e6), 1),
        "vmhwm_mb": round(vmhwm_mb(), 1), "parity_max_diff": diff,
    }))


if __name__ == "__main__":
    main()
