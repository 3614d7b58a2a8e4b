# The same unit and year twice is flagged in the rows and in 说明; both rows stay.
. "$SRC/tests/rollup/lib.bash"
mkdir "$T/in"
cp "$SEEDS"/*.txt "$T/in/"
cp "$SEEDS/001_a4e8a3f90c37ffa1.txt" "$T/in/古尔图镇-再次报送.txt"
fz rollup -q "$T/in" -o "$T/out.xlsx"
"${DUMP[@]}" "$T/out.xlsx" 汇总 > "$T/s"
[ "$(grep -c '^[0-9]*	古尔图镇	' "$T/s")" = 2 ] || fail "not two 古尔图镇 rows"
[ "$(grep '^[0-9]*	古尔图镇	' "$T/s" | grep -c '重复：同一单位、同一年度共 2 份')" = 2 ] || fail "rows not flagged"
[ "$(grep -c '重复' "$T/s")" = 2 ] || fail "other rows flagged"
"${DUMP[@]}" "$T/out.xlsx" 说明 > "$T/n"
[ "$(grep -c "^重复	古尔图镇（2024 年度）：$T/in/" "$T/n")" = 2 ] || fail "说明 does not list both"
exit 0
