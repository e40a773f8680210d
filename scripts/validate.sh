#!/usr/bin/env bash
# Format lint (the toolchain's swift-format, rules in .swift-format) and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== swift format lint --strict"
swift format lint --strict --recursive Package.swift Sources Tests

echo "== swift test"
swift test --disable-xctest
