#!/bin/bash
# fzreport new -> fzreport check: every required section found and no
# structure error; with an empty profile the only findings are on the
# "[待填：…]" placeholders, with a full profile there are none at all.
# Plain text, Markdown (checked as text) and .docx (skipped, exit 77, only
# when this build's check cannot read .docx).
set -u
fail=0
verify() { # file expect(empty|full)
	"$FZREPORT" check --format json "$1" > "$TMPDIR/rt.json"
	python3 - "$TMPDIR/rt.json" "$2" "$1" <<'PY' || fail=1
import json, sys
d = json.loads(open(sys.argv[1]).readline())
name = sys.argv[3]
bad = []
if d.get("error"):
    bad.append("unreadable: %s" % d["error"])
for s in d.get("sections", []):
    if s["status"] != "found":
        bad.append("section %s %s" % (s["id"], s["status"]))
if len(d.get("sections", [])) < 5:
    bad.append("only %d sections" % len(d.get("sections", [])))
for f in d.get("findings", []):
    if sys.argv[2] == "full" or "[待填" not in (f.get("excerpt") or ""):
        bad.append("finding %s at %s:%s: %s (%s)" % (f["rule"], f["line"], f["column"], f["message"], f.get("excerpt")))
if d["meta"]["year"] != 2024:
    bad.append("year %r" % d["meta"]["year"])
if sys.argv[2] == "full" and d["summary"]["verdict"] != "pass":
    bad.append("verdict %s" % d["summary"]["verdict"])
for b in bad:
    print("%s: %s" % (name, b))
sys.exit(1 if bad else 0)
PY
}
for kind in township street department county; do
	for v in empty full; do
		"$FZREPORT" new --profile "$SRC/tests/new/profiles/$kind-$v.yaml" -o "$TMPDIR/rt-$kind-$v.txt" 2>/dev/null || fail=1
		verify "$TMPDIR/rt-$kind-$v.txt" $v
		"$FZREPORT" new --profile "$SRC/tests/new/profiles/$kind-$v.yaml" -o "$TMPDIR/rt-$kind-$v.md" 2>/dev/null || fail=1
		cp "$TMPDIR/rt-$kind-$v.md" "$TMPDIR/rt-$kind-$v-md.txt"
		verify "$TMPDIR/rt-$kind-$v-md.txt" $v
	done
done
[ $fail = 0 ] || exit 1
# .docx: needs the docx reader in check
"$FZREPORT" new --profile "$SRC/examples/unit.yaml" -o "$TMPDIR/rt.docx" 2>/dev/null || exit 1
"$FZREPORT" check --format json "$TMPDIR/rt.docx" > "$TMPDIR/probe.json"
if python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).readline()); sys.exit(0 if d.get("error") and d["summary"]["verdict"] == "unreadable" else 1)' "$TMPDIR/probe.json"; then
	echo "check cannot read .docx in this build: docx round trip skipped"
	exit 77
fi
for kind in township street department county; do
	for v in empty full; do
		"$FZREPORT" new --profile "$SRC/tests/new/profiles/$kind-$v.yaml" -o "$TMPDIR/rt-$kind-$v.docx" 2>/dev/null || fail=1
		verify "$TMPDIR/rt-$kind-$v.docx" $v
	done
done
exit $fail
