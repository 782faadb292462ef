#!/usr/bin/env bash
# Builds the kubeplay web app and serves it on http://127.0.0.1:8080 (PORT to change).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
# No autoreload: the page makes no request after the static files load, as shipped.
exec trunk serve --release --offline --no-autoreload --address 127.0.0.1 --port "${PORT:-8080}"
