#!/bin/bash
# Outputs that cannot be written: check to /dev/full and into a closed pipe
# (check | head -1), new/rollup/audit to a directory, under a file, into a
# read-only folder, onto a device, and with writes failing part-way
# (RLIMIT_FSIZE: EFBIG after 1 KB).  Each: exit 6, one clear line, no partial
# or temporary file left, and a good earlier output never replaced.
. "$SRC/tests/bad/common.bash"
command -v python3 >/dev/null || exit 77
R=$SRC/examples/reports
python3 "$SRC/bench/mkcorpus.py" 40 "$B/many" || exit 1
NEW=(new --unit 青河镇 --kind township --year 2024)

# one_line NAME: stderr is exactly one line, stdout empty
one_line() {
	[ "$(wc -l < "$err")" = 1 ] || nfail "$1: stderr: $(cat "$err")"
	[ ! -s "$out" ] || nfail "$1: stdout: $(head -c 200 "$out")"
}
# nothing_left NAME DIR: DIR holds no temporary file
nothing_left() {
	ls -A "$2" | grep -q '\.tmp' && nfail "$1: temporary file left: $(ls -A "$2")"
}

# check: standard output on a full disk
run check-full sh -c '"$0" check "$1"/*.txt > /dev/full' "$FZREPORT" "$R"
[ $rc = 6 ] || nfail "check-full: exit $rc"
one_line check-full
run check-full-json sh -c '"$0" check --format json "$1" > /dev/full' "$FZREPORT" "$B/many"
[ $rc = 6 ] || nfail "check-full-json: exit $rc"
one_line check-full-json
# check | head -1: a quick, silent end when the reader goes away
run sigpipe bash -c '"$0" check --format json "$1" | head -1; echo "${PIPESTATUS[0]}" >&2' \
	"$FZREPORT" "$B/many"
[ "$(wc -l < "$out")" = 1 ] || nfail "sigpipe: $(wc -l < "$out") lines"
st=$(tail -1 "$err")
[ "$st" = 141 ] || [ "$st" = 0 ] || nfail "sigpipe: exit $st"
[ "$(wc -l < "$err")" = 1 ] || nfail "sigpipe: stderr: $(cat "$err")"
# the same with SIGPIPE ignored (as under some job runners): one line, exit 6
run sigpipe-ignored bash -c 'trap "" PIPE; "$0" check --format json "$1" | head -1 >/dev/null; echo "${PIPESTATUS[0]}" >&2' \
	"$FZREPORT" "$B/many"
st=$(tail -1 "$err")
[ "$st" = 6 ] || nfail "sigpipe-ignored: exit $st"
[ "$(wc -l < "$err")" = 2 ] || nfail "sigpipe-ignored: stderr: $(cat "$err")"

# new: a directory given as the output file
mkdir -p "$B/out/dir.docx/keep"
run new-dir "$FZREPORT" "${NEW[@]}" -o "$B/out/dir.docx"
[ $rc = 6 ] || nfail "new-dir: exit $rc"
grep -q "dir.docx" "$err" || nfail "new-dir: message: $(cat "$err")"
[ -d "$B/out/dir.docx/keep" ] || nfail "new-dir: the directory was touched"
nothing_left new-dir "$B/out"
# under a regular file, and in a folder that does not exist
echo keep > "$B/out/file"
run new-notdir "$FZREPORT" "${NEW[@]}" -o "$B/out/file/x.docx"
[ $rc = 6 ] || nfail "new-notdir: exit $rc"
run new-nofolder "$FZREPORT" "${NEW[@]}" -o "$B/out/nosuch/x.docx"
[ $rc = 6 ] || nfail "new-nofolder: exit $rc"
[ -e "$B/out/nosuch" ] && nfail "new-nofolder: created the folder"
# writes that fail part-way: exit 6, nothing under the name, no temporary file,
# and an earlier good file under the same name kept as it was
for ext in docx txt; do
	run "new-efbig-$ext" bash -c 'trap "" XFSZ; ulimit -f 1; exec "$@"' _ "$FZREPORT" "${NEW[@]}" -o "$B/out/big.$ext"
	[ $rc = 6 ] || nfail "new-efbig-$ext: exit $rc"
	[ -e "$B/out/big.$ext" ] && nfail "new-efbig-$ext: partial output left"
	"$FZREPORT" "${NEW[@]}" -o "$B/out/good.$ext" 2>/dev/null || nfail "new good.$ext"
	cp "$B/out/good.$ext" "$B/good.$ext.orig"
	run "new-efbig-over-$ext" bash -c 'trap "" XFSZ; ulimit -f 1; exec "$@"' _ "$FZREPORT" "${NEW[@]}" --force --year 2025 -o "$B/out/good.$ext"
	[ $rc = 6 ] || nfail "new-efbig-over-$ext: exit $rc"
	cmp -s "$B/out/good.$ext" "$B/good.$ext.orig" || nfail "new-efbig-over-$ext: good output replaced"
	nothing_left "new-efbig-$ext" "$B/out"
