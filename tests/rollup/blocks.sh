# zlevel_parallel(): raw deflate streams packed in 512 KB blocks on 0, 1
# and 3 threads, fed and drained in random pieces, inflate back to their
# input and are the same bytes every way (tests/tools/zblocks.c); zlib's
# own single stream alongside.
set -u
Z=$FZ_TOOLS/zblocks
[ -x "$Z" ] || exit 77
for seed in 1 2; do
	"$Z" $seed > "$TMPDIR/zblocks.out" || { cat "$TMPDIR/zblocks.out"; exit 1; }
	grep -q ' streams, same$' "$TMPDIR/zblocks.out" || { cat "$TMPDIR/zblocks.out"; exit 1; }
done
exit 0
