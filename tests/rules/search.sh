#!/bin/bash
# pattern_search() (leading literals, alternations split, the text index,
# \d as [0-9０-９], first characters) finds exactly what PCRE2 finds with
# the pattern as written: every pattern of the default pack and a few
# made to probe the edges (ties between alternatives, optional leading
# groups, lookbehind before a literal, empty matches, first characters,
# lookaheads, leading literals tried in turn), each over random texts of
# its own characters, and again over texts of up to 400 characters, where
# the patterns whose matches stay within a line are searched line by line
# (some of the pack's and a few probes); then 3,000 random patterns (alternations, groups,
# classes, quantifiers, lookarounds, anchors) the same way.
tool=$FZ_TOOLS/searchtest
[ -x "$tool" ] || { echo "no $tool (make tools)"; exit 77; }
python3 -c 'import yaml' 2>/dev/null || { echo "python3-yaml missing"; exit 77; }
{
	python3 - "$SRC/rules" <<'PY'
import os, sys, yaml
keys = {"pattern", "term", "history", "find", "candidate", "correct", "rate", "over", "format"}
out = set()
def walk(n, key=None):
    if isinstance(n, dict):
        for k, v in n.items():
            walk(v, k)
    elif isinstance(n, list):
        for v in n:
            walk(v, key)
    elif isinstance(n, str) and key in keys and "\n" not in n:
        out.add(n)
d = sys.argv[1]
for f in sorted(os.listdir(d)):
    if f.endswith(".yaml"):
        with open(os.path.join(d, f), encoding="utf-8") as fp:
            walk(yaml.safe_load(fp))
for p in sorted(out):
    print(p)
PY
	cat <<'P'
# ties: at one position the first alternative wins
ab|abc|b
abc|ab|bc
(?:党的|党)十九大|十九大精神|党的十九大精神
# optional leading group, lookbehind before the literal, \K-free
(?:关于)?全面依法治国|依法治国
(?<![和及与、])原因|原因分析|分析
(?<=[本我])单位|单位（
# empty matches and anchors
x*|十九
^年|年$|月
(?m)^\s*附件|附件：
# a { that starts no quantifier, and a } alternatives later (fuzz_pattern)
年\d{1专题|党委|会|听取[^。；]z0,16}汇报
(?:19|20)年\d{1专题(?:会议?)?研究|党委|会|其|党组会|听取[^。；]z0,16}汇报
# "[:" in a class that starts no POSIX class (a ']' or "[:" before ":]"), and
# ones that do (fuzz_pattern)
[[:]:]||]在月
[^，[:]{0,3}:]|年|月
[[:]年|[[:alpha:]]年|[\d[:]月|[a\]:]日:]
[[:digit:][:]年|[x[:]:]
# a comment: a quantifier after it applies to the item before it (fuzz_pattern)
}(?#){0,}
年(?#注)月|}(?#){0,}在月
(?#[)\d|年
[\x\d]|[\0\d]年
# (?<* is a non-atomic lookbehind, not a group name (fuzz_pattern); named groups
(?<*[年>月日])年
(?<n>年)月|(?'m'日)期|(?P<k>月)份
# \cX takes the next character whatever it is, a backslash too (fuzz_pattern)
\c\\Q|
\c\d|年\d
# digits
(?<!\d)\d{3}(?!\d)|年\d|[\dX]{2}
\D年|\d+月
# escapes in a class: one character each (\x{...}, an escaped sign), never a range
(?:今年)?1[\-—~至][2-9]月
[\x{3000} ]关于|[\.\-]年
[a\-z]年|[\x{4e00}-\x{9fff}]年
[\x{3000}-]年|[\.-]年|[\x{3000}-\x{3003}]年
# first characters: the pattern run, with an offset limit, over each stretch of them;
# digits among them (\d as the first item, [0-9])
(?<!\d)\d{3}[\dX](?!\d)|\d[ \x{3000}]+(?=年)
[0-9](?<![0-9.][0-9])[0-9]*(?:余|多)?(?=人|名)
\d+\K年|(?<=年)\d{1,2}(?=月)
\d(?:\.\d+)?[%％]|[二三]\d
(?=[ \x{3000}])(?<=\p{Han})[ \x{3000}]+(?:件|起)(?=[，。]|$)
(?<![第每])[二三十]+(?:余|多)?(?:次|场)
[，。、]{2}|[！？][，。]
[_＿*]+(?=法治|思想)|（\s*）
(?m)[ \x{3000}](?<=[法治].)(?=[年月])|[年月]\K日
# literals of a lookahead, and of the run before it followed by it
(?s)\A(?:[^我]*+我)*?[^我]*+\K(?<![自本])我(?=要求|认为)
我(?=要求)要|(?=法治)法|年(?=[月日])
(?:共|达)(?=件|起)|[_＿]+(?=法治|思想)
# leading literals PCRE2 has no first code unit for: tried at each in turn
(?:法治|依法)(?=[^。]{0,3}建设)
[二〇][二〇][〇一二]{2}年[一二]月
(?:共计?|累计)(?:件|次)(?!办)
# line-bound: run only over the lines that hold their literal (the long texts below)
(?m)^[^“”\n]*+\K”
”[^“”\n]*+\K”
(?m)^[^年\n]*月|将[^\n。]*如下
[^\n]{0,5}法治(?=[^\n]*年)|(?m)^[ \t]*附件[^\n]*$
P
} >"$TMPDIR/patterns"
"$tool" -n 200 -s 7 <"$TMPDIR/patterns" >"$TMPDIR/search.out"
rc=$?
tail -1 "$TMPDIR/search.out"
[ $rc -eq 0 ] || { head -40 "$TMPDIR/search.out"; exit 1; }
grep -q '^[1-9][0-9]* patterns' "$TMPDIR/search.out" || exit 1
# texts of up to 400 characters, most over 256 bytes: the line-bound
# patterns searched line by line (their count is in the summary)
"$tool" -n 30 -s 11 -l 400 <"$TMPDIR/patterns" >"$TMPDIR/lines.out"
rc=$?
tail -1 "$TMPDIR/lines.out"
[ $rc -eq 0 ] || { head -40 "$TMPDIR/lines.out"; exit 1; }
grep -q ', [1-9][0-9]* line by line)' "$TMPDIR/lines.out" || exit 1
# both sides interpreted: PCRE2's JIT itself answers differently from one
# start offset to another on some random shapes (a lazy optional item
# before an atomic group), which no rule pattern has
FZREPORT_NOJIT=1 "$tool" -g 3000 -n 40 -s 5 >"$TMPDIR/random.out"
rc=$?
tail -1 "$TMPDIR/random.out"
[ $rc -eq 0 ] || { head -40 "$TMPDIR/random.out"; exit 1; }
