# Same inputs and SOURCE_DATE_EPOCH: byte-identical workbooks, whatever -j.
. "$SRC/tests/rollup/lib.bash"
mkdir "$T/in"
cp "$SEEDS"/*.txt "$T/in/"
make_corrupt "$T/in"
SOURCE_DATE_EPOCH=1700000000 fz rollup -q -j 1 "$T/in" -o "$T/a.xlsx"
sleep 1
SOURCE_DATE_EPOCH=1700000000 fz rollup -q -j 4 "$T/in" -o "$T/b.xlsx"
cmp "$T/a.xlsx" "$T/b.xlsx" || fail "two runs differ"
unzip -p "$T/a.xlsx" docProps/core.xml | grep -q '<dcterms:created xsi:type="dcterms:W3CDTF">2023-11-14T22:13:20Z' ||
	fail "created time not from SOURCE_DATE_EPOCH"
SOURCE_DATE_EPOCH=1600000000 fz rollup -q "$T/in" -o "$T/c.xlsx"
cmp -s "$T/a.xlsx" "$T/c.xlsx" && fail "SOURCE_DATE_EPOCH ignored"
exit 0
