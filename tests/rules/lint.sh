#!/bin/bash
# The default pack loads without a problem and every rule's examples
# (fires / passes) behave as written, through the real analysis and matcher.
out=$("$FZREPORT" rules --lint "$SRC/rules/default.yaml") || { echo "$out"; exit 1; }
echo "$out" | grep -q '没有问题' || { echo "$out"; exit 1; }
n=$("$FZREPORT" rules --list | grep -cE '^(REG|DUTY|QUAL|FMT|LOCAL)-[0-9]{3} ')
[ "$n" -ge 40 ] || { echo "only $n rules"; exit 1; }
# every rule has a source
"$FZREPORT" explain REG-003 | grep -q '^依据：' || exit 1
"$FZREPORT" explain QUAL-008 | grep -q '^会报告：' || exit 1
"$FZREPORT" explain NO-SUCH-RULE 2>/dev/null && exit 1
exit 0
