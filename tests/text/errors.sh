# Text loader: unreadable text gives an error with the byte offset in the
# original file (and the line and column where the bytes sit).
set -u
L="$FZ_TOOLS/loadtext"
T=$(mktemp -d)
fail=0
expect() { # label file expected-output (exit status must be 3)
	local got rc
	got=$("$L" "$2" 2>&1)
	rc=$?
	if [ "$got" != "$3" ] || [ $rc != 3 ]; then
		echo "FAIL $1 (exit $rc)"; diff <(printf '%s\n' "$3") <(printf '%s\n' "$got"); fail=1
	fi
}
# NUL in UTF-8 text: offset 5 is the NUL, on line 2 after "cd" (column 3).
printf 'ab\ncd\0e\n' > "$T/nul"
expect nul "$T/nul" 'error: 字节偏移 5 处有 NUL 字符，不是纯文本文件 (line 2, column 3, offset 5)'
# NUL after Chinese text: offset counts bytes (3 per character), column code points.
printf '第一\r\n第二\0' > "$T/nul2"
expect nul-cjk "$T/nul2" 'error: 字节偏移 14 处有 NUL 字符，不是纯文本文件 (line 2, column 3, offset 14)'
# NUL in GB18030 text (2 bytes per character).
{ printf '第一\n第二' | iconv -f UTF-8 -t GB18030; printf '\0x'; } > "$T/nulgb"
expect nul-gb18030 "$T/nulgb" 'error: 字节偏移 9 处有 NUL 字符，不是纯文本文件 (line 2, column 3, offset 9)'
# UTF-16 without a BOM looks like text with NULs: say so.
printf 'abcdef\n' | iconv -f UTF-8 -t UTF-16LE > "$T/u16nobom"
expect utf16-no-bom "$T/u16nobom" 'error: 字节偏移 1 处有 NUL 字符，不是纯文本文件（像是不带 BOM 的 UTF-16 文本，请另存为 UTF-8） (line 1, column 2, offset 1)'
# NUL character in UTF-16.
printf '\xff\xfea\x00\x00\x00b\x00' > "$T/u16nul"
expect utf16-nul "$T/u16nul" 'error: 字节偏移 4 处有 NUL 字符，不是纯文本文件 (line 1, column 2, offset 4)'
# UTF-8 with a stray byte (mostly good UTF-8): the first bad byte.
printf '第一行\n第二行好的\xff中文\n' > "$T/bad8"
expect bad-utf8 "$T/bad8" 'error: 字节偏移 25 处不是有效的 UTF-8 编码（字节 0xFF） (line 2, column 6, offset 25)'
# Truncated UTF-8 sequence at the end of a UTF-8 file.
printf '法治政府建设年度报告\n\xe5\xbb' > "$T/trunc8"
expect trunc-utf8 "$T/trunc8" 'error: 字节偏移 31 处不是有效的 UTF-8 编码（字节 0xE5） (line 2, column 1, offset 31)'
# A UTF-8 BOM promises UTF-8: no GB18030 fallback.
{ printf '\xef\xbb\xbfab'; printf '法治' | iconv -f UTF-8 -t GB18030; } > "$T/bombad"
expect bom-bad "$T/bombad" 'error: 字节偏移 5 处不是有效的 UTF-8 编码（字节 0xB7；文件以 UTF-8 BOM 开头） (line 1, column 3, offset 5)'
# Neither UTF-8 nor GB18030: GB18030 text with a broken byte pair at offset 14.
{ printf '第一行\n第二行\n' | iconv -f UTF-8 -t GB18030; printf '\x81\x20abc\n'; } > "$T/badgb"
expect bad-gb18030 "$T/badgb" 'error: 无法识别文件编码：不是 UTF-8（字节偏移 0 起），按 GB18030 解码在字节偏移 14 处出错（字节 0x81） (line 3, column 1, offset 14)'
printf 'ab\x80\xff' > "$T/bin"
expect neither "$T/bin" 'error: 无法识别文件编码：不是 UTF-8（字节偏移 2 起），按 GB18030 解码在字节偏移 2 处出错（字节 0x80） (line 1, column 3, offset 2)'
# Bad UTF-16: a lone surrogate, an odd byte count.
printf '\xff\xfea\x00\x00\xd8b\x00' > "$T/surr"
expect utf16-surrogate "$T/surr" 'error: 字节偏移 4 处不是有效的 UTF-16LE 编码 (line 1, column 2, offset 4)'
printf '\xfe\xff\x00a\x00' > "$T/odd"
expect utf16-odd "$T/odd" 'error: UTF-16BE 文本在字节偏移 4 处被截断（字节数为奇数） (line 1, column 2, offset 4)'
# Empty files.
: > "$T/empty"
expect empty "$T/empty" 'error: 文件为空 (line -1, column -1, offset -1)'
printf ' \n\t\r\n\xe3\x80\x80\xc2\xa0\n' > "$T/ws"
expect whitespace "$T/ws" 'error: 文件为空（只有空白字符） (line -1, column -1, offset -1)'
printf '\xef\xbb\xbf' > "$T/bom"
expect bom-only "$T/bom" 'error: 文件为空 (line -1, column -1, offset -1)'
printf '\xef\xbb\xbf\r\n' > "$T/bomnl"
expect bom-newline "$T/bomnl" 'error: 文件为空（只有空白字符） (line -1, column -1, offset -1)'
printf '\xff\xfe \x00\n\x00' > "$T/u16ws"
expect utf16-whitespace "$T/u16ws" 'error: 文件为空（只有空白字符） (line -1, column -1, offset -1)'
# fzreport names the offset too, and exits 3 (unreadable input).
if [ -x "${FZREPORT:-}" ]; then
	out=$("$FZREPORT" check "$T/nul" 2>&1); rc=$?
	[ $rc = 3 ] || { echo "FAIL fzreport exit $rc for NUL file"; fail=1; }
	echo "$out" | grep -q '字节偏移 5' || { echo "FAIL fzreport message lacks offset: $out"; fail=1; }
fi
rm -rf "$T"
exit $fail
