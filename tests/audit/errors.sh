#!/bin/bash
# audit errors: an output place that cannot be written is reported before
# any work (exit 6) and leaves no file; a missing font names its package
# (exit 6), so does a font it cannot use; usage errors exit 5.
set -eu
[ -f /usr/share/fonts/truetype/arphic/uming.ttc ] || exit 77
in=$SRC/examples/reports/qinghe-2024.txt
w=$TMPDIR/errors; mkdir -p "$w"
: >"$w/file"
expect() { # status command...
	local want=$1 rc=0; shift
	"$@" >"$w/out" 2>"$w/err" || rc=$?
	[ $rc -eq "$want" ] || { echo "exit $rc, expected $want: $*"; cat "$w/err"; exit 1; }
}
# -o under a regular file (unwritable even for root)
expect 6 "$FZREPORT" audit -o "$w/file/sub" "$in"
grep -q '无法建立输出目录' "$w/err" || { cat "$w/err"; exit 1; }
expect 6 "$FZREPORT" audit --combined "$w/file/county.pdf" "$in"
grep -q "$w/file" "$w/err" || { cat "$w/err"; exit 1; }
# a read-only directory (not for root, who may write anywhere)
if [ "$(id -u)" -ne 0 ]; then
	mkdir -p "$w/ro"; chmod 555 "$w/ro"
	expect 6 "$FZREPORT" audit -o "$w/ro" "$in"
	[ -z "$(ls -A "$w/ro")" ] || { echo "files left in read-only dir"; exit 1; }
fi
# -o creates the directory, nested
expect 0 "$FZREPORT" audit -q -o "$w/new/a/b" "$in"
[ -s "$w/new/a/b/qinghe-2024.pdf" ] || { echo "no PDF in created dir"; exit 1; }
[ -z "$(ls -A "$w/new/a/b" | grep -v '^qinghe-2024.pdf$')" ] || { echo "temp files left"; ls -A "$w/new/a/b"; exit 1; }
# fonts
expect 6 "$FZREPORT" audit -o "$w/f" --font "$w/nofont.ttf" "$in"
grep -q 'fonts-arphic-uming' "$w/err" || { cat "$w/err"; exit 1; }
expect 6 "$FZREPORT" audit -o "$w/f" --font "$w/file" "$in"
grep -q 'fonts-arphic-uming' "$w/err" || { cat "$w/err"; exit 1; }
# a font libharu cannot embed is named in Chinese, not by a libharu error number
printf 'OTTO\0\0\0\0not a font' >"$w/cff.otf"
expect 6 "$FZREPORT" audit -o "$w/f" --font "$w/cff.otf" "$in"
grep -q "字体.*$w/cff.otf" "$w/err" && ! grep -q '0x' "$w/err" || { cat "$w/err"; exit 1; }
[ ! -e "$w/f" ] || [ -z "$(ls -A "$w/f")" ] || { echo "output written with a bad font"; exit 1; }
# a character no font draws (U+1F600) never blocks the sheet or the binder
# (tests/audit/chars.sh); exit 1: the two are near copies (QUAL-010)
printf '%s\n' "青河镇人民政府关于2024年度法治政府建设情况的报告😀" >"$w/emoji.txt"
tail -n +2 "$in" >>"$w/emoji.txt"
expect 1 "$FZREPORT" audit -q -o "$w/e" --combined "$w/e/county.pdf" "$w/emoji.txt" "$in"
[ -s "$w/e/emoji.pdf" ] && [ -s "$w/e/county.pdf" ] || { echo "sheet or binder not written"; ls -A "$w/e"; exit 1; }
# an unreadable input is named (not its sheet), and a summary line closes the run
expect 3 "$FZREPORT" audit -q -o "$w/bad" "$SRC/examples/reports/broken.docx" "$in"
grep -q "examples/reports/broken.docx: 无法读取" "$w/err" || { cat "$w/err"; exit 1; }
tail -n 1 "$w/err" | grep -q '共 2 份报告：合格 1 份，.*无法读取 1 份；已写出 2 份审核意见单' || { cat "$w/err"; exit 1; }
expect 3 "$FZREPORT" audit --combined "$w/bad/c.pdf" "$SRC/examples/reports/broken.docx" "$in"
grep -q "examples/reports/broken.docx: 无法读取" "$w/err" && tail -n 1 "$w/err" | grep -q "已写出汇总 $w/bad/c.pdf" || { cat "$w/err"; exit 1; }
# usage
expect 5 "$FZREPORT" audit "$in"
expect 5 "$FZREPORT" audit -o "$w/u"
expect 5 "$FZREPORT" audit -j 0 -o "$w/u" "$in"
expect 0 "$FZREPORT" audit --help
# same-named inputs do not overwrite each other
mkdir -p "$w/a" "$w/b"; cp "$in" "$w/a/x.txt"; cp "$in" "$w/b/x.txt"
# the same report twice: the copy is a warning (QUAL-010), both sheets are written
expect 1 "$FZREPORT" audit -q -o "$w/dup" "$w/a/x.txt" "$w/b/x.txt"
[ -s "$w/dup/x.pdf" ] && [ -s "$w/dup/x-2.pdf" ] || { ls "$w/dup"; exit 1; }
exit 0
