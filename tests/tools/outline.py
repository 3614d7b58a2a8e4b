#!/usr/bin/env python3
"""outline.py: print the outline, sections and metadata of `fzreport check --format json`
results (stdin) in a compact, reviewable form: one line per node, indented by level."""
import json
import sys

for line in sys.stdin:
    d = json.loads(line)
    meta = {k: v for k, v in d["meta"].items() if v and k != "core"}
    print("meta", json.dumps(meta, ensure_ascii=False, sort_keys=True))
    for o in d["outline"]:
        print("%s%d %-7s %s:%s %s%s%s%s" % (
            "  " * o["level"], o["level"], o["kind"], o["line"], o["column"],
            o["numbering"] or "", o["text"],
            " [%s]" % o["section"] if o["section"] else "",
            " (run-in)" if o["run_in"] else ""))
    for s in d["sections"]:
        print("section %s %s %s:%s" % (s["id"], s["status"], s["line"], s["column"]))
