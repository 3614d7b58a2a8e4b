#!/bin/bash
# A county pack of 10 lines switches a rule off, raises another to error
# and adds a forbidden word; the change shows in check without a rebuild.
cat > "$TMPDIR/county.yaml" <<'Y'
name: 示例县
version: "2025"
override:
  - id: QUAL-012
    enabled: false
  - id: FMT-015
    severity: error
  - id: QUAL-007
    forbid: {add: [依法治镇]}
Y
seed1=$SHARED/corpus/seeds/001_a4e8a3f90c37ffa1.txt
seed4=$SHARED/corpus/seeds/004_c359d3da704c1f05.txt
base=$("$FZREPORT" check "$seed1" "$seed4")
county=$("$FZREPORT" check --rules "$TMPDIR/county.yaml" "$seed1" "$seed4")
echo "$base" | grep -q '提示: QUAL-012' || { echo "QUAL-012 not in base"; exit 1; }
echo "$county" | grep -q 'QUAL-012' && { echo "QUAL-012 not switched off"; exit 1; }
echo "$base" | grep -q '警告: FMT-015' || { echo "FMT-015 not a warning in base"; exit 1; }
echo "$county" | grep -q '错误: FMT-015' || { echo "FMT-015 not raised"; exit 1; }
echo "$base" | grep -q '依法治镇' && { echo "word flagged in base"; exit 1; }
echo "$county" | grep -q 'QUAL-007.*依法治镇' || { echo "added word not flagged"; exit 1; }
# an override of an unknown id is an error with its position
printf 'override:\n  - id: QUAL-999\n    enabled: false\n' > "$TMPDIR/bad.yaml"
out=$("$FZREPORT" check --rules "$TMPDIR/bad.yaml" "$seed1" 2>&1)
[ $? -eq 4 ] || { echo "exit not 4"; exit 1; }
echo "$out" | grep -q 'bad.yaml:2:9:.*QUAL-999' || { echo "$out"; exit 1; }
exit 0
