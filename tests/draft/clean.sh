#!/bin/bash
# QUAL-020..028 on correct text: a well-written annual report with the near
# misses of each rule (a phrase the genre repeats inside longer clauses, 上半年
# in a comparison or an event, 1—11月, a number written with spaces, 〔〕,
# 学习总书记) fires none of them; a half-year summary may say 今年以来; the
# seeds fire only the 今年以来 of their bodies.  The keys the rules use are
# checked: unless_title and clause settings refuse bad values with their place.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cat > "$T/ok.txt" <<'X'
城关镇人民政府关于2024年度法治政府建设情况的报告

县委、县人民政府：
根据《关于做好2024年度法治政府建设年度报告工作的通知》（县法治办〔2025〕3号）要求，现将2024年度法治政府建设情况报告如下：
2024年，城关镇坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平总书记关于全面依法治国的重要论述，把学习宣传贯彻习近平法治思想作为首要政治任务，推动学习宣传贯彻习近平法治思想走深走实，落实《法治政府建设实施纲要（2021—2025年）》。
一、推进法治政府建设的主要举措和成效
（一）加强组织领导
加强组织领导，成立法治政府建设领导小组，同谋划、同部署、同落实，一村一策、一户一策。全年召开专题会议4次，受理投诉较上半年下降12%。上半年，镇党委召开专题会议2次；下半年，开展督查1次。
（二）化解矛盾纠纷。2024年共受理矛盾纠纷29件，调解成功29件；1—11月，共受理 12 件行政复议申请，11月1—5日开展专项督查。上级于上半年开展“清源”专项行动。
二、存在的不足和原因
普法宣传形式单一，原因是人员力量不足。
三、下一年度推进法治政府建设的主要安排
下半年将继续推进执法规范化。
四、党政主要负责人履行推进法治建设第一责任人职责情况
镇党委书记、镇长带头学法，带领机关干部学习总书记重要讲话精神。
五、其他需要报告的情况
无。

城关镇人民政府
2025年1月20日
X
out=$("$FZREPORT" check "$T/ok.txt" 2>&1)
echo "$out" | grep -E 'QUAL-02[0-8]' && { echo "correct text fired"; exit 1; }
# a half-year summary speaks of the half year
cat > "$T/half.txt" <<'X'
城关镇2024年上半年法治政府建设工作总结
今年以来，城关镇坚持依法行政。1—6月，共受理矛盾纠纷29件，今年以来共召开会议4次。
一、上半年推进法治政府建设的主要举措和成效
X
out=$("$FZREPORT" check "$T/half.txt" 2>&1)
echo "$out" | grep -E 'QUAL-02[01]' && { echo "half-year summary fired"; exit 1; }
# the same body under an annual title fires
sed -i '1s/.*/城关镇关于2024年度法治政府建设情况的报告/' "$T/half.txt"
out=$("$FZREPORT" check "$T/half.txt" 2>&1)
[ "$(echo "$out" | grep -c 'QUAL-020')" -eq 2 ] || { echo "$out"; echo "annual: QUAL-020"; exit 1; }
[ "$(echo "$out" | grep -c 'QUAL-021')" -eq 2 ] || { echo "$out"; echo "annual: QUAL-021"; exit 1; }
seeds=$("$FZREPORT" check "$SHARED"/corpus/seeds/*.txt 2>&1 | grep -E 'QUAL-02[0-8]')
echo "$seeds" | grep -v 'QUAL-021' | grep -q . && { echo "$seeds"; echo "seeds"; exit 1; }
# unless_title: a bad pattern is refused at its place
cat > "$T/bad.yaml" <<'Y'
override:
  - id: QUAL-020
    unless_title: '半年('
Y
out=$("$FZREPORT" check --rules "$T/bad.yaml" "$T/ok.txt" 2>&1)
[ $? -eq 4 ] || { echo "$out"; echo "bad unless_title not refused"; exit 1; }
echo "$out" | grep -q 'bad.yaml:3' || { echo "$out"; exit 1; }
# a county pack may narrow it: no 今年以来 finding under a title with 情况
cat > "$T/county.yaml" <<'Y'
override:
  - id: QUAL-020
    unless_title: '情况'
Y
out=$("$FZREPORT" check --rules "$T/county.yaml" "$T/half.txt" 2>&1)
echo "$out" | grep -q 'QUAL-020' && { echo "$out"; echo "override unless_title ignored"; exit 1; }
# clause settings out of range are refused
cat > "$T/bad2.yaml" <<'Y'
override:
  - id: QUAL-022
    clause: {min_len: 1}
Y
out=$("$FZREPORT" check --rules "$T/bad2.yaml" "$T/ok.txt" 2>&1)
[ $? -eq 4 ] || { echo "$out"; echo "bad clause not refused"; exit 1; }
echo "$out" | grep -q 'min_len' || { echo "$out"; exit 1; }
exit 0
