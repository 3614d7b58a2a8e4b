#!/bin/bash
# Hostile text inputs: empty, blank, binary junk, invalid UTF-8 and GB18030,
# NUL bytes, UTF-16 mistakes, devices and pipes, a missing file, a symlink
# loop, a docx renamed .txt, a 10 MB single line and reports over the limits
# (about 20-35 s with gcc -O2 on a 2-CPU machine: too slow for every run).
. "$SRC/tests/bad/common.bash"
command -v python3 >/dev/null || exit 77
python3 - "$B" <<'PY'
import os, random, sys
d = sys.argv[1]
w = lambda n, b: open(os.path.join(d, n), "wb").write(b)
rnd = random.Random(9)
w("empty.txt", b"")
w("bom.txt", b"\xef\xbb\xbf")
w("blank.txt", " \n\n\t\r\n\u3000\n".encode())
w("junk.txt", bytes(rnd.randrange(256) for _ in range(4096)))
w("junk-high.txt", bytes(rnd.randrange(0x80, 0x100) for _ in range(4096)))
w("png.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(64))
w("bad-utf8.txt", "一、总体情况\n".encode() + b"\xc3\x28 \xff\xfe" + "情况\n".encode())
w("overlong.txt", "一、总体".encode() + b"\xc0\xaf\xe0\x80\xaf\n")
w("surrogate.txt", "一、总体".encode() + b"\xed\xa0\x80\n")
w("gb18030.txt", "二〇二四年某镇法治政府建设情况报告\n一、主要举措\n".encode("gb18030"))
w("bad-gb18030.txt", "二〇二四年".encode("gb18030") + b"\x81\x30\x81\xff\xff\n")
w("nul.txt", "法治政府建设".encode() + b"\0" + "情况\n".encode())
w("utf16-odd.txt", b"\xff\xfe" + "一、".encode("utf-16-le") + b"A")
w("utf16-nobom.txt", "一、总体情况\n".encode("utf-16-le"))
w("utf16-lone.txt", b"\xff\xfe" + "一、".encode("utf-16-le") + b"\x00\xd8A\x00")
PY
unreadable empty "$B/empty.txt" "文件为空"
unreadable bom-only "$B/bom.txt" "文件为空"
unreadable blank "$B/blank.txt" "文件为空"
unreadable junk "$B/junk.txt" "NUL"
unreadable junk-high "$B/junk-high.txt" "字节偏移"
unreadable png "$B/png.txt" "NUL"
unreadable bad-utf8 "$B/bad-utf8.txt" "字节偏移"
unreadable overlong "$B/overlong.txt" "字节偏移"
unreadable surrogate "$B/surrogate.txt" "字节偏移"
readable gb18030 "$B/gb18030.txt"
grep -q '"encoding":"GB18030"' "$out" || nfail "gb18030: encoding: $(head -c 200 "$out")"
unreadable bad-gb18030 "$B/bad-gb18030.txt" "GB18030"
unreadable nul "$B/nul.txt" "字节偏移 18 处有 NUL 字符"
unreadable utf16-odd "$B/utf16-odd.txt" "UTF-16LE"
unreadable utf16-nobom "$B/utf16-nobom.txt" "NUL"
unreadable utf16-lone-surrogate "$B/utf16-lone.txt" "UTF-16"
unreadable missing "$B/no-such-report.txt" "无法打开文件"
ln -s loop.txt "$B/loop.txt"
unreadable symlink-loop "$B/loop.txt" "无法打开文件"
unreadable dev-zero /dev/zero "不是普通文件"
mkfifo "$B/fifo.txt" && unreadable fifo-no-writer "$B/fifo.txt" "不是普通文件"
# a pipe with a writer that never writes (issue 18, item 12): refused, not read
mkfifo "$B/fifo-silent.txt" && {
	sleep 30 >"$B/fifo-silent.txt" &
	writer=$!
	unreadable fifo-silent-writer "$B/fifo-silent.txt" "不是普通文件"
	kill $writer 2>/dev/null; wait $writer 2>/dev/null
}
# escape sequences in a report or a file name never reach the terminal raw
# (issue 18, item 18): they could clear the screen or forge a summary line
printf '关于2024年度法治政府建设情况的报告\n一、主要举措和成效\033[2J\033]0;x\007\302\233m\n' >"$B/esc.txt"
cp "$B/esc.txt" "$B/esc"$'\n'"fzreport: 合格.txt"
run escapes "$FZREPORT" check "$B/esc.txt" "$B/esc"$'\n'"fzreport: 合格.txt"
if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]' "$out" "$err"; then
	nfail "escapes: control characters in the terminal output"
