# Text loader: every accepted encoding decodes to the same paragraphs.
set -u
L="$FZ_TOOLS/loadtext"
T=$(mktemp -d)
fail=0
expect() { # label file expected-output
	local got
	got=$("$L" "$2" 2>&1)
	if [ "$got" != "$3" ]; then
		echo "FAIL $1"; diff <(printf '%s\n' "$3") <(printf '%s\n' "$got"); fail=1
	fi
}
# A line with a character outside the BMP (4 bytes in UTF-8 and GB18030,
# a surrogate pair in UTF-16) and a traditional one.
body=$'一、建設情况\n（一）𠀀字与€\n末行'
want() { printf 'encoding: %s\nparagraphs: 3\n1: 一、建設情况\n2: （一）𠀀字与€\n3: 末行' "$1"; }

printf '%s\n' "$body" > "$T/u8"
expect utf8 "$T/u8" "$(want UTF-8)"
{ printf '\xef\xbb\xbf'; printf '%s\n' "$body"; } > "$T/u8bom"
expect utf8-bom "$T/u8bom" "$(want 'UTF-8 (BOM)')"
{ printf '\xff\xfe'; printf '%s\n' "$body" | iconv -f UTF-8 -t UTF-16LE; } > "$T/le"
expect utf16le "$T/le" "$(want UTF-16LE)"
{ printf '\xfe\xff'; printf '%s\r\n' "$body" | iconv -f UTF-8 -t UTF-16BE; } > "$T/be"
expect utf16be-crlf "$T/be" "$(want UTF-16BE)"
printf '%s\n' "$body" | iconv -f UTF-8 -t GB18030 > "$T/gb"
expect gb18030 "$T/gb" "$(want GB18030)"
# GB18030 bytes of the fixture really are not UTF-8 (else the test proves nothing).
if iconv -f UTF-8 -t UTF-8 "$T/gb" >/dev/null 2>&1; then echo "FAIL gb fixture is valid UTF-8"; fail=1; fi
# A GB18030 file with only a few Chinese characters is still GB18030.
printf 'Report 2024\n法治\n' | iconv -f UTF-8 -t GB18030 > "$T/gb2"
expect gb18030-short "$T/gb2" $'encoding: GB18030\nparagraphs: 2\n1: Report 2024\n2: 法治'
# The real seeds, converted to GB18030, load to the same text as the UTF-8 originals.
for f in "$SHARED"/corpus/seeds/*.txt; do
	[ -f "$f" ] || continue
	iconv -f UTF-8 -t GB18030 "$f" > "$T/seed.gb"
	a=$("$L" "$f" | sed 1d)
	b=$("$L" "$T/seed.gb" | sed 1d)
	[ "$a" = "$b" ] || { echo "FAIL seed $f differs after GB18030 round trip"; fail=1; }
	"$L" "$T/seed.gb" | head -1 | grep -qx 'encoding: GB18030' || { echo "FAIL seed $f not GB18030"; fail=1; }
	n=$(awk 'END { print NR }' "$f")
	"$L" "$f" | sed -n 2p | grep -qx "paragraphs: $n" || { echo "FAIL seed $f: paragraphs != $n lines"; fail=1; }
done
# fzreport itself reports the encoding.
if [ -x "${FZREPORT:-}" ]; then
	"$FZREPORT" check --format json "$T/gb" | grep -q '"encoding":"GB18030"' ||
		{ echo "FAIL fzreport json lacks encoding GB18030"; fail=1; }
fi
rm -rf "$T"
exit $fail
