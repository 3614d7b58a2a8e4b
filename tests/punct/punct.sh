#!/bin/bash
# Quotation marks, stray spaces and doubled punctuation (rules/punct.yaml):
# each case is a small report; "+" cases must draw the rule's finding (with
# the quoted words WANT, when given), "-" cases none.
. "$SRC/tests/tools/rulecheck.bash"

# QUAL-015: an opener with no closer in its paragraph, a closer with no opener
check QUAL-015 + '被命名为“广东省节水型社会示范区；获得考核结果“优秀”等次。' '“被命名为“广东省节”'
check QUAL-015 + $'依托“普法微信公众号开展宣传。\n全年开展活动12场。' '“依托“普法微信”'
check QUAL-015 + '开展八五”普法宣传。' '“开展八五”普法宣传”'
check QUAL-015 + '落实“谁执法谁普法”责任制”，推进普法。' '“”责任制”，推进普”'
check QUAL-015 + $'他指出：“一要加强学习。\n二要狠抓落实。”'
check QUAL-015 - '开展“八五”普法，落实“谁执法谁普法”责任制，推进“龙华‘执’播”项目。'
# a quotation over several paragraphs repeats “ at the start of each
check QUAL-015 - $'他指出：“一要加强学习，提高认识。\n“二要狠抓落实，务求实效。\n“三要强化督查。”'
check QUAL-015 - $'会议要求：“一要加强学习。\n\n　　“二要狠抓落实。”'
check QUAL-015 - $'一、主要举措\n（一）开展“法律明白人”培训\n全年培训“法律明白人”120名。'

# QUAL-016: straight pairs in a paragraph that also has curly quotes
check QUAL-016 + '落实“第一议题”制度，推行"法治讲堂+业务讲堂"模式。' '"法治讲堂+业务讲堂"'
check QUAL-016 + '推行"法治讲堂"模式，落实“第一议题”制度。' '"法治讲堂"'
check QUAL-016 - '落实“第一议题”制度，推行“法治讲堂+业务讲堂”模式。'
check QUAL-016 - $'推行"法治讲堂"模式。\n落实“第一议题”制度。'

# QUAL-017: ‘’ as the outer quotes
check QUAL-017 + '落实‘1+5+X’学法清单体系。' '‘1+5+X’'
check QUAL-017 + '参与“法治讲堂”培训，落实‘1+5+X’学法清单。' '‘1+5+X’'
check QUAL-017 - '“龙华‘执’播”入选市法治改革创新项目。'
check QUAL-017 - $'他指出：“要落实‘谁执法谁普法’责任制。\n“要推进‘八五’普法。”'

# QUAL-018: a space inside a Chinese sentence or a title
check QUAL-018 + '深入推进依法 行政，取得成效。' '“推进依法 行政，取”'
check QUAL-018 + '研究部署法治政府建设 工作，落实工作责任。'
check QUAL-018 + '通过理论学习中心组 “每月一法”等形式学法。' '中心组 “每月'
check QUAL-018 + '社区“两委” 成员以身作则。'
check QUAL-018 + '推进政务公开。 全年公开信息120条。'
# the space where a number was is QUAL-024's (a blank number), not a stray space
check QUAL-018 - '涉法涉诉信访 件。'
check QUAL-024 + '涉法涉诉信访 件。' ' 件'
check QUAL-018 + '坚持依法　行政，规范执法。'
check QUAL-018 + $'重庆市大足区卫生健康委员会 关于2025年法治政府建设情况的报告\n全年开展普法12场。'
check QUAL-018 + $'陵川县教育局 2025年法治政府建设年度报告\n全年开展普法12场。'
check QUAL-018 + $'沙柳河镇人民政府关于上报2022年度法治政府建设的 工作总结\n全年开展普法12场。' '建设的 工作总结'
check QUAL-018 - $'中共城关镇委员会 城关镇人民政府2024年法治建设工作报告\n全年开展普法12场。'
check QUAL-018 - $'城关镇2024年法治政府建设情况报告\n\n主  任：张三\n局  长　李四\n城关镇党委书记 王五'
check QUAL-018 - '来源:区司法局 发布时间:2024-01-05 浏览次数:'
check QUAL-018 - '保政呈〔2017〕3号 签发人:郭建英'
check QUAL-018 - '出台《东城区全方位优化营商环境 打造文化创新融合改革示范区工作方案》，构建工作体系。'
check QUAL-018 - '中新网 3月29日电 据应急管理部微信公众号消息，应急管理部发布年度报告。'
check QUAL-018 - $'（一）党建引领法治建设 深化基层依法治理\n中共老军乡委员会 老军乡人民政府\n中共中央 国务院关于加强法治政府建设的意见'
check QUAL-018 - '全年开展 12 场普法活动，上线 APP 平台，2024 年完成。'
check QUAL-018 - '在会议上北京市市长 殷勇同志作政府工作报告。'
check QUAL-018 - '一、 加强组织领导。（二） 健全制度，3、 强化监督。'
check QUAL-018 - '序号  单位名称  完成情况，备注。'
check QUAL-018 - $'（一）坚持党建引领 深化依法治理。全年召开会议4次。\n（二）加强组织领导 压实工作责任'
check QUAL-018 - $'\t第一条\t为了规范执法，制定本办法。'
check QUAL-018 - $'　　一、主要举措和成效\n　　全年开展普法12场。'

# QUAL-019: two marks of the sentence side by side
check QUAL-019 + '开展普法，，受理纠纷29件。' '“开展普法，，受理纠纷”'
check QUAL-019 + '取得成效。。'
check QUAL-019 + '开展普法宣传，。全年受理纠纷29件。'
check QUAL-019 + '依法、、规范推进。'
check QUAL-019 + '现将有关情况报告如下：。'
check QUAL-019 + '开展普法,,受理纠纷29件。'
check QUAL-019 + '成效明显。。。。。。全年开展普法。' '“成效明显。。。。。。全年开展”'
check QUAL-019 - '开展普法……受理纠纷——成效明显。他说：“要依法办事。”落实（试行）。'
check QUAL-019 - '真好！！难道不是吗？！'
check QUAL-019 - '收入1,000万元，上午8:30开会。'
echo "$n cases"
exit $fail
