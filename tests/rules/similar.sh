#!/bin/bash
# QUAL-009 (--previous) and QUAL-010 (a copy in the same run).
S=$SHARED/corpus/seeds
cp "$S/002_afe073d52ad54832.txt" "$TMPDIR/copy.txt"
out=$("$FZREPORT" check "$S/001_a4e8a3f90c37ffa1.txt" "$S/002_afe073d52ad54832.txt" "$TMPDIR/copy.txt")
[ "$(echo "$out" | grep -c 'QUAL-010')" -eq 2 ] || { echo "$out" | grep QUAL-010; exit 1; }
echo "$out" | grep '001_a4e8a3f90c37ffa1.txt.*QUAL-010' && exit 1
out=$("$FZREPORT" check --previous "$S/002_afe073d52ad54832.txt" "$TMPDIR/copy.txt" "$S/003_693843e5a07fc8c3.txt")
echo "$out" | grep -q 'copy.txt: 警告: QUAL-009' || { echo "$out"; exit 1; }
echo "$out" | grep -q '003_693843e5a07fc8c3.txt: 警告: QUAL-009' && exit 1
# without --previous: not checked, with the reason
"$FZREPORT" check "$S/003_693843e5a07fc8c3.txt" | grep -q '未检查 .*QUAL-009（没有提供上一年度的报告' || exit 1
exit 0
