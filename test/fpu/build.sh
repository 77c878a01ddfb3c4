#!/bin/sh
# Builds the FPU test wasm into build/fpu-test/ (uses test/fpu/asconfig.json, never the
# project asconfig).
set -e
cd "$(dirname "$0")/../.."
mkdir -p build/fpu-test
npx asc test/fpu/entry.ts --config test/fpu/asconfig.json \
  -o build/fpu-test/fpu.wasm -t build/fpu-test/fpu.wat \
  --runtime stub -O3 --noAssert "$@"
