#!/bin/bash
# score_ratio.sh ROUNDS INPUT [ML]: whole-process timings of `ml score --suites heuristic` on one core
# (taskset -c 0) and on all cores, alternating round by round so the host's drift hits both alike.
# Prints each run's wall time (ms), the medians, their ratio and the median of the per-round ratios.
# INPUT: a corpus from score_corpus.py; ML: the launcher (default target/ml). Needs taskset and bc.
set -eu
rounds=${1:?rounds}; input=${2:?input}; ml=${3:-target/ml}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$ml" score --suites heuristic --input "$input" --output "$out/warm.json" >/dev/null 2>&1 # the archive
ms() { local s; s=$(date +%s%N); "$@" >/dev/null 2>&1; echo $((($(date +%s%N) - s) / 1000000)); }
one=(); all=()
for _ in $(seq "$rounds"); do
    one+=("$(ms taskset -c 0 "$ml" score --suites heuristic --input "$input" --output "$out/one.json")")
    all+=("$(ms "$ml" score --suites heuristic --input "$input" --output "$out/all.json")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
pairs=()
for i in "${!one[@]}"; do pairs+=("$(echo "scale=4; ${one[$i]} / ${all[$i]}" | bc)"); done
echo "one core:  ${one[*]}"
echo "all cores: ${all[*]}"
m1=$(median "${one[@]}"); m2=$(median "${all[@]}")
echo "median one $m1 ms, all $m2 ms, ratio $(echo "scale=3; $m1 / $m2" | bc), median of round ratios $(median "${pairs[@]}")"
