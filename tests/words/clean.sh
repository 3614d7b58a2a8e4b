#!/bin/bash
# The misused-word pack (WORD-*) on correct text: the five seed reports and
# well-edited correct forms fire nothing but the two known defects of the seeds;
# a county pack adds a word pair that then fires.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cat > "$T/ok.txt" <<'X'
2024年，城关镇人民政府深入贯彻落实习近平法治思想，全面部署法治政府建设，履行推进法治建设第一责任人职责。
截至目前，落实学法用法制度、述法制度和重大执法决定法制审核制度，县司法局法制科、政府法制办依法审核。
开展法治宣传30余次，培训120名执法人员，建立工作台账，推行“双随机、一公开”监管，规范权力运行。
推行执法全过程记录，严格规范公正文明执法，帮助企业渡过难关，平安度过春节。学以致用，以致造成损失。
市市场监管局、北京市市长、乡镇镇长、城中区区委依法治区办、城乡县域、依法制定、预防犯罪、做风险评估。
既便于群众办事，又减轻基层负担；既使群众满意，又使企业受益。按排名先后通报。2024年度、2022年全年。
X
out=$("$FZREPORT" check "$T/ok.txt" 2>&1)
echo "$out" | grep -E 'WORD-|QUAL-007' && { echo "correct text fired"; exit 1; }
seeds=$("$FZREPORT" check "$SHARED"/corpus/seeds/*.txt 2>&1 | grep -E 'WORD-|QUAL-007')
n=$(printf '%s\n' "$seeds" | grep -c .)
[ "$n" -le 2 ] || { echo "seeds: $n findings"; printf '%s\n' "$seeds"; exit 1; }
cat > "$T/county.yaml" <<'Y'
override:
  - id: WORD-001
    words: {add: [{wrong: 普法宣转, right: 普法宣传}]}
Y
printf '开展普法宣转活动。\n' > "$T/c.txt"
"$FZREPORT" check --rules "$T/county.yaml" "$T/c.txt" 2>&1 | grep -q 'WORD-001.*普法宣传' ||
	{ echo "added pair not flagged"; exit 1; }
"$FZREPORT" check "$T/c.txt" 2>&1 | grep -q 'WORD-001' && { echo "flagged in base"; exit 1; }
# a wrong form without a fixed first character is refused with its position
cat > "$T/bad.yaml" <<'Y'
override:
  - id: WORD-001
    words: {add: [{wrong: '.制', right: 法治, fires: 法制}]}
Y
out=$("$FZREPORT" check --rules "$T/bad.yaml" "$T/c.txt" 2>&1)
[ $? -eq 4 ] || { echo "bad entry not refused"; exit 1; }
echo "$out" | grep -q 'bad.yaml:3:19' || { echo "$out"; exit 1; }
exit 0
