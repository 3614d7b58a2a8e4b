# Traditional text and pinyin-glossed text normalise to the same copy as
# the simplified original (a real report, converted with OpenCC s2t).
set -u
N="$FZ_TOOLS/normtest"
T=$(mktemp -d)
fail=0
orig=$(ls "$SHARED"/corpus/seeds/002_*.txt 2>/dev/null | head -1)
[ -n "$orig" ] || exit 77
trad="$SRC/tests/norm/trad-002.dat"
"$N" < "$orig" > "$T/a"
"$N" < "$trad" > "$T/b"
cmp -s "$T/a" "$T/b" || { echo "FAIL traditional copy differs"; diff "$T/a" "$T/b" | head; fail=1; }
# The fixture really is traditional.
grep -q '建設' "$trad" || { echo "FAIL fixture not traditional"; fail=1; }
# Glosses as mirror sites print them, after 設, 統 and 法.
sed -e 's/設/設(shè)/g' -e 's/統/統（tǒng）/g' -e 's/法/法(fǎ)/g' "$trad" > "$T/gloss"
grep -q 'shè' "$T/gloss" || { echo "FAIL no gloss inserted"; fail=1; }
"$N" < "$T/gloss" > "$T/c"
cmp -s "$T/a" "$T/c" || { echo "FAIL glossed copy differs"; diff "$T/a" "$T/c" | head; fail=1; }
# Simplified text keeps every Han character: the 6763 GB2312 characters that
# are not also traditional variants stay.
python3 -c '
s = []
for hi in range(0xB0, 0xF8):
    for lo in range(0xA1, 0xFF):
        try:
            s.append(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
print("".join(s))' > "$T/gb"
"$N" < "$T/gb" > "$T/gbn"
# Variants OpenCC folds although GB2312 has them (乾->干, 後->后, 於->于 ...).
extra=$(python3 -c '
import sys
a = open(sys.argv[1]).read(); b = open(sys.argv[2]).read()
allowed = "乾菸薹捱摺吒後徵夥甯榘於麴醣麽"
print("".join(x for x, y in zip(a, b) if x != y and x not in allowed))' "$T/gb" "$T/gbn")
[ -z "$extra" ] || { echo "FAIL simplified characters changed: $extra"; fail=1; }
rm -rf "$T"
exit $fail
