# The progress bar goes to stderr on a terminal only; -q silences it.
. "$SRC/tests/rollup/lib.bash"
mkdir "$T/in"
cp "$SEEDS"/*.txt "$T/in/"
fz rollup "$T/in" -o "$T/a.xlsx" >"$T/out" 2>"$T/err" || fail "rollup failed"
[ -s "$T/err" ] && fail "output on stderr without a terminal: $(cat "$T/err")"
grep -q "^已写入 $T/a.xlsx：5 份" "$T/out" || fail "summary line: $(cat "$T/out")"
command -v script >/dev/null 2>&1 || exit 77
script -qec "'$FZREPORT' rollup '$T/in' -o '$T/b.xlsx'" "$T/tty" >/dev/null 2>&1
[ -e "$T/b.xlsx" ] || fail "no workbook under script"
grep -q '检查 \[#*\.*\] [0-9]*/5' "$T/tty" || fail "no progress bar on a terminal: $(cat "$T/tty")"
script -qec "'$FZREPORT' rollup -q '$T/in' -o '$T/c.xlsx'" "$T/tty2" >/dev/null 2>&1
grep -q '检查 \[' "$T/tty2" && fail "-q did not silence the progress bar"
exit 0
