#!/bin/bash
# Rule files given with --rules that are broken in every way we could think of.
# Each: exit 4 before any report is checked (nothing on standard output),
# messages on standard error that name the rule file (with line:column where
# there is one), quickly -- including YAML built to be slow (alias bombs, deep
# nesting) and patterns built to be slow to compile.
. "$SRC/tests/bad/common.bash"
[ -f "$SRC/src/rules_load.c" ] || exit 77   # the rule engine has not landed
command -v python3 >/dev/null || exit 77
REPORT=$SRC/examples/reports/qinghe-2024.txt
cd "$B" || exit 1
python3 - <<'PY'
def w(name, s):
    open(name, "wb").write(s if isinstance(s, bytes) else s.encode())
chk = "checks:\n  - id: X-1\n    message: m\n    source: s\n"
w("empty-checks.yaml", "checks:\n")
w("nul.yaml", b"name: x\0\n")
w("bad-utf8.yaml", b"name: \xff\xfe\n")
w("gb18030.yaml", "name: 示例县\n".encode("gb18030"))
w("list.yaml", "- a\n- b\n")
w("scalar.yaml", "hello\n")
w("checks-scalar.yaml", "checks: abc\n")
w("unknown-key.yaml", "colour: red\n")
w("tab.yaml", "name: x\n\tversion: 1\n")
w("unclosed.yaml", 'checks:\n  - id: "X\n')
w("bad-indent.yaml", "checks:\n  - id: X-1\n   message: m\n")
w("dup-key.yaml", chk + "    forbid: abc\n    forbid: abd\n")
w("no-message.yaml", "checks:\n  - id: X-1\n    source: s\n    forbid: abc\n")
w("no-id.yaml", "checks:\n  - message: m\n    source: s\n    forbid: abc\n")
w("no-kind.yaml", chk)
w("two-kinds.yaml", chk + "    forbid: abc\n    length: {min: 3}\n")
w("severity.yaml", chk + "    severity: urgent\n    forbid: abc\n")
w("severity-fatal.yaml", chk + "    severity: fatal\n    forbid: abc\n")
w("bad-regex.yaml", chk + "    forbid: 'ab(c'\n")
w("lookbehind.yaml", chk + "    forbid: '(?<=a+)b'\n")
w("pattern-map.yaml", chk + "    forbid: {pattern: {a: b}}\n")
w("number.yaml", chk + "    length: {min: lots}\n")
w("year.yaml", chk + "    year_min: abc\n    forbid: abc\n")
w("scope.yaml", chk + "    scope: section:nosuch\n    forbid: abc\n")
w("dup-id.yaml", chk + "    forbid: abc\n" + chk.replace("checks:\n", "") + "    forbid: abd\n")
w("dup-default-id.yaml", "checks:\n  - id: QUAL-007\n    message: m\n    source: s\n    forbid: abc\n")
w("override-unknown.yaml", "override:\n  - id: QUAL-999\n    enabled: false\n")
w("dup-section.yaml", "sections:\n  - id: measures\n    name: 重复\n")
w("include-missing.yaml", "include:\n  - nosuch.yaml\n")
w("include-self.yaml", "include:\n  - include-self.yaml\n")
w("loop-a.yaml", "include:\n  - loop-b.yaml\n")
w("loop-b.yaml", "include:\n  - loop-a.yaml\n")
w("include-dir.yaml", "include:\n  - .\n")
# ten self-includes: 10^depth loads before the depth limit (issue 18, item 11)
w("fan-out.yaml", "include:\n" + "  - fan-out.yaml\n" * 10)
# a diamond: the shared file is loaded once, the second include is reported
w("diamond.yaml", "include:\n  - side-a.yaml\n  - side-b.yaml\n")
w("side-a.yaml", "include:\n  - shared.yaml\n")
w("side-b.yaml", "include:\n  - shared.yaml\n")
w("shared.yaml", chk + "    forbid: abc\n")
w("backslash-c.yaml", chk + "    forbid: 'a\\Cb'\n")
w("multi-doc.yaml", chk + "    forbid: abc\n---\nname: second\n")
w("empty-match.yaml", chk + "    forbid: '法?'\n")
# slow to compile or to load
w("regex-nested.yaml", chk + "    forbid: '" + "(" * 5000 + "a" + ")" * 5000 + "'\n")
s = chk + "    forbid:\n      words: &w0 [法制政府, 依法治镇]\n"
for i in range(1, 25):
    s += "  - id: X-%d\n    message: m\n    source: s\n    forbid:\n      words: &w%d [*w%d, *w%d]\n" % (i + 1, i, i - 1, i - 1)
