#!/usr/bin/env bash
# Builds liblthn_mlx.dylib (macOS arm64) with CMake into <classes>/native/macos-aarch64/, where
# NativeLibrary extracts it from the jar. Called by the Maven profile "mlx-engine".
# Usage: build-mlx-engine.sh <java.home> <classes dir> <build dir> <mlx-c prefix> <required: true|false>
# Without cmake or mlx-c it warns and builds nothing (the "metal" engine then says the library is
# missing), unless required is true: then it fails.
set -euo pipefail
JH=$1; OUT=$2; BUILD=$3; PREFIX=${4:-}; REQUIRED=${5:-false}
here=$(cd "$(dirname "$0")" && pwd)
skip() {
  if [ "$REQUIRED" = true ]; then echo "mlx engine: $1" >&2; exit 1; fi
  echo "[WARNING] mlx engine not built: $1 (the metal engine stays unavailable)" >&2; exit 0
}
command -v cmake >/dev/null || skip "cmake not found (brew install cmake)"
[ -n "$PREFIX" ] || skip "set -Dmlx.c.prefix=<mlx-c install prefix> (README: Native engines)"
[ -f "$PREFIX/include/mlx/c/mlx.h" ] || skip "no $PREFIX/include/mlx/c/mlx.h: is -Dmlx.c.prefix an mlx-c install prefix?"
[ -f "$JH/include/jni.h" ] || JH="$JH/.."
dir="$OUT/native/macos-aarch64"; mkdir -p "$dir"
cmake -S "$here" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DMLX_C_PREFIX="$PREFIX" -DJAVA_HOME="$JH" \
  -DLTHN_OUTPUT_DIR="$dir"
cmake --build "$BUILD" --config Release
chmod 0644 "$dir/liblthn_mlx.dylib"
