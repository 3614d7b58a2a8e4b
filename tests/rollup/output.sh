# The output is checked before any work and replaced atomically: a failure leaves no
# file, no temporary file, and any old workbook untouched.
. "$SRC/tests/rollup/lib.bash"
mkdir "$T/in" "$T/o"
cp "$SEEDS"/*.txt "$T/in/"
expect6() { # what output...
	local what=$1 out=$2 rc
	shift 2
	fz rollup -q "$T/in" -o "$out" "$@" 2>"$T/err"
	rc=$?
	[ $rc = 6 ] || fail "$what: exit $rc, want 6"
	grep -q '^fzreport: rollup: 无法写入' "$T/err" || fail "$what: message: $(cat "$T/err")"
}
expect6 "missing directory" "$T/nodir/out.xlsx"
[ -e "$T/nodir" ] && fail "created a directory"
expect6 "directory as output" "$T/o"
touch "$T/plain"
expect6 "file as directory" "$T/plain/out.xlsx"
if [ "$(id -u)" != 0 ]; then
	mkdir "$T/ro" && chmod 555 "$T/ro"
	expect6 "read-only directory" "$T/ro/out.xlsx"
	[ -z "$(ls -A "$T/ro")" ] || fail "read-only directory got a file"
fi
# checked before any work: a nonexistent rule file would be exit 4 if checked first
expect6 "before rules" "$T/nodir/out.xlsx" --rules "$T/none.yaml"

# an old workbook stays as it was when writing fails late
fz rollup -q "$T/in" -o "$T/o/old.xlsx" || fail "first run"
sum=$(cksum < "$T/o/old.xlsx")
# (a file size limit makes the late write fail; the old workbook is larger than it)
( ulimit -f 4; fz rollup -q "$T/in" -o "$T/o/old.xlsx" ) 2>"$T/err"
rc=$?
[ $rc = 6 ] || fail "late failure: exit $rc, want 6: $(cat "$T/err")"
grep -q '^fzreport: rollup: ' "$T/err" || fail "late failure: message: $(cat "$T/err")"
[ "$(cksum < "$T/o/old.xlsx")" = "$sum" ] || fail "old workbook changed"
fz rollup -q --rules "$T/none.yaml" "$T/in" -o "$T/o/old.xlsx" 2>/dev/null
[ $? = 4 ] || fail "broken rules: exit status"
[ "$(cksum < "$T/o/old.xlsx")" = "$sum" ] || fail "old workbook changed (rules)"
[ "$(ls -A "$T/o")" = old.xlsx ] || fail "temporary files left: $(ls -A "$T/o")"
# usage
fz rollup -q "$T/in" 2>/dev/null; [ $? = 5 ] || fail "no -o: want exit 5"
fz rollup -q -o "$T/o/x.xlsx" 2>/dev/null; [ $? = 5 ] || fail "no input: want exit 5"
[ -e "$T/o/x.xlsx" ] && fail "usage error wrote a file"
[ "$(ls -A "$T/o")" = old.xlsx ] || fail "temporary files left after usage errors"
exit 0
