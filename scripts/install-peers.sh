#!/usr/bin/env bash
# Installs the Python peers the benchmarks and a few golden-value tests compare against (Debian packages, used
# through /usr/bin/python3): numpy, OpenCV 4.6, scikit-image 0.19, PyTorch 1.13 CPU. Then checks they import.
#   scripts/install-peers.sh          install (as root) and check
#   scripts/install-peers.sh --check  only check
set -euo pipefail
packages=(python3-numpy python3-opencv python3-skimage python3-torch)
python=/usr/bin/python3

if [[ "${1:-}" != "--check" ]]; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}"
  else
    echo "not root: run this as root, or have someone run:" >&2
    echo "  apt-get update && apt-get install -y ${packages[*]}" >&2
    echo "then: $0 --check" >&2
    exit 1
  fi
fi

if [[ ! -x $python ]]; then
  echo "$python not found: install python3 and ${packages[*]}" >&2
  exit 1
fi
# One line per peer with its version; a failed import names the package to install.
$python - <<'PY'
import importlib, sys
peers = [("numpy", "python3-numpy"), ("cv2", "python3-opencv"), ("skimage", "python3-skimage"), ("torch", "python3-torch")]
missing = []
for module, package in peers:
    try:
        m = importlib.import_module(module)
        print(f"{module:8} {getattr(m, '__version__', '?')}")
    except Exception as e:  # ImportError, or a broken native library
        print(f"{module:8} MISSING ({type(e).__name__}: {e}); install {package}", file=sys.stderr)
        missing.append(package)
sys.exit(1 if missing else 0)
PY
echo "peers ready: bench suites can run them with $python" >&2
