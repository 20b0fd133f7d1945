#!/bin/sh
# Gives the PyTorch peer of `npm run bench` an optimized BLAS. Debian's
# python3-torch links libblas.so.3, which with only libblas3 is the Netlib
# reference BLAS; libopenblas0-pthread registers OpenBLAS as that library
# through update-alternatives. Idempotent: a no-op once installed.
# Run as root (or through sudo): sh bench/setup.sh
set -e
if dpkg-query -W -f='${Status}' libopenblas0-pthread 2>/dev/null | grep -q "ok installed"; then
  echo "libopenblas0-pthread already installed"
else
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q libopenblas0-pthread
fi
update-alternatives --query libblas.so.3-x86_64-linux-gnu | grep -E '^Value:'
