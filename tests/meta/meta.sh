# Metadata read from the right place (issue 12, phenomenon 2): each case of
# tests/meta states what meta must hold and which findings of the metadata
# rules may or may not appear; JSON output is valid UTF-8 for every case and
# for the sample 请示 whose title once cut a character in meta.unit.
set -u
cd "$SRC"
fail=0
check() {  # check CASE PYTHON-ASSERTIONS
	"$FZREPORT" check --format json "$1" > "$TMPDIR/meta.json"
	if ! iconv -f UTF-8 -t UTF-8 "$TMPDIR/meta.json" > /dev/null 2>&1; then
		echo "invalid UTF-8 in the JSON of $1"
		fail=1
		return
	fi
	if ! python3 - "$TMPDIR/meta.json" "$2" <<'PY'
import json, sys
o = json.loads(open(sys.argv[1], encoding="utf-8").readline())
m = o["meta"]
rules = [f["rule"] for f in o["findings"]]
msgs = {f["rule"]: f["message"] for f in o["findings"]}
try:
    exec(sys.argv[2])
except AssertionError as e:
    print("meta:", m, "\nfindings:", rules)
    raise
PY
	then
		echo "meta check failed: $1"
		fail=1
	fi
}
# a title over four lines after the 版头, a cited number in the body, dates
# in the body, the 落款 at the end
check tests/meta/split-title.txt '
assert m["title"] == "中共白河县云溪镇委员会白河县云溪镇人民政府关于2024年法治政府建设情况的报告", m["title"]
assert (m["unit"], m["parent"], m["unit_kind"]) == ("云溪镇", "白河县", "township")
assert m["year"] == 2024 and m["doc_number"] == "云政报〔2025〕3号"
assert m["addressee"] == "县委、县政府" and m["date"] == "2025年1月15日"
for r in ("FMT-001", "FMT-015", "FMT-013", "REG-007", "REG-008", "REG-009", "REG-010", "FMT-007"):
    assert r not in rules, r
assert "文中引用的文号" in msgs["FMT-002"], msgs["FMT-002"]
'
# no 落款: FMT-007 once, no 成文日期 read from the body; a plan year is no report year
check tests/meta/no-signature.txt '
assert m["date"] is None and m["signatory"] is None and m["addressee"] is None
assert (m["unit"], m["year"]) == ("青石街道", 2024)
assert rules.count("FMT-007") == 1
for r in ("REG-007", "REG-008", "REG-009", "FMT-006"):
    assert r not in rules, r
'
# a report to a 人大常委会: its salutation is right, the session date is no 成文日期
check tests/meta/renda.txt '
assert m["addressee"] == "主任、各位副主任、委员" and m["date"] is None
assert (m["unit"], m["year"]) == ("白河县", 2024)
for r in ("REG-008", "REG-009", "REG-010", "FMT-003"):
    assert r not in rules, r
'
# no title: the unit of the opening sentence; a cited title is no year
check tests/meta/opening-unit.txt '
assert (m["unit"], m["parent"], m["year"]) == ("文化广电旅游局", "临江市", 2025)
assert m["addressee"] == "市委、市政府"
'
# nothing names the unit: none is guessed ("024年度", "上半年", "根据《…》")
check tests/meta/no-unit.txt '
assert m["unit"] is None and m["year"] == 2024 and m["addressee"] is None
'
# a 请示 whose title begins with 关于: no unit cut out of it
check tests/meta/qingshi.txt '
assert m["unit"] == "云溪镇" and m["signatory"] == "云溪镇人民政府"
assert "REG-010" in rules
'
# a year inside a cited title is that document's; a wrong heading year is still one
check tests/meta/cited-year.txt '
assert m["year"] == 2024
years = [f for f in o["findings"] if f["rule"] == "REG-007"]
assert len(years) == 1 and years[0]["line"] == 11, years
'
for f in "$SHARED"/samples/official-document-drafting/*.docx; do
	[ -f "$f" ] || continue
	check "$f" 'assert m["unit"] is None or "\ufffd" not in m["unit"]'
done
exit $fail