fi
grep -q '\\x1B\[2J' "$out" || nfail "escapes: ESC not shown as \\x1B"
# every line starts with one of the two file names (the newline escaped) or is a hint
[ "$(grep -c "^$B/esc\.txt:\|^$B/esc\\\\x0A\|^    修改建议：" "$out")" = "$(wc -l <"$out")" ] ||
	nfail "escapes: a line not starting with a file name or a hint"
# symbolic links to folders are not followed (issue 18, item 6): two links
# to "." never ended, one listed every report again
mkdir -p "$B/links/sub"
printf '关于2024年度法治政府建设情况的报告\n一、主要举措和成效\n' >"$B/links/sub/a.txt"
ln -s . "$B/links/sub/self"; ln -s .. "$B/links/sub/up"; ln -s sub "$B/links/again"
run symlink-dirs "$FZREPORT" check --format json "$B/links"
[ $rc -le 3 ] || nfail "symlink-dirs: exit $rc"
n=$(grep -c '"file"' "$out")
[ "$n" = 1 ] || nfail "symlink-dirs: $n reports, want 1"
# what the walk lists by the type readdir() gives: a link to a report and a
# broken link are listed (the loader says why the second cannot be read), a
# named pipe too, a link to a folder is not followed
mkdir -p "$B/kinds/sub"
cp "$B/links/sub/a.txt" "$B/kinds/sub/a.txt"
ln -s sub/a.txt "$B/kinds/b.txt"; ln -s nowhere.txt "$B/kinds/c.txt"; ln -s sub "$B/kinds/d.txt"
mkfifo "$B/kinds/e.txt"
run walk-types "$FZREPORT" check --format json "$B/kinds"
[ $rc = 3 ] || nfail "walk-types: exit $rc, want 3"
python3 - "$out" "$B/kinds" <<'PY' || nfail "walk-types: $(head -c 400 "$out")"
import json, sys
got = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
files = [g["file"][len(sys.argv[2]) + 1:] for g in got]
assert files == ["b.txt", "c.txt", "e.txt", "sub/a.txt"], files
assert "error" not in got[0] and "error" not in got[3], got
assert "无法打开文件" in got[1]["error"] and "不是普通文件" in got[2]["error"], got[1:3]
PY
echo "walk-types: exit $rc, $(grep -c '"file"' "$out") reports"
# a folder that cannot be listed is an unreadable input, not a silent gap
# (issue 18, item 5); root reads every folder, so only as a user
if [ "$(id -u)" != 0 ]; then
	mkdir -p "$B/locked/town"; cp "$B/links/sub/a.txt" "$B/locked/b.txt"
	chmod 000 "$B/locked/town"
	run locked-dir "$FZREPORT" check --format json "$B/locked"
	chmod 755 "$B/locked/town"
	[ $rc = 3 ] || nfail "locked-dir: exit $rc, want 3"
	grep -q '无法读取的文件夹' "$out" || nfail "locked-dir: no 无法读取的文件夹 in the JSON"
fi
cp "$SRC/examples/reports/broken.docx" "$B/docx-renamed.txt"
unreadable docx-renamed-txt "$B/docx-renamed.txt" "NUL"
# a directory with no reports in it is a usage error
mkdir -p "$B/nothing"; : > "$B/nothing/notes.pdf"
run empty-dir "$FZREPORT" check "$B/nothing"
[ $rc = 5 ] || nfail "empty-dir: exit $rc"
[ "$(wc -l < "$err")" = 1 ] && [ ! -s "$out" ] || nfail "empty-dir: output $(cat "$out" "$err")"

# a 10 MB single line: read, analysed, quickly
python3 -c '
import sys
s = "一、法治政府建设主要举措。" + "我镇坚持依法行政，推进法治政府建设，" * 190000
open(sys.argv[1], "w", encoding="utf-8").write(s)' "$B/line10m.txt"
LIMIT=$((LIMIT * 2)) readable line-10mb "$B/line10m.txt"
echo "10 MB single line: $ms ms"

# over the per-report limits (issue 18, item 20): refused with the reason,
# quickly and in little memory, never a run taken down
python3 -c '
import sys
p = open(sys.argv[1], encoding="utf-8").read()
with open(sys.argv[2], "w", encoding="utf-8") as f:
    n = 0
    while n < 20 << 20:
        f.write(p); n += len(p.encode())' "$SRC/examples/reports/qinghe-2024.txt" "$B/big.txt"
unreadable text-20mb "$B/big.txt" "报告过大"
python3 -c 'import sys; open(sys.argv[1], "w").write("一、\n" * 250000)' "$B/paras.txt"
unreadable paragraphs "$B/paras.txt" "报告过大"
head -c $((65 << 20)) /dev/zero | tr '\0' 'a' > "$B/huge.txt"
unreadable file-65mb "$B/huge.txt" "文件过大"
exit $fail