done
grep -q "big.txt" "$B/new-efbig-txt.err" || nfail "new-efbig: message names no file"
# new onto an existing draft: refused without --force, the draft kept (issue 18, item 4)
echo "写了一半的草稿" > "$B/out/draft.txt"
run new-exists "$FZREPORT" "${NEW[@]}" -o "$B/out/draft.txt"
[ $rc = 6 ] || nfail "new-exists: exit $rc"
grep -q -- "--force" "$err" || nfail "new-exists: $(cat "$err")"
grep -q "写了一半的草稿" "$B/out/draft.txt" || nfail "new-exists: the draft was replaced"
run new-force "$FZREPORT" "${NEW[@]}" --force -o "$B/out/draft.txt"
[ $rc = 0 ] || nfail "new-force: exit $rc"
# onto a device: written to it (full: exit 6), never replaced by a file
if [ "$(id -u)" = 0 ] && mknod "$B/out/full.docx" c 1 7 2>/dev/null; then
	run new-device "$FZREPORT" "${NEW[@]}" -o "$B/out/full.docx"
	[ $rc = 6 ] || nfail "new-device: exit $rc"
	[ -c "$B/out/full.docx" ] || nfail "new-device: the device was replaced by a file"
	rm -f "$B/out/full.docx"
fi
# a read-only folder (as an unprivileged user when run as root)
mkdir -p "$B/ro"
chmod 555 "$B/ro"
as_user=()
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null &&
		setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$FZREPORT" 2>/dev/null; then
		chmod 711 "$TMPDIR" "$B"
		as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	else
		as_user=(skip)
	fi
fi
if [ "${as_user[0]:-}" != skip ]; then
	run new-readonly "${as_user[@]}" "$FZREPORT" "${NEW[@]}" -o "$B/ro/x.docx"
	[ $rc = 6 ] || nfail "new-readonly: exit $rc: $(cat "$err")"
	one_line new-readonly
	[ -z "$(ls -A "$B/ro")" ] || nfail "new-readonly: left $(ls -A "$B/ro")"
fi

