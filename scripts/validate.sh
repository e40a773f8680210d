#!/usr/bin/env bash
# Format lint (the toolchain's swift-format, rules in .swift-format) and the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== swift format lint --strict"
swift format lint --strict --recursive Package.swift Sources Tests

echo "== swift test"
# The README's test command, with a deadline: a test that hangs fails the run instead of holding it.
timeout --kill-after=30 1800 swift test --disable-xctest
