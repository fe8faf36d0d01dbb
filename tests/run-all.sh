#!/usr/bin/env bash
# The README's test command: installs what the full test suite needs (`tests/install.sh`: on a
# Debian machine, as root or through sudo), then runs every test, the `oracles` tier included.
# Plain `cargo test` needs none of it and runs every test that can run without it.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tests/install.sh

echo "run-all: [${SECONDS} s] cargo test --features oracles (every test)"
cargo test --locked --features oracles
