# --previous: last year's verdict and error count per unit (matched by unit name); the
# similarity column shows the QUAL-009 finding of the same unit's report in the directory
# (the copies made below, years changed, are nearly the same text), 否 when the rule found
# nothing (the cut-short report), "–" when it did not run (nothing made up).
. "$SRC/tests/rollup/lib.bash"
mkdir "$T/in" "$T/prev"
cp "$SEEDS"/*.txt "$T/in/"
# last year's reports: the same units, a year earlier, one of them cut short
for f in "$SEEDS"/*.txt; do
	sed -e 's/2024/2023/g' -e 's/2022/2021/g' "$f" > "$T/prev/$(basename "$f")"
done
head -n 6 "$SEEDS/002_afe073d52ad54832.txt" | sed 's/2024/2023/g' > "$T/prev/002_afe073d52ad54832.txt"
fz check --format json "$T/prev" > "$T/prev.jsonl"
fz rollup -q --previous "$T/prev" "$T/in" -o "$T/out.xlsx"
"${DUMP[@]}" "$T/out.xlsx" 汇总 > "$T/s"
hdr=$(head -1 "$T/s")
colno() { echo "$hdr" | tr '\t' '\n' | grep -nx "$1" | cut -d: -f1; }
for c in 上年结论 上年错误 与上年相似; do
	[ -n "$(colno $c)" ] || fail "no column $c: $hdr"
done
python3 - "$T/prev.jsonl" "$T/s" "$(colno 单位)" "$(colno 上年结论)" "$(colno 上年错误)" "$(colno 与上年相似)" <<'PY' || fail "上年 columns wrong"
import json, sys
V = {"pass": "合格", "revise": "需修改", "fail": "不合格", "unreadable": "无法读取"}
prev = {}
for l in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(l)
    prev[r["meta"]["unit"]] = (V[r["summary"]["verdict"]], str(r["summary"]["errors"]))
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[2], encoding="utf-8")][1:-1]
u, v, e, s = (int(x) - 1 for x in sys.argv[3:7])
bad = 0
for r in rows:
    r += [""] * 40
    want = prev.get(r[u], ("–", "–"))
    if (r[v], r[e]) != want:
        print("unit %s: got %s %s, want %s %s" % (r[u], r[v], r[e], *want)); bad = 1
    if r[u] == "下汤镇":
        if r[s] != "否":
            print("unit %s: 与上年相似 %r, want 否 (last year's report was cut short)" % (r[u], r[s])); bad = 1
    elif not r[s].startswith("与上一年度报告高度相似"):
        print("unit %s: 与上年相似 %r, want the QUAL-009 finding" % (r[u], r[s])); bad = 1
sys.exit(bad)
PY
# the cut-short report of last year failed; this year's did not
grep -q '下汤镇.*	不合格	[1-9]' "$T/s" || fail "下汤镇: last year's 不合格 not shown"
"${DUMP[@]}" "$T/out.xlsx" 说明 | grep -q "^上年报告	$T/prev$" || fail "说明 does not name --previous"

# one file of last year's: the similar rule runs as in check --previous, and its finding shows
p3="$T/prev/003_693843e5a07fc8c3.txt"
fz check --previous "$p3" "$T/in" > "$T/check.txt"
grep -q '003_693843e5a07fc8c3.txt: 警告: QUAL-009' "$T/check.txt" || fail "check --previous did not flag 003"
fz rollup -q --previous "$p3" "$T/in" -o "$T/one.xlsx"
"${DUMP[@]}" "$T/one.xlsx" 汇总 > "$T/s1"
hdr=$(head -1 "$T/s1")
sim=$(colno 与上年相似)
msg=$(fz check --format json --previous "$p3" "$T/in/003_693843e5a07fc8c3.txt" |
	python3 -c 'import json,sys; print([f["message"] for f in json.load(sys.stdin)["findings"] if f["rule"]=="QUAL-009"][0])')
[ "$(grep '	中仓乡	' "$T/s1" | cut -f"$sim")" = "$msg" ] || fail "中仓乡: 与上年相似 is not the QUAL-009 finding"
[ "$(grep -v '	中仓乡	' "$T/s1" | sed '1d;$d' | cut -f"$sim" | sort -u)" = "–" ] || fail "units without last year's report: not –"
# the rule ran for 下汤镇 and found last year's (cut-short) report different: 否
fz rollup -q --previous "$T/prev/002_afe073d52ad54832.txt" "$T/in" -o "$T/two.xlsx"
[ "$("${DUMP[@]}" "$T/two.xlsx" 汇总 | grep '	下汤镇	' | cut -f"$sim")" = "否" ] || fail "下汤镇: want 否"
exit 0
