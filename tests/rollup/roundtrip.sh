# result_read_jsonl_line() reads back every field json_result() writes, and refuses
# what is not a check result with a message.
. "$SRC/tests/rollup/lib.bash"
RT="${FZ_TOOLS:-$SRC/build/tools}/jsonround"
[ -x "$RT" ] || fail "tests/tools/jsonround not built"
mkdir "$T/in"
cp "$SEEDS"/*.txt "$T/in/"
make_corrupt "$T/in"
fz check --format json "$T/in" > "$T/a.jsonl"
[ -s "$T/a.jsonl" ] || fail "no check output"
"$RT" < "$T/a.jsonl" > "$T/b.jsonl" || fail "jsonround: $(grep error "$T/b.jsonl")"
cmp "$T/a.jsonl" "$T/b.jsonl" || fail "round trip changes the JSON"
# docx results (layout, meta.core) from the shared samples
mapfile -t docx < <(find "$SHARED/samples" -name '*.docx' 2>/dev/null | sort | head -8)
if [ ${#docx[@]} -gt 0 ]; then
	fz check --format json "${docx[@]}" > "$T/d.jsonl"
	"$RT" < "$T/d.jsonl" > "$T/e.jsonl" || fail "jsonround (docx): $(grep error "$T/e.jsonl")"
	cmp "$T/d.jsonl" "$T/e.jsonl" || fail "round trip changes docx JSON"
fi
bad() { # expected-message json
	printf '%s\n' "$2" | "$RT" > "$T/o" && fail "accepted: $2"
	grep -q "$1" "$T/o" || fail "message for $2: $(cat "$T/o")"
}
bad 'JSON 不完整' '{"file": "a.txt"'
bad 'JSON 语法错误' '{"file": a.txt}'
bad 'JSON 语法错误\|多余内容' '{"file": "a.txt"} x'
bad '缺少字段 file' '{"format": "txt"}'
bad 'summary.verdict' '{"file": "a.txt", "summary": {"verdict": "great"}}'
bad 'findings.severity' '{"file": "a.txt", "findings": [{"rule": "R", "message": "m", "severity": "huge"}]}'
bad 'sections.status' '{"file": "a.txt", "sections": [{"id": "plan", "status": "gone"}]}'
bad 'meta.year 应为整数' '{"file": "a.txt", "meta": {"year": "2024"}}'
bad 'findings\[0\] 应为对象' '{"file": "a.txt", "findings": [1]}'
bad 'findings.mark' '{"file": "a.txt", "findings": [{"rule": "R", "message": "m", "severity": "info", "excerpt": "ab", "mark": [1, 5]}]}'
bad '语法错误' "$(printf '{"file": "\xff"}')"
# a minimal object is a result: counts and verdict from its findings
printf '%s\n' '{"file":"a.txt","findings":[{"rule":"R","severity":"warning","message":"m"}]}' | "$RT" > "$T/o" || fail "minimal object"
grep -q '"verdict":"revise"' "$T/o" || fail "verdict not derived: $(cat "$T/o")"
exit 0
