#!/usr/bin/env bash
# Builds the JNI shim against the deterministic test engine (Linux, gcc) into
# <out>/native/linux-<arch>/liblthn_test.so. Called by the Maven profile "native-test-engine".
# Usage: build-test-engine.sh <java.home> <test-classes dir>
set -euo pipefail
JH=$1; OUT=$2
here=$(cd "$(dirname "$0")" && pwd)
arch=$(uname -m); [ "$arch" = amd64 ] && arch=x86_64
inc="$JH/include"; [ -f "$inc/jni.h" ] || inc="$JH/../include"
dir="$OUT/native/linux-$arch"; mkdir -p "$dir"
gcc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra -Werror -fPIC -shared \
  -I"$inc" -I"$inc/linux" "$here/lthn_jni.c" "$here/test_engine.c" -o "$dir/liblthn_test.so"
chmod 0644 "$dir/liblthn_test.so"
