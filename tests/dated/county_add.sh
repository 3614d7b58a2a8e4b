#!/bin/bash
# A county adds a line to the dated table (QUAL-006) when a law changes; the
# new term fires only in reports on years after it was replaced.
cat > "$TMPDIR/county.yaml" <<'Y'
name: 示例县
override:
  - id: QUAL-006
    dated:
      add:
        - term: '《示例县旧条例》'
          until: 2024-03-01
          replacement: 《示例县新条例》
          source: 示例县人大常委会公告（2024年3月1日起施行新条例）
Y
printf '2025年度法治政府建设情况报告\n\n　　2025年，依照《示例县旧条例》开展执法。\n' > "$TMPDIR/r2025.txt"
printf '2023年度法治政府建设情况报告\n\n　　2023年，依照《示例县旧条例》开展执法。\n' > "$TMPDIR/r2023.txt"
out=$("$FZREPORT" check --rules "$TMPDIR/county.yaml" "$TMPDIR/r2025.txt" "$TMPDIR/r2023.txt")
echo "$out" | grep -q 'r2025.txt.*QUAL-006.*示例县旧条例.*示例县新条例' || { echo "$out"; exit 1; }
echo "$out" | grep -q 'r2023.txt.*QUAL-006' && { echo "$out"; exit 1; }
# a term without a source is refused with its position
sed -i '/source:/d' "$TMPDIR/county.yaml"
out=$("$FZREPORT" check --rules "$TMPDIR/county.yaml" "$TMPDIR/r2025.txt" 2>&1)
[ $? -eq 4 ] || { echo "exit not 4: $out"; exit 1; }
echo "$out" | grep -q 'county.yaml:6:11:.*source' || { echo "$out"; exit 1; }
exit 0