w("alias-bomb.yaml", s)
w("deep-flow.yaml", "name: " + "[" * 100000 + "]" * 100000 + "\n")
w("deep-block.yaml", "".join("%s- \n" % ("  " * i) for i in range(1500)))
w("huge.yaml", "name: " + "法" * (5 << 20) + "\n")
PY
mkdir -p dir.yaml
: > empty.yaml
# broken FILE [WANT]: exit 4, nothing on stdout, the file named on stderr
broken() {
	local f=$1 want=${2:-}
	run "$f" "$FZREPORT" check --rules "$f" "$REPORT"
	[ $rc = 4 ] || { nfail "$f: exit $rc: $(head -c 300 "$err")"; return; }
	[ ! -s "$out" ] || nfail "$f: output on stdout"
	head -1 "$err" | grep -q "^fzreport: \(\./\)\?[-a-z0-9.]*yaml[:0-9]*: ..*" ||
		nfail "$f: unclear message: $(head -1 "$err" | head -c 300)"
	[ -z "$want" ] || grep -qF -- "$want" "$err" || nfail "$f: want '$want': $(head -c 300 "$err")"
}
broken nosuch.yaml "无法"
broken dir.yaml
broken nul.yaml "nul.yaml:1:"
broken bad-utf8.yaml "bad-utf8.yaml:1:"
broken gb18030.yaml
broken list.yaml "list.yaml:1:1:"
broken scalar.yaml
broken checks-scalar.yaml "checks-scalar.yaml:1:"
broken unknown-key.yaml "colour"
broken tab.yaml "tab.yaml:2:"
broken unclosed.yaml "unclosed.yaml:3:1:"
broken bad-indent.yaml "bad-indent.yaml:3:"
broken dup-key.yaml "dup-key.yaml:6:"
broken no-message.yaml "message"
broken no-id.yaml
broken no-kind.yaml
broken two-kinds.yaml "two-kinds.yaml:6:"
broken severity.yaml "urgent"
broken severity-fatal.yaml "fatal"
broken bad-regex.yaml "bad-regex.yaml:5:"
broken lookbehind.yaml "lookbehind.yaml:5:"
broken pattern-map.yaml
broken number.yaml "lots"
broken year.yaml "abc"
broken scope.yaml "nosuch"
broken dup-id.yaml "X-1"
broken dup-default-id.yaml "QUAL-007"
broken override-unknown.yaml "override-unknown.yaml:2:9:"
broken dup-section.yaml "measures"
broken include-missing.yaml "nosuch.yaml"
broken include-self.yaml
broken loop-a.yaml
broken fan-out.yaml "fan-out.yaml:2:"
grep -q "重复包含" "$err" || nfail "fan-out: the message does not say the file repeats: $(head -1 "$err")"
broken diamond.yaml "shared.yaml"
# \C would split characters (invalid UTF-8 in every output); a second YAML
# document would be ignored; an empty match fires everywhere (issue 18, item 17)
broken backslash-c.yaml "backslash-c.yaml:5:"
broken multi-doc.yaml "multi-doc.yaml:6:1:"
run empty-match-lint "$FZREPORT" rules --lint empty-match.yaml
[ $rc = 4 ] || nfail "empty-match: rules --lint exit $rc"
grep -q "empty-match.yaml:5:.*空字符串" "$out" "$err" || nfail "empty-match: $(cat "$out" "$err" | head -2)"
run include-dir "$FZREPORT" check --rules include-dir.yaml "$REPORT"
[ $rc = 4 ] && [ ! -s "$out" ] || nfail "include-dir: exit $rc"
broken regex-nested.yaml "regex-nested.yaml:5:"
broken alias-bomb.yaml
broken deep-flow.yaml
broken huge.yaml
run deep-block "$FZREPORT" check --rules deep-block.yaml "$REPORT"
[ $rc = 4 ] || [ $rc -le 2 ] || nfail "deep-block: exit $rc"
# /dev/zero as a rule file
run dev-zero "$FZREPORT" check --rules /dev/zero "$REPORT"
[ $rc = 4 ] || nfail "dev-zero: exit $rc"
# a broken default pack: every command stops with exit 4
mkdir -p pack && cp "$SRC"/rules/*.yaml pack/ && printf 'checks: [\n' >> pack/default.yaml
FZREPORT_RULES=$B/pack run broken-default "$FZREPORT" check "$REPORT"
[ $rc = 4 ] || nfail "broken-default: exit $rc"
grep -q "default.yaml:" "$err" || nfail "broken-default: $(head -1 "$err")"
# the repeat check over many spans (paragraph scope): a shorter paragraph before a
# longer one once wrote past the offsets array (heap overflow under make asan)
printf 'name: t\noverride:\n  - id: QUAL-008\n    scope: paragraph\n' > para.yaml
printf '某镇2024年法治政府建设情况报告\n短句。\n这是一个比较长的段落，用来测试重复检查的偏移数组，再多写一些文字让它更长一些吧。\n' > para.txt
run repeat-paragraphs "$FZREPORT" check --rules para.yaml para.txt
[ $rc -le 2 ] || nfail "repeat-paragraphs: exit $rc: $(head -3 "$err")"
exit $fail
