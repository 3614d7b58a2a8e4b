# The workbook's parts are deflated at level 2, not at zlib's default
# level 6 that libxlsxwriter asks for (zlevel.c): a part of one block
# (512 KB) is exactly the bytes zlib gives at level 2, with minizip's
# window and memory settings; a larger one, packed in blocks on several
# threads, inflates to the same part (zipfile checks each CRC) within 1 %
# of that size, and is the same bytes whatever -j.
. "$SRC/tests/rollup/lib.bash"
mkdir "$T/in"
cp "$SEEDS"/*.txt "$T/in/"
python3 "$SRC/bench/mkcorpus.py" 200 "$T/many" >/dev/null || fail "mkcorpus"
fz rollup -q "$T/in" -o "$T/a.xlsx" || fail "rollup failed"
for j in 1 3; do
	fz rollup -q -j $j "$T/many" -o "$T/many-$j.xlsx" || fail "rollup -j $j failed"
done
cmp -s "$T/many-1.xlsx" "$T/many-3.xlsx" || fail "-j 1 and -j 3 pack the workbook differently"
python3 - "$T/a.xlsx" "$T/many-3.xlsx" <<'PY' || fail "the workbook is not deflated at level 2"
import sys, zipfile, zlib
BLOCK = 512 * 1024
def deflated(data, level):
    c = zlib.compressobj(level, zlib.DEFLATED, -15, 8)
    return len(c.compress(data) + c.flush())
small = large = 0
for path in sys.argv[1:]:
    z = zipfile.ZipFile(path)
    for i in z.infolist():
        if i.file_size <= 20000:
            continue
        data = z.read(i)
        got, two, six = i.compress_size, deflated(data, 2), deflated(data, 6)
        if i.file_size <= BLOCK:
            small += 1
            if got != two or got == six:
                sys.exit("%s: %d bytes, level 2 gives %d, level 6 %d" % (i.filename, got, two, six))
        else:
            large += 1
            if abs(got - two) > two / 100 or got <= six:
                sys.exit("%s (%d bytes): %d packed, level 2 gives %d, level 6 %d"
                         % (i.filename, i.file_size, got, two, six))
assert small and large, "no part of one block (%d) or of several (%d)" % (small, large)
PY
exit 0