if "$FZREPORT" rollup --help >/dev/null 2>&1; then
	run rollup-dir "$FZREPORT" rollup -q -o "$B/out/dir.docx" "$R"
	[ $rc = 6 ] || nfail "rollup-dir: exit $rc"
	mkdir -p "$B/out/d.xlsx"
	run rollup-dir2 "$FZREPORT" rollup -q -o "$B/out/d.xlsx" "$R"
	[ $rc = 6 ] || nfail "rollup-dir2: exit $rc"
	[ "$(wc -l < "$err")" -le 1 ] || nfail "rollup-dir2: stderr: $(cat "$err")"
	run rollup-efbig bash -c 'trap "" XFSZ; ulimit -f 2; exec "$@"' _ "$FZREPORT" rollup -q -o "$B/out/c.xlsx" "$B/many"
	[ $rc = 6 ] || nfail "rollup-efbig: exit $rc"
	[ -e "$B/out/c.xlsx" ] && nfail "rollup-efbig: partial workbook left"
	nothing_left rollup-efbig "$B/out"
	# libxlsxwriter's temporary worksheets fail to write while the (smaller,
	# compressed) package fits: the package is read back, nothing replaced
	# (issue 18, item 2)
	python3 "$SRC/bench/mkcorpus.py" 200 "$B/many200" || exit 1
	"$FZREPORT" rollup -q -o "$B/out/keep.xlsx" "$R" || nfail "rollup keep.xlsx"
	cp "$B/out/keep.xlsx" "$B/keep.orig"
	run rollup-temp-full bash -c 'trap "" XFSZ; ulimit -f 400; exec "$@"' _ "$FZREPORT" rollup -q -o "$B/out/keep.xlsx" "$B/many200"
	[ $rc = 6 ] || nfail "rollup-temp-full: exit $rc"
	grep -q "不完整" "$err" || nfail "rollup-temp-full: $(cat "$err")"
	cmp -s "$B/out/keep.xlsx" "$B/keep.orig" || nfail "rollup-temp-full: the good workbook was replaced"
	nothing_left rollup-temp-full "$B/out"
	# A limit that the sheet's own temporary file fits under and the
	# part libxlsxwriter assembles from it (the same rows between a
	# head and a tail) does not: the part is cut with no error from the
	# library.  Caught as it is packed (render_xlsx.c: the tap) and by
	# the whole read-back (FZREPORT_READBACK).
	"$FZREPORT" rollup -q -o "$B/out/full.xlsx" "$B/many200" || nfail "rollup full.xlsx"
	lim=$(python3 - "$B/out/full.xlsx" <<'PY'
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for i in z.infolist():
    if i.filename == "xl/worksheets/sheet2.xml":
        d = z.read(i)
        rows = d.index(b"</sheetData>") - d.index(b"<sheetData>") - len(b"<sheetData>")
        lim = (len(d) - 1) // 1024
        if rows <= lim * 1024 < len(d):
            print(lim)
PY
)
	rm -f "$B/out/full.xlsx"
	if [ -z "$lim" ]; then
		nfail "rollup-part-cut: no file size limit between the sheet's rows and its part"
	else
		for readback in "" 1; do
			for j in 1 2; do
				run "rollup-part-cut-$j$readback" env ${readback:+FZREPORT_READBACK=1} bash -c \
				    'trap "" XFSZ; ulimit -f '"$lim"'; exec "$@"' _ "$FZREPORT" rollup -q -j $j \
				    -o "$B/out/keep.xlsx" "$B/many200"
				[ $rc = 6 ] || nfail "rollup-part-cut-$j$readback: exit $rc"
				grep -q "sheet2.xml 被截断" "$err" || nfail "rollup-part-cut-$j$readback: $(cat "$err")"
				cmp -s "$B/out/keep.xlsx" "$B/keep.orig" ||
					nfail "rollup-part-cut-$j$readback: the good workbook was replaced"
				nothing_left "rollup-part-cut-$j$readback" "$B/out"
			done
		done
	fi
	# targets that are not a regular .xlsx, or are an input (issue 18, items 3, 4)
	ln -s "$B/out/keep.xlsx" "$B/out/link.xlsx"
	run rollup-symlink "$FZREPORT" rollup -q -o "$B/out/link.xlsx" "$R"
	[ $rc = 6 ] && [ -L "$B/out/link.xlsx" ] || nfail "rollup-symlink: exit $rc"
	run rollup-ext "$FZREPORT" rollup -q -o "$B/out/x.txt" "$R"
	[ $rc = 6 ] && [ ! -e "$B/out/x.txt" ] || nfail "rollup-ext: exit $rc"
	cp "$R/qinghe-2024.txt" "$B/out/report.xlsx"
	run rollup-onto-input "$FZREPORT" rollup -q -o "$B/out/report.xlsx" "$B/out/report.xlsx" "$R"
	[ $rc = 6 ] || nfail "rollup-onto-input: exit $rc"
	cmp -s "$B/out/report.xlsx" "$R/qinghe-2024.txt" || nfail "rollup-onto-input: the report was destroyed"
	if [ "$(id -u)" = 0 ] && mknod "$B/out/dev.xlsx" c 1 3 2>/dev/null; then
		run rollup-device "$FZREPORT" rollup -q -o "$B/out/dev.xlsx" "$R"
		[ $rc = 6 ] && [ -c "$B/out/dev.xlsx" ] || nfail "rollup-device: exit $rc, or the device replaced"
		rm -f "$B/out/dev.xlsx"
	fi
	if [ "${as_user[0]:-}" != skip ]; then
		run rollup-readonly "${as_user[@]}" "$FZREPORT" rollup -q -o "$B/ro/c.xlsx" "$R"
		[ $rc = 6 ] || nfail "rollup-readonly: exit $rc"
		[ -z "$(ls -A "$B/ro")" ] || nfail "rollup-readonly: left $(ls -A "$B/ro")"
	fi
