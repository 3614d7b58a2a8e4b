#!/bin/bash
# audit: no character blocks a sheet or the binder.  Space characters are
# drawn as spaces, Word's symbol-font bullets as •, a character the main
# font lacks comes from an installed fallback font (fontconfig), and one
# no font has is drawn as □ and listed once on the sheet.  Every font has
# a valid ToUnicode map: pdftotext warns about nothing, and poppler and
# MuPDF extract the same characters.
set -eu
command -v pdftotext >/dev/null || exit 77
[ -f /usr/share/fonts/truetype/arphic/uming.ttc ] || exit 77
CHK="$SRC/tests/audit/pdfcheck.py"
in=$SRC/examples/reports/qinghe-2024.txt
w=$TMPDIR/chars; mkdir -p "$w"
odd=$(printf '（一）EM\u2003EN\u2002LS\u2028NB\u00a0符号\uf0b7圆点\uf06c箭头\uf0d8私用\ue001，CO\u2082，✓，™，𠮷，😀')
{
	head -n 1 "$in"
	printf '%s\n' "$odd"
	tail -n +2 "$in"
} >"$w/odd.txt"
rc=0
"$FZREPORT" audit -q -o "$w/s" --combined "$w/county.pdf" "$w/odd.txt" "$in" 2>"$w/err" || rc=$?
[ $rc -le 2 ] || { echo "audit exit $rc"; cat "$w/err"; exit 1; }
for pdf in "$w/s/odd.pdf" "$w/county.pdf"; do
	[ -s "$pdf" ] || { echo "no $pdf"; exit 1; }
	pdftotext "$pdf" "$w/t.txt" 2>"$w/warn"
	[ ! -s "$w/warn" ] || { echo "pdftotext warns on $pdf:"; head -3 "$w/warn"; exit 1; }
	"$CHK" tounicode "$pdf" >/dev/null || { echo "$pdf: bad ToUnicode"; exit 1; }
	"$CHK" text "$pdf" >"$w/t.txt"
	# spaces as spaces (gone with the whitespace), bullets as •, the rest as drawn
	grep -qF '（一）EMENLSNB符号•圆点•箭头•私用' "$w/t.txt" || { echo "$pdf: spaces/bullets"; grep -o '（一）EM.\{0,40\}' "$w/t.txt"; exit 1; }
	grep -qF 'CO₂，' "$w/t.txt" && grep -qF '™' "$w/t.txt" || { echo "$pdf: CO₂ or ™"; exit 1; }
	# no installed font draws 𠮷 or 😀 through libharu: □, and listed once per sheet
	grep -qF '™，□，□（第2行）' "$w/t.txt" || { echo "$pdf: no □"; grep -o '✓.\{0,20\}' "$w/t.txt"; exit 1; }
	[ "$(grep -o 'U+20BB7、U+1F600' "$w/t.txt" | wc -l)" -eq 1 ] || { echo "$pdf: missing characters not listed once"; exit 1; }
	if fc-list ':charset=2713' file 2>/dev/null | grep -q '\.tt[fc]'; then
		grep -qF '，✓，' "$w/t.txt" || { echo "$pdf: ✓ not drawn from a fallback font"; exit 1; }
	fi
	# a second extractor sees the same characters
	if command -v mutool >/dev/null; then
		mutool draw -q -F txt -o "$w/m.txt" "$pdf" 2>/dev/null
		pdftotext "$pdf" "$w/p.txt"
		python3 - "$w/m.txt" "$w/p.txt" <<'PY' || { echo "$pdf: MuPDF and poppler differ"; exit 1; }
import collections, re, sys
a, b = (collections.Counter(re.sub(r"\s+", "", open(f).read())) for f in sys.argv[1:3])
if a != b:
    print("mutool only: %r; pdftotext only: %r" % (dict(a - b), dict(b - a)))
    sys.exit(1)
PY
	fi
done
# the binder holds both sheets
[ "$(pdftotext "$w/county.pdf" - | grep -c '法治政府建设年度报告审核意见单')" -eq 2 ] || { echo "binder sheets"; exit 1; }
"$CHK" inside "$w/county.pdf" || exit 1
exit 0
