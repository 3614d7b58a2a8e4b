#!/bin/bash
# serve: POST /api/check answers exactly the JSON of `check --format json`
# on the same file (seeds, a real .docx, several files as JSON Lines, the
# raw body with ?name=); /api/rules and /healthz.
. "$SRC/tests/serve/lib.bash"
serve_start --workers 2
docx=$(find "$SHARED/samples" -name '*.docx' | sort | head -1)
[ -n "$docx" ] || fail "no .docx under samples"
for f in "${SEEDS[@]}" "$docx"; do
	curl -s -F "file=@$f" "$BASE/api/check" | nofile > "$TMPDIR/api.json"
	"$FZREPORT" check --format json "$f" | nofile > "$TMPDIR/cli.json"
	cmp -s "$TMPDIR/api.json" "$TMPDIR/cli.json" || { diff "$TMPDIR/cli.json" "$TMPDIR/api.json" | head; fail "API differs from check on $f"; }
	name=$(curl -s -F "file=@$f" "$BASE/api/check" | python3 -c 'import json,sys; print(json.load(sys.stdin)["file"])')
	[ "$name" = "$(basename "$f")" ] || fail "file is '$name', not the upload's name"
done
# several files: JSON Lines, in upload order, like check on both
curl -s -F "file=@${SEEDS[0]}" -F "file=@${SEEDS[1]}" "$BASE/api/check" | nofile > "$TMPDIR/api.json"
"$FZREPORT" check --format json "${SEEDS[0]}" "${SEEDS[1]}" | nofile > "$TMPDIR/cli.json"
cmp -s "$TMPDIR/api.json" "$TMPDIR/cli.json" || fail "two files differ from check"
# the raw body with ?name=
curl -s --data-binary "@${SEEDS[2]}" -H 'Content-Type: application/octet-stream' \
	"$BASE/api/check?name=%E6%8A%A5%E5%91%8A.txt" > "$TMPDIR/raw.json"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["file"]=="报告.txt"' "$TMPDIR/raw.json" || fail "raw body name"
nofile < "$TMPDIR/raw.json" > "$TMPDIR/api.json"
"$FZREPORT" check --format json "${SEEDS[2]}" | nofile > "$TMPDIR/cli.json"
cmp -s "$TMPDIR/api.json" "$TMPDIR/cli.json" || fail "raw body differs from check"
# rules and health
curl -s "$BASE/api/rules" | python3 -c 'import json,sys; r=json.load(sys.stdin); assert len(r)>20 and all("id" in x and "message" in x for x in r)' || fail "/api/rules"
[ "$(curl -s "$BASE/healthz")" = ok ] || fail "/healthz"
grep -q 'POST /api/check 200 ' "$SLOG" || fail "no access log line"
serve_stop
grep -q '已停止' "$SLOG" || fail "no clean stop"
exit 0
