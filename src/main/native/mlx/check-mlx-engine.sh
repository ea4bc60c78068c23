#!/usr/bin/env bash
# What of the MLX engine can be checked off a Mac, with gcc: builds and runs bpe_check (the
# tokenizer, under AddressSanitizer when available), and when mlx-c's headers are given, compiles
# mlx_engine.c with -fsyntax-only against them (mlx-c is not vendored here) and, with cmake, runs
# the CMake build against them and an empty stand-in libmlxc (compiles the shim and the engine).
# Usage: check-mlx-engine.sh <work dir> [mlx-c include dir, holding mlx/c/mlx.h]
set -euo pipefail
WORK=$1; INC=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$WORK"
san="-fsanitize=address,undefined"
echo 'int main(void){return 0;}' > "$WORK/san.c"
gcc $san "$WORK/san.c" -o "$WORK/san" 2>/dev/null && "$WORK/san" || san=""
gcc -std=c11 -D_GNU_SOURCE -O1 -g $san -Wall -Wextra -Werror "$here/bpe.c" "$here/bpe_check.c" -o "$WORK/bpe_check"
"$WORK/bpe_check"
if [ -n "$INC" ]; then
  [ -f "$INC/mlx/c/mlx.h" ] || { echo "no $INC/mlx/c/mlx.h" >&2; exit 2; }
  gcc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -fsyntax-only -I"$INC" -I"$here/.." "$here/mlx_engine.c"
  echo "mlx_engine.c: syntax ok against $INC"
  if command -v cmake >/dev/null; then # the CMake build itself, linked against an empty stand-in libmlxc
    rm -rf "$WORK/prefix" "$WORK/cmake"; mkdir -p "$WORK/prefix/lib"
    cp -r "$INC" "$WORK/prefix/include"
    echo 'void lthn_mlxc_stand_in(void) {}' > "$WORK/stub.c"
    gcc -shared -fPIC "$WORK/stub.c" -o "$WORK/prefix/lib/libmlxc.so"
    jh=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    cmake -S "$here" -B "$WORK/cmake" -DMLX_C_PREFIX="$WORK/prefix" -DJAVA_HOME="$jh" -DLTHN_OUTPUT_DIR="$WORK/out" >/dev/null
    cmake --build "$WORK/cmake" >"$WORK/cmake.log" 2>&1 || { cat "$WORK/cmake.log"; exit 1; }
    echo "CMake build: ok (liblthn_mlx compiled; mlx-c symbols left for the Mac linker)"
  fi
fi
