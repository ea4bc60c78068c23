#!/usr/bin/env python3
"""Benchmark corpus for `ml score` (issue 18): go-ml's public golden corpus repeated with fresh ids.

usage: score_corpus.py GOLDEN_JSONL LINES OUT [--pad BYTES]

Each output line is a golden line with "id" replaced by "<id>-<n>"; with --pad, the response is
repeated (joined by a space) until it is at least BYTES UTF-8 bytes, the shape of the issue's
406 MB corpus. Written with json.dumps(ensure_ascii=False), one object per line.
"""
import json
import sys


def main():
    args = sys.argv[1:]
    pad = 0
    if "--pad" in args:
        i = args.index("--pad")
        pad = int(args[i + 1])
        del args[i : i + 2]
    golden, lines, out = args[0], int(args[1]), args[2]
    rows = [json.loads(l) for l in open(golden, encoding="utf-8") if l.strip()]
    if pad:
        for r in rows:
            text = r.get("response", "")
            if text:
                grown = text
                while len(grown.encode("utf-8")) < pad:
                    grown += " " + text
                r["response"] = grown
    with open(out, "w", encoding="utf-8") as f:
        for n in range(lines):
            r = dict(rows[n % len(rows)])
            r["id"] = "%s-%d" % (r.get("id", ""), n)
            f.write(json.dumps(r, ensure_ascii=False))
            f.write("\n")


if __name__ == "__main__":
    main()
