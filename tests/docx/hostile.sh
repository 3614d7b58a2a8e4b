#!/bin/bash
# Hostile and unreadable files: each ends with a clear Chinese message,
# exit status 3, within a second, for both dumpdocx and fzreport check.
set -u
command -v python3 >/dev/null || exit 77
out=$TMPDIR/docx-hostile
python3 "$SRC/tests/tools/mkdocx.py" "$out" || exit 1
fail=0
expect() { # file  substring-of-message
	local f=$out/$1 t0 t1 ms msg rc cpu
	t0=$(date +%s%N)
	msg=$(/usr/bin/time -f '%U %S' -o "$out/time" "$FZ_TOOLS/dumpdocx" "$f" 2>&1 >/dev/null)
	rc=$?
	t1=$(date +%s%N)
	ms=$(( (t1 - t0) / 1000000 ))
	# the smaller of wall and CPU time: cases run in parallel on a loaded machine
	cpu=$(awk 'END { printf "%d", ($1 + $2) * 1000 }' "$out/time")
	[ -n "$cpu" ] && [ "$cpu" -lt $ms ] && ms=$cpu
	if [ $rc != 3 ] || [[ $msg != *"$2"* ]]; then
		echo "FAIL $1: dumpdocx exit $rc: $msg (want: $2)"; fail=1
	fi
	if [ -z "${FZ_VALGRIND:-}" ] && [ $ms -gt 1000 ]; then
		echo "FAIL $1: took $ms ms"; fail=1
	fi
	if [ -x "$FZREPORT" ]; then
		msg=$("$FZREPORT" check "$f" 2>&1)
		rc=$?
		if [ $rc != 3 ] || [[ $msg != *": 无法读取: "*"$2"* ]]; then
			echo "FAIL $1: fzreport check exit $rc: $msg"; fail=1
		fi
	fi
}
expect truncated.docx "文件被截断"
expect notzip.docx "不是 zip 压缩包"
expect empty.docx "文件为空"
expect renamed.docx "另存为 .docx"
expect legacy.doc "另存为 .docx"
expect encrypted.docx "密码保护"
expect bomb.docx "疑为压缩炸弹"
expect ratio.docx "压缩比超过"
expect entitybomb.docx "含有 DTD"
expect xxe.docx "含有 DTD"
expect dtd16.docx "含有 DTD"
expect nodocument.docx "缺少正文部件 word/document.xml"
expect malformed.docx "word/document.xml 第 4 行：XML 格式错误"
expect badstyles.docx "word/styles.xml 第 3 行：XML 格式错误"
expect deep.docx "XML 嵌套过深"
# nothing from /etc/passwd may ever reach the output
if "$FZ_TOOLS/dumpdocx" "$out/xxe.docx" 2>&1 | grep -q "root:"; then
	echo "FAIL xxe: external entity read"; fail=1
fi
exit $fail
