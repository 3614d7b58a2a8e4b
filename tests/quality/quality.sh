#!/bin/bash
# Over-eager quality rules (issue 12, phenomenon 7): each line below is a
# one-line report; "+" lines must draw the rule's finding, "-" lines none.
# QUAL-003 bounded ratios and counts, QUAL-008 repetition vs reduplication,
# DUTY-003 the 第一责任人 formula, QUAL-012 我 outside a 述法, QUAL-011
# conversion artefacts.
. "$SRC/tests/tools/rulecheck.bash"

# QUAL-003: only part-of-whole ratios are bounded
check QUAL-003 + '全镇群众法治知晓率达到105%。' '知晓率达到105%'
check QUAL-003 + '村（社区）法律顾问覆盖率为120%。'
check QUAL-003 + '全年调处矛盾纠纷18件，调解成功率达100%以上。' '成功率达100%以上'
check QUAL-003 + '行政机关负责人出庭应诉率超过100%。'
check QUAL-003 + '共受理矛盾纠纷29件，调解成功30件。' '多于总数 29 件'
check QUAL-003 + '排查矛盾纠纷40起，化解矛盾纠纷41起。'
check QUAL-003 - '重大项目投资完成率129.6%，年度目标任务完成率达到112%。'
check QUAL-003 - '实际利用外资增长率为135%，同比增长120%，达到目标的130%。'
check QUAL-003 - '年度任务完成率100%以上，满意率100%。'
check QUAL-003 - '受理行政复议案件5件，办结行政诉讼案件8件。'
check QUAL-003 - '受理纠纷29件，调解成功29件，调解成功率100%。'
check QUAL-003 - '受理投诉12件，其中办结12件；接到咨询30件。'

# QUAL-008: a word written twice, not a reduplication
check QUAL-008 + '二、2024年法治政府建设存在存在问题与不足' '“存在”写了两次'
check QUAL-008 + '进一步进一步加强行政执法监督。' '“进一步”写了两次'
check QUAL-008 + '加强的的宣传。' '“的”写了两次'
check QUAL-008 + '认真落实落实行政执法三项制度。'
check QUAL-008 - '认认真真学习，扎扎实实推进，研究研究再定，家家户户、层层落实。'
check QUAL-008 - '常常深入村组，人人学法，天天普法，一一核对，个个过关，件件有回音，等等。'
check QUAL-008 - '让群众有实实在在的获得感，的的确确取得成效。'
check QUAL-008 - '举办博士博士后创新创业大赛，规范规范性文件管理。'
check QUAL-008 - '取得的的确是实效；为了了解情况；以及及时化解纠纷；达到目的的手段。'
check QUAL-008 - '二〇二〇年十一月，组织学法11次，2020年2020名干部参加。'
check QUAL-008 - '推进共建共治共享，落实一村一法律顾问，高校一校一策。'
check QUAL-008 - $'全面加强\n加强执法监督。加强。加强培训。'

# DUTY-003: the 第一责任人 formula
check DUTY-003 + '主要负责同志履行推进法治政府建设第一责任人职责。' '推进法治建设第一责任人'
check DUTY-003 + '县长切实履行法治政府建设第一责任人职责。'
check DUTY-003 + '严格落实《党政主要负责人履行推进法治政府建设第一责任人职责规定》。' '文件名称有误'
check DUTY-003 + '党政主要负责人切实履行推进法治建设第一责任人责任。' '第一责任人职责'
check DUTY-003 + '认真履行“第一责任人”职责。' '不加引号'
check DUTY-003 + '一、2024年度党政负责人履行推进法治建设第一责任人职责情况' '党政主要负责人'
check DUTY-003 - '一、党政主要负责人履行推进法治建设第一责任人职责情况'
check DUTY-003 - '认真贯彻《党政主要负责人履行推进法治建设第一责任人职责规定》，制定《××镇党政主要负责人履行推进法治建设第一责任人职责清单》。'
check DUTY-003 - '镇党委书记、镇长作为推进法治建设第一责任人，切实履行法治建设第一责任人职责，主要负责同志带头述法。'
check DUTY-003 - '镇党政负责人参加全县法治培训。'

# QUAL-012: 我 in a unit report, not in a 述法
check QUAL-012 + $'××镇2024年法治政府建设情况报告\n一、主要举措和成效。我要求全镇干部职工牢固树立法治思维。'
check QUAL-012 + $'××局2024年法治政府建设工作报告\n同时，我积极融入全区法治政府建设大局。'
check QUAL-012 - $'××镇2024年法治政府建设情况报告\n我镇要求全镇干部职工学法，我们坚持依法行政，开展“我为群众办实事”活动。'
check QUAL-012 - $'××镇镇长2024年述法报告\n今年以来，我认真履行推进法治建设第一责任人职责，我带头学法。'
check QUAL-012 - $'主任、各位副主任、委员：\n受区人民政府委托，我代表区政府报告2024年法治政府建设情况，请予审议。'

# QUAL-011: conversion artefacts
check QUAL-011 + '推進法治政府建設(shè)。'
check QUAL-011 + '2022 年，我镇深入推进依法行政。'
check QUAL-011 + '[bookmark: _GoBack]（二）健全依法行政机制'
check QUAL-011 - '上线“渝快办”小程序(app)，2022年以来共办件3000件。'
exit $fail
