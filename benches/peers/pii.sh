#!/usr/bin/env bash
# Peer comparison for PII: presidio-mena (Python) vs `awal redact` on the generated
# evaluation set of benches/eval/pii.py (recall per Moroccan type, clean sentences
# touched, speed and ratio).
#
#   bash benches/peers/pii.sh
#
# Manual script, not run in CI: it creates a virtualenv OUTSIDE the repository ($VENV,
# default /tmp/awal-pii-venv) and pip-installs presidio-mena.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${VENV:-/tmp/awal-pii-venv}
TARGET=${CARGO_TARGET_DIR:-target}
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -c 'import presidio_mena' 2>/dev/null || "$VENV/bin/pip" install -q presidio-mena
cargo build --release -q -p awal-cli
"$VENV/bin/python" benches/peers/pii_peer.py "$TARGET/release/awal" "${SEED:-2026}"
