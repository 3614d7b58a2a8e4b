# The workbook opens in LibreOffice Calc without repair (skipped where Calc is not installed).
. "$SRC/tests/rollup/lib.bash"
command -v libreoffice >/dev/null 2>&1 || exit 77
ls /usr/lib/libreoffice/program/libsclo.so >/dev/null 2>&1 || exit 77  # Calc
mkdir "$T/in"
cp "$SEEDS"/*.txt "$T/in/"
make_corrupt "$T/in"
fz rollup -q "$T/in" -o "$T/out.xlsx"
HOME="$T" timeout 180 libreoffice --headless --norestore --convert-to pdf --outdir "$T" "$T/out.xlsx" \
	>"$T/lo.log" 2>&1 || fail "libreoffice: $(cat "$T/lo.log")"
[ -s "$T/out.pdf" ] || fail "no PDF: $(cat "$T/lo.log")"
pdftotext "$T/out.pdf" - | grep -q 沙柳河镇 || fail "PDF lacks the units"
exit 0
