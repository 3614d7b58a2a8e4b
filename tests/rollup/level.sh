# The workbook's parts are deflated at level 2, not at zlib's default
# level 6 that libxlsxwriter asks for (zlevel.c): exactly the bytes zlib
# gives at level 2, with minizip's window and memory settings.
. "$SRC/tests/rollup/lib.bash"
mkdir "$T/in"
cp "$SEEDS"/*.txt "$T/in/"
fz rollup -q "$T/in" -o "$T/a.xlsx" || fail "rollup failed"
python3 - "$T/a.xlsx" <<'PY' || fail "the workbook is not deflated at level 2"
import sys, zipfile, zlib
def deflated(data, level):
    c = zlib.compressobj(level, zlib.DEFLATED, -15, 8)
    return len(c.compress(data) + c.flush())
z = zipfile.ZipFile(sys.argv[1])
big = [i for i in z.infolist() if i.file_size > 20000]
assert big, "no part over 20 kB"
for i in big:
    data = z.read(i)
    got = i.compress_size
    if got != deflated(data, 2) or got == deflated(data, 6):
        sys.exit("%s: %d bytes, level 2 gives %d, level 6 %d" %
                 (i.filename, got, deflated(data, 2), deflated(data, 6)))
PY
exit 0