fi
# output names of 246-255 bytes are valid; the temporary name must not pass
# NAME_MAX (issue 18, item 19)
long=$(python3 -c 'print("镇" * 80 + "abcd")')
run long-rollup "$FZREPORT" rollup -q -o "$B/out/$long.xlsx" "$R"
[ $rc = 0 ] && [ -s "$B/out/$long.xlsx" ] || nfail "long-rollup: exit $rc: $(cat "$err")"
run long-new "$FZREPORT" "${NEW[@]}" -o "$B/out/${long}x.txt"
[ $rc = 0 ] || nfail "long-new: exit $rc: $(cat "$err")"
mkdir -p "$B/long" && cp "$R/qinghe-2024.txt" "$B/long/$long.txt"
run long-audit "$FZREPORT" audit -q -o "$B/long" "$B/long/$long.txt"
[ -s "$B/long/$long.pdf" ] || nfail "long-audit: exit $rc: $(cat "$err")"
if "$FZREPORT" audit --help >/dev/null 2>&1; then
	echo x > "$B/out/plainfile"
	run audit-notdir "$FZREPORT" audit -q -o "$B/out/plainfile" "$R"
	[ $rc = 6 ] || nfail "audit-notdir: exit $rc"
	run audit-efbig bash -c 'trap "" XFSZ; ulimit -f 8; exec "$@"' _ "$FZREPORT" audit -q -o "$B/out/audit" "$R"
	[ $rc = 6 ] || nfail "audit-efbig: exit $rc"
	nothing_left audit-efbig "$B/out/audit"
	mkdir -p "$B/out/audit2"
	ln -s /dev/null "$B/out/audit2/qinghe-2024.pdf"
	run audit-symlink "$FZREPORT" audit -q -o "$B/out/audit2" "$R"
	[ $rc = 6 ] && [ -L "$B/out/audit2/qinghe-2024.pdf" ] || nfail "audit-symlink: exit $rc"
	cp "$R/qinghe-2024.txt" "$B/out/in.pdf"
	run audit-combined-input "$FZREPORT" audit -q --combined "$B/out/in.pdf" "$B/out/in.pdf"
	[ $rc = 6 ] || nfail "audit-combined-input: exit $rc"
	cmp -s "$B/out/in.pdf" "$R/qinghe-2024.txt" || nfail "audit-combined-input: the report was destroyed"
	if [ "${as_user[0]:-}" != skip ]; then
		run audit-readonly "${as_user[@]}" "$FZREPORT" audit -q -o "$B/ro" "$R"
		[ $rc = 6 ] || nfail "audit-readonly: exit $rc"
		[ -z "$(ls -A "$B/ro")" ] || nfail "audit-readonly: left $(ls -A "$B/ro")"
		run audit-combined-readonly "${as_user[@]}" "$FZREPORT" audit -q --combined "$B/ro/all.pdf" "$R"
		[ $rc = 6 ] || nfail "audit-combined-readonly: exit $rc"
	fi
fi
exit $fail
