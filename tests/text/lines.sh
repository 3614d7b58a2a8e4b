# Text loader: CRLF, CR and LF line ends; one paragraph per line, blank
# lines kept, a final line without a line end counted, no extra line after
# a trailing line end.
set -u
L="$FZ_TOOLS/loadtext"
T=$(mktemp -d)
fail=0
expect() { # label bytes(printf format) expected-output
	local got
	printf "$2" > "$T/f"
	got=$("$L" "$T/f" 2>&1)
	if [ "$got" != "$3" ]; then
		echo "FAIL $1"; diff <(printf '%s\n' "$3") <(printf '%s\n' "$got"); fail=1
	fi
}
expect lf 'a\nb\n' $'encoding: UTF-8\nparagraphs: 2\n1: a\n2: b'
expect lf-no-final 'a\nb' $'encoding: UTF-8\nparagraphs: 2\n1: a\n2: b'
expect crlf '甲\r\n乙\r\n' $'encoding: UTF-8\nparagraphs: 2\n1: 甲\n2: 乙'
expect cr '甲\r乙\r' $'encoding: UTF-8\nparagraphs: 2\n1: 甲\n2: 乙'
expect mixed 'a\r\nb\rc\nd' $'encoding: UTF-8\nparagraphs: 4\n1: a\n2: b\n3: c\n4: d'
expect blank-lines 'a\n\n\nb\n' $'encoding: UTF-8\nparagraphs: 4\n1: a\n2: \n3: \n4: b'
expect blank-crlf 'a\r\n\r\nb\r\n\r\n' $'encoding: UTF-8\nparagraphs: 4\n1: a\n2: \n3: b\n4: '
expect cr-cr-lf 'a\r\r\nb' $'encoding: UTF-8\nparagraphs: 3\n1: a\n2: \n3: b'
expect leading-blank '\n\n标题\n' $'encoding: UTF-8\nparagraphs: 3\n1: \n2: \n3: 标题'
expect spaces-kept '　　一、 总体  \n' $'encoding: UTF-8\nparagraphs: 1\n1: 　　一、 总体  '
expect single-char 'x' $'encoding: UTF-8\nparagraphs: 1\n1: x'
# Paragraph numbers are the file's line numbers: the line of each
# paragraph equals grep -n's line number for the same text.
printf '一、甲\r\n\r\n（一）乙\r\n丙\r\n\r\n\r\n二、丁' > "$T/g"
got=$("$L" "$T/g" | sed -n 's/^\([0-9]*\): \(.\)/\1:\2/p')
want=$(tr -d '\r' < "$T/g" | grep -n .)
[ "$got" = "$want" ] || { echo "FAIL line numbers"; diff <(echo "$want") <(echo "$got"); fail=1; }
rm -rf "$T"
exit $fail
