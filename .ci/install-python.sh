#!/usr/bin/env bash
# Installs the independent references the tests check against, as root on
# Debian 12: PyTorch (float64 gradients, the exported project, torchrun),
# numpy (the model-file reading recipe) and ONNX (the exported graph's
# checker). Idempotent: a second run only checks.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(python3-torch python3-numpy python3-onnx)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-python: ${packages[*]} already installed"
  exit 0
fi
echo "install-python: apt-get install ${missing[*]}"
apt-get update -q
apt-get -o DPkg::Lock::Timeout=300 install -y -q "${missing[@]}"
/usr/bin/python3 -c "import torch, numpy, onnx; print('install-python: torch', torch.__version__, 'onnx', onnx.__version__)"
