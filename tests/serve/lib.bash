# tests/serve/lib.bash: sourced by the serve tests.  serve_start [ARGS...]
# starts `fzreport serve` on a free port of 127.0.0.1 (URL in $BASE, pid in
# $SPID, its log in $SLOG); the server is stopped when the test exits.
FZREPORT=${FZREPORT:-$SRC/fzreport}
SHARED=${SHARED:-$SRC/../shared}
TMPDIR=${TMPDIR:-/tmp}
command -v curl >/dev/null 2>&1 || { echo "skip: curl is not installed (scripts/install-deps)"; exit 77; }
SEEDS=("$SHARED"/corpus/seeds/*.txt)
SPID=
serve_stop() {
	if [ -n "$SPID" ] && kill -0 "$SPID" 2>/dev/null; then
		kill -TERM "$SPID"
		wait "$SPID" 2>/dev/null
	fi
	SPID=
	if [ -n "${SLOG:-}" ] && grep -q 'ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:' "$SLOG"; then
		grep -A30 'Sanitizer\|runtime error:' "$SLOG" | head -60
		echo "FAIL: memory error in the server"
		exit 1
	fi
}
trap serve_stop EXIT
serve_start() {
	SLOG=$(mktemp "$TMPDIR/serve-log.XXXXXX")
	"$FZREPORT" serve --listen 127.0.0.1:0 "$@" 2>"$SLOG" &
	SPID=$!
	local i
	for i in $(seq 100); do
		BASE=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$SLOG" | head -1)
		[ -n "$BASE" ] && return 0
		kill -0 "$SPID" 2>/dev/null || break
		sleep 0.1
	done
	echo "server did not start:"; cat "$SLOG"; exit 1
}
fail() { echo "FAIL: $*"; [ -n "${SLOG:-}" ] && tail -20 "$SLOG"; exit 1; }
# status URL [curl args...]: the HTTP status only
status() { local u=$1; shift; curl -s -o /dev/null -w '%{http_code}' "$@" "$u"; }
# the JSON of a check without its "file" (a path here, the upload's name there)
nofile() { python3 -c 'import json,sys
for l in sys.stdin:
    if l.strip():
        d=json.loads(l); d.pop("file",None); print(json.dumps(d,ensure_ascii=False,sort_keys=True))'; }
