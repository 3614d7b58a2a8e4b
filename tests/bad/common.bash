# common.bash: helpers sourced by the tests/bad/*.sh scripts.
#
# Every hostile input must end with a clear one-line error, the documented
# exit status (src/cmd.h: 3 unreadable input, 4 rule file, 5 usage, 6 output),
# no partial output, no sanitizer report, and quickly.
set -u
export FZREPORT_RULES=${FZREPORT_RULES:-$SRC/rules}
B=$TMPDIR/bad-$(basename "$0" .sh)
mkdir -p "$B"
fail=0
# seconds one hostile input may take; valgrind and sanitizers are slower
LIMIT=${FZ_BAD_LIMIT:-5}
[ -n "${FZ_VALGRIND:-}" ] && LIMIT=300
nfail() { echo "FAIL $*"; fail=1; }

# run NAME CMD...: run with a time limit; sets rc, ms, out (stdout file),
# err (stderr file); fails the case on a sanitizer report or a signal.
# ms is the smaller of the wall time and the CPU time (user + sys, all
# threads): a loaded machine (the test runner runs cases in parallel)
# stretches the wall time of a fast command, several threads its CPU time;
# a command slow in both is slow.  The timeout (wall) catches hangs.
run() {
	local name=$1 t0 t1 cpu
	shift
	out=$B/$name.out err=$B/$name.err
	t0=$(date +%s%N)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%U %S' -o "$B/$name.time" timeout $((LIMIT * 4)) "$@" >"$out" 2>"$err"
		rc=$?
	else
		timeout $((LIMIT * 4)) "$@" >"$out" 2>"$err"
		rc=$?
	fi
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	if [ -s "$B/$name.time" ]; then
		cpu=$(awk 'END { printf "%d", ($1 + $2) * 1000 }' "$B/$name.time")
		[ -n "$cpu" ] && [ "$cpu" -lt "$ms" ] && ms=$cpu
	fi
	if grep -q "Sanitizer\|runtime error:\|LeakSanitizer" "$err"; then
		nfail "$name: sanitizer report"; head -5 "$err"
	elif [ $rc = 124 ]; then
		nfail "$name: no result in $((LIMIT * 4)) s"
	elif [ $rc -gt 128 ]; then
		nfail "$name: killed by signal $((rc - 128))"
	elif [ $ms -gt $((LIMIT * 1000)) ]; then
		nfail "$name: took $ms ms (limit $LIMIT s)"
	fi
}

# unreadable NAME FILE SUBSTRING: `check FILE` exits 3 with exactly one FATAL
# line naming FILE and containing SUBSTRING; `check --format json FILE` gives
# one JSON object with "error" and verdict "unreadable".
unreadable() {
	local name=$1 file=$2 want=$3 n
	run "$name" "$FZREPORT" check "$file"
	[ $rc = 3 ] || nfail "$name: exit $rc, want 3: $(head -2 "$out" "$err")"
	n=$(cat "$out" "$err" | grep -c ": 无法读取: ")
	[ "$n" = 1 ] || nfail "$name: $n FATAL lines"
	cat "$out" "$err" | grep ": 无法读取: " | grep -qF -- "$file:" ||
		nfail "$name: the error does not name the file: $(cat "$out" "$err" | grep ": 无法读取: ")"
	cat "$out" "$err" | grep ": 无法读取: " | grep -qF -- "$want" ||
		nfail "$name: want '$want' in: $(cat "$out" "$err" | grep ": 无法读取: ")"
	run "$name-json" "$FZREPORT" check --format json "$file"
	[ $rc = 3 ] || nfail "$name: json exit $rc"
	python3 - "$out" "$want" <<'PY' || nfail "$name: json"
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 1, lines
d = json.loads(lines[0])
assert d["error"] and sys.argv[2] in d["error"], d["error"]
assert d["summary"]["verdict"] == "unreadable", d["summary"]
PY
}

# readable NAME FILE: `check --format json FILE` reads it (exit 0-2, no "error").
readable() {
	local name=$1 file=$2
	run "$name" "$FZREPORT" check --format json "$file"
	[ $rc -le 2 ] || nfail "$name: exit $rc: $(head -c 300 "$err")"
	python3 -c '
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
assert len(lines) == 1 and "error" not in json.loads(lines[0]), lines[:1]
' "$out" || nfail "$name: json"
}
