#!/bin/bash
# What a clerk reads carries no pattern syntax and no English severity word
# (issue "Findings a clerk can act on"): every message, hint and not-checked
# reason on the seeds, the dev corpus and the sample .docx files, and the
# terminal lines; and the terminal output of the longest reports stays short
# (JSON keeps every finding).
set -u
inputs=("$SHARED/corpus/seeds" "$SHARED/corpus/dev/texts")
while IFS= read -r -d '' f; do inputs+=("$f"); done < <(find "$SHARED/samples" -name '*.docx' -print0)
"$FZREPORT" check --format json "${inputs[@]}" >"$TMPDIR/all.jsonl" 2>/dev/null
"$FZREPORT" check "${inputs[@]}" >"$TMPDIR/all.txt" 2>/dev/null
python3 - "$TMPDIR/all.jsonl" "$TMPDIR/all.txt" <<'PY' || exit 1
import json, re, sys
syntax = re.compile(r"\||\(\?|\\[pPdswbx]|\[\^|\.\*|\.\+|\]\{|\]\+|\]\*")
bad = []
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    o = json.loads(line)
    for f in o.get("findings", []):
        n += 1
        for k in ("message", "hint", "source"):
            if syntax.search(f.get(k) or ""):
                bad.append((o["file"], f["rule"], k, f[k]))
    for u in o.get("not_checked", []):
        if syntax.search(u.get("reason") or ""):
            bad.append((o["file"], u["rule"], "reason", u["reason"]))
# terminal: severity words are Chinese; no option names or English words in the words around them
sev = re.compile(r": (error|warning|info|note|notchecked|fatal): ", re.I)
for line in open(sys.argv[2], encoding="utf-8"):
    if sev.search(line) or re.search(r"--[a-z]", line.split(": ", 1)[-1]):
        bad.append(("term", line.strip()[:120]))
for b in bad[:20]:
    print("clerk-facing text:", *b)
if n < 100:
    print("only", n, "findings: inputs missing?")
    sys.exit(1)
sys.exit(1 if bad else 0)
PY
# one screen: seed 000 and the three longest dev reports, checked by name in their folder
rows() {
	python3 -c '
import sys, unicodedata, math
r = 0
for l in sys.stdin.read().split("\n")[:-1]:
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l)
    r += max(1, math.ceil(w / 100))
print(r)'
}
check_screen() {
	local dir=$1 f=$2 lines r
	lines=$(cd "$dir" && "$FZREPORT" check "$f" | wc -l)
	r=$(cd "$dir" && "$FZREPORT" check "$f" | rows)
	# at most 40 lines; wrapped at 100 columns a little more (fzreport(1), check)
	if [ "$lines" -gt 40 ] || [ "$r" -gt 44 ]; then
		echo "$f: $lines lines, $r rows at 100 columns"
		return 1
	fi
}
check_screen "$SHARED/corpus/seeds" 000_952dc90bab6847c3.txt || exit 1
for f in $(cd "$SHARED/corpus/dev/texts" && ls -S *.txt | head -3); do
	check_screen "$SHARED/corpus/dev/texts" "$f" || exit 1
done
exit 0
