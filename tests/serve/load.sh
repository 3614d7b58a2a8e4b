#!/bin/bash
# serve under load: 200 uploads from 20 concurrent clients (100 to the page,
# 100 to the API) all answer 303/200 (or 503 when the queue is full), none fails; the server keeps serving
# and its memory stays within the cache limit plus a constant.
. "$SRC/tests/serve/lib.bash"
serve_start --workers 2 --queue 8 --cache 8M
seq 100 | xargs -P 20 -I{} sh -c 'f=$(ls "$0"/*.txt | sed -n "$(( {} % 5 + 1 ))p"); curl -s -m 120 -o /dev/null -w "%{http_code}\n" -F "file=@$f" "$1/check"' \
	"$SHARED/corpus/seeds" "$BASE" > "$TMPDIR/codes"
[ "$(wc -l < "$TMPDIR/codes")" = 100 ] || fail "not 100 answers"
bad=$(grep -cv '^\(303\|503\)$' "$TMPDIR/codes")
[ "$bad" = 0 ] || { sort "$TMPDIR/codes" | uniq -c; fail "$bad uploads failed"; }
ok=$(grep -c '^303$' "$TMPDIR/codes")
[ "$ok" -ge 10 ] || fail "only $ok of 100 checked"
sort "$TMPDIR/codes" | uniq -c
seq 100 | xargs -P 20 -I{} curl -s -m 120 -o /dev/null -w "%{http_code}\n" -F "file=@${SEEDS[0]}" "$BASE/api/check" > "$TMPDIR/codes"
bad=$(grep -cv '^\(200\|503\)$' "$TMPDIR/codes")
[ "$(wc -l < "$TMPDIR/codes")" = 100 ] || fail "not 100 API answers"
[ "$bad" = 0 ] || { sort "$TMPDIR/codes" | uniq -c; fail "$bad API checks failed"; }
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$SPID/status")
echo "resident: $rss kB"
limit=$((8 * 1024 + 150 * 1024))
# an AddressSanitizer build (make asan) also keeps freed memory in its
# quarantine (256 MB by default): that is the sanitizer's, not the server's
grep -qa __asan_init "$FZREPORT" && limit=$((limit + 256 * 1024))
[ "$rss" -lt "$limit" ] || fail "resident memory $rss kB over the cache limit plus 150 MB"
[ "$(curl -s "$BASE/healthz")" = ok ] || fail "not serving after the load"
exit 0
