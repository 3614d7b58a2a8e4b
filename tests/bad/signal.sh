#!/bin/bash
# An interrupted audit leaves no temporary sheet behind (issue 18, item 19):
# SIGINT while sheets are being written removes every temporary file and the
# process still dies of the signal.  Sheets are caught mid-write by polling
# for a temporary file; a machine too fast to catch one passes vacuously.
. "$SRC/tests/bad/common.bash"
python3 "$SRC/bench/mkcorpus.py" 300 "$B/many" >/dev/null || exit 1
for sig in INT TERM; do
	rm -rf "$B/audit"
	"$FZREPORT" audit -q -j 1 -o "$B/audit" "$B/many" 2>"$B/$sig.err" &
	pid=$!
	caught=0
	for _ in $(seq 1 600); do
		if ls -A "$B/audit" 2>/dev/null | grep -q '\.tmp'; then
			caught=1
			break
		fi
		kill -0 $pid 2>/dev/null || break
		sleep 0.05
	done
	kill -$sig $pid 2>/dev/null
	wait $pid
	rc=$?
	if [ $caught = 1 ]; then
		[ $rc -gt 128 ] || nfail "$sig: exit $rc, want death by the signal"
		ls -A "$B/audit" | grep -q '\.tmp' && nfail "$sig: temporary files left: $(ls -A "$B/audit" | grep tmp | head -3)"
	fi
	grep -q "Sanitizer" "$B/$sig.err" && nfail "$sig: sanitizer report"
done
exit $fail
