# Matching normalisation: the byte map leads the copy back to the original.
set -u
N="$FZ_TOOLS/normtest"
fail=0
expect() { # input expected-map
	local got
	got=$("$N" -m "$1")
	if [ "$got" != "$2" ]; then
		echo "FAIL map [$1]"; diff <(printf '%s\n' "$2") <(printf '%s\n' "$got"); fail=1
	fi
}
# Each line: copy offset, original offset, character.
expect '建設(shè)年' $'0 0 建\n3 3 设\n6 12 年\n9 15 END'
expect 'a(b' $'0 0 a\n1 1 （\n4 2 b\n5 3 END'
expect '２０２５ 年' $'0 0 2\n1 3 0\n2 6 2\n3 9 5\n4 13 年\n7 16 END'
expect 'a  b' $'0 0 a\n1 1  \n2 3 b\n3 4 END'
expect $'ab\n　cd' $'0 0 a\n1 1 b\n2 2 \\n\n3 6 c\n4 7 d\n5 8 END'
expect '（一） 加强' $'0 0 （\n3 3 一\n6 6 ）\n9 10 加\n12 13 强\n15 16 END'
# Real text: the map of every seed is monotonic, ends at the file size, and
# each character of the copy is the original's or one of its folds.
for f in "$SHARED"/corpus/seeds/*.txt "$SRC/tests/norm/trad-002.dat"; do
	[ -f "$f" ] || continue
	"$N" -m < "$f" | python3 -c '
import sys
orig = open(sys.argv[1], "rb").read()
prev = 0
bad = 0
for ln in sys.stdin.read().split("\n"):
    if not ln:
        continue
    c, o, ch = ln.split(" ", 2)
    o = int(o)
    if o < prev:
        print("map goes back at", c); bad += 1
    prev = o
    if ch == "END":
        if o != len(orig):
            print("END maps to", o, "not", len(orig)); bad += 1
        continue
    if ch == "\\n":
        ch = "\n"
    b = ch.encode()
    if orig[o:o + len(b)] == b:
        continue
    if ch in "（）：；，！？ " or ch.isascii() or "\u3400" <= ch <= "\u9fff":
        continue
    print("copy", c, repr(ch), "not from original", orig[o:o + 4]); bad += 1
sys.exit(1 if bad else 0)
' "$f" || { echo "FAIL map of $f"; fail=1; }
done
exit $fail
