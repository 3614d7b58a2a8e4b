# Matching normalisation: every folding rule of norm.h.
set -u
N="$FZ_TOOLS/normtest"
fail=0
expect() { # input expected-copy
	local got
	got=$("$N" "$1")
	if [ "$got" != "$2" ]; then echo "FAIL [$1]: expected [$2] got [$got]"; fail=1; fi
	# norm_strdup gives the same copy as norm_text.
	got=$("$N" -s "$1")
	if [ "$got" != "$2" ]; then echo "FAIL strdup [$1]: expected [$2] got [$got]"; fail=1; fi
}
# ASCII ( ) : ; , ! ? -> full-width; full-width forms stay.
expect 'a(b)c:d;e,f!g?' 'a（b）c：d；e，f！g？'
expect '(二)' '（二）'
expect '（一）：；，！？、。' '（一）：；，！？、。'
expect '1.加强' '1.加强'
# Full-width digits and Latin letters -> ASCII.
expect '２０２５年ＡＢＣｘｙｚ' '2025年ABCxyz'
expect '第１０条' '第10条'
# Spaces: dropped next to a non-ASCII character, else one ASCII space.
expect '2025 年' '2025年'
expect '２０２５ 年' '2025年'
expect '（一） 加强' '（一）加强'
expect '( 一 ) 加强' '（一）加强'
expect '一、 主要 成效' '一、主要成效'
expect '　　一、总体情况' '一、总体情况'
expect '法　治' '法治'
expect $'法\u00a0治' '法治'
expect $'法\t治' '法治'
expect 'a  b' 'a b'
expect $'a\tb' 'a b'
expect 'a　b' 'a b'
expect $'a\u00a0\u2002 b' 'a b'
expect 'Word 2019 版' 'Word 2019版'
expect ' x ' 'x'
expect 'x , y' 'x，y'
# Zero-width characters vanish.
expect $'法\u200b治\ufeff政府' '法治政府'
# Line ends are kept; spaces at either end of a line go.
got=$(printf '一、 总体  \n　（一） 加强\n\n2025 年' | "$N")
want=$'一、总体\n（一）加强\n\n2025年'
[ "$got" = "$want" ] || { echo "FAIL newlines: [$got]"; fail=1; }
# Traditional -> simplified.
expect '建設舉措報告鄉縣問題黨負責職責推進計劃情況統籌機關會議' '建设举措报告乡县问题党负责职责推进计划情况统筹机关会议'
expect '關於2024年法治政府建設情況的報告' '关于2024年法治政府建设情况的报告'
expect '依法治縣辦 第一責任人 黨政主要負責人' '依法治县办第一责任人党政主要负责人'
# Simplified text, ○ and 〇 stay as they are.
expect '法治政府建设年度报告' '法治政府建设年度报告'
expect '二○二四年 二〇二四年' '二○二四年二〇二四年'
# Pinyin glosses after a Han character are dropped.
expect '建設(shè)' '建设'
expect '統(tǒng)籌' '统筹'
expect '統（tǒng）籌' '统筹'
expect '建設(shè)和統(tǒng)籌' '建设和统筹'
expect '绿(lǜ)色' '绿色'
expect '设(she4)施' '设施'
expect '设(zhuang)施' '设施'
# ... but not other brackets: not after Han, capitals, non-pinyin words.
expect 'x(shè)' 'x（shè）'
expect '合作(PPP)' '合作（PPP）'
expect '应用(app)' '应用（app）'
expect '项(a)' '项（a）'
expect '项(shèxyzabc)' '项（shèxyzabc）'
expect '设（Shè）' '设（Shè）'
expect '设(shè' '设（shè'
expect '（一）' '（一）'
exit $fail
