#!/usr/bin/env python3
"""verify.py WORKBOOK RESULTS.jsonl: check a rollup workbook against the results of
`fzreport check --format json` for the same inputs (one code path: the workbook must
say what check says).  Prints what differs and exits 1, or exits 0.

Checked: the five sheets; one 汇总 row per result (file, unit, kind, year, verdict,
counts, 字数, a mark per required section, title, date), sorted by verdict then unit;
the totals row; every finding in 问题明细 under its unit; links from unit names to
their rows; 矩阵 ✗ exactly where a rule has a finding and – where it was not checked;
规则统计 counts; 说明 lists every unreadable input.
"""
import datetime
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tools"))
import xlsxdump  # noqa: E402

VERDICT = {"pass": "合格", "revise": "需修改", "fail": "不合格", "unreadable": "无法读取"}
RANK = {"无法读取": 0, "不合格": 1, "需修改": 2, "合格": 3}
SEV = {"error": "错误", "warning": "警告", "info": "提示", "fatal": "无法读取"}
KIND = {"township": "乡镇", "street": "街道", "department": "部门", "county": "县"}
MARK = {"found": "✓ 有", "inline": "△ 仅正文提及", "missing": "✗ 缺"}

errors = []


def expect(cond, msg):
    if not cond:
        errors.append(msg)


def excel_date(text):
    """The Excel serial of a date written 2025年1月20日 (digits only), or None."""
    m = re.fullmatch(r"\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*", text or "")
    if not m:
        return None
    d = datetime.date(*map(int, m.groups()))
    return (d - datetime.date(1899, 12, 30)).days


def sheet(z, parts, shared, name, formulas=False):
    return xlsxdump.cells(z, parts[name], shared, formulas)


def vals(row):
    return [v for v, _ in row]


def main(path, jsonl):
    results = [json.loads(l) for l in open(jsonl, encoding="utf-8") if l.strip()]
    z, sheets, shared = xlsxdump.load(path)
    names = [n for n, _ in sheets]
    expect(names == ["汇总", "问题明细", "规则统计", "矩阵", "说明"], "sheets: %s" % names)
    parts = dict(sheets)
    summ = sheet(z, parts, shared, "汇总")
    head = vals(summ[0])
    col = {h: i for i, h in enumerate(head)}
    rows = summ[1:-1]
    total = summ[-1]
    expect(len(rows) == len(results), "汇总 has %d rows for %d results" % (len(rows), len(results)))
    expect(vals(total)[:2] == ["合计", "只计筛选后显示的行"], "last row is not the totals row saying what it counts")
    by_file = {}
    for r in rows:
        v = vals(r) + [""] * (len(head) - len(r))
        by_file.setdefault(v[col["文件"]], []).append((v, [k for _, k in r]))

    # sorted by verdict, then unit
    keys = []
    for r in rows:
        v = vals(r) + [""] * len(head)
        keys.append((RANK.get(v[col["结论"]], 9), v[col["单位"]] if v[col["单位"]] != "（未识别）" else "\U0010ffff"))
    expect(keys == sorted(keys), "汇总 is not sorted by verdict then unit")
    expect([vals(r)[0] for r in rows] == [str(i + 1) for i in range(len(rows))], "序号 not 1..n")

    sections = {}
    for res in results:
        for s in res.get("sections") or []:
            sections.setdefault(s["id"], s["name"])
    for res in results:
        got = by_file.get(res["file"])
        if not got:
            errors.append("no 汇总 row for %s" % res["file"])
            continue
        v, kinds = got.pop(0)
        m = res.get("meta") or {}
        s = res["summary"]
        unread = "error" in res
        verdict = "无法读取" if unread else VERDICT[s["verdict"]]
        expect(v[col["结论"]] == verdict, "%s: 结论 %s, check says %s" % (res["file"], v[col["结论"]], verdict))
        expect(v[col["单位"]] == (m.get("unit") or "（未识别）"), "%s: 单位 %r" % (res["file"], v[col["单位"]]))
        expect(v[col["上级"]] == (m.get("parent") or ""), "%s: 上级 %r" % (res["file"], v[col["上级"]]))
        expect(v[col["单位类型"]] == KIND.get(m.get("unit_kind"), ""), "%s: 单位类型" % res["file"])
        expect(v[col["报告年度"]] == (str(m["year"]) if m.get("year") else ""), "%s: 报告年度" % res["file"])
        for h, k in (("错误", "errors"), ("警告", "warnings"), ("提示", "infos"), ("未检查", "not_checked")):
            expect(v[col[h]] == str(s[k]), "%s: %s %s != %s" % (res["file"], h, v[col[h]], s[k]))
            expect(kinds[col[h]] == "n", "%s: %s is not a number" % (res["file"], h))
        if not unread:
            expect(v[col["字数"]] == str(res["chars"]) and kinds[col["字数"]] == "n", "%s: 字数" % res["file"])
            expect(kinds[col["报告年度"]] in ("n", "-"), "%s: 报告年度 not a number" % res["file"])
        else:
            expect("无法读取：" + res["error"] in v[col["备注"]], "%s: 备注 lacks the reason" % res["file"])
        st = {x["id"]: x["status"] for x in res.get("sections") or []}
        for sid, name in sections.items():
            want = "–" if unread or sid not in st else MARK[st[sid]]
            expect(v[col[name]] == want, "%s: %s is %s, want %s" % (res["file"], name, v[col[name]], want))
        expect(v[col["标题"]] == (m.get("title") or ""), "%s: 标题" % res["file"])
        want = excel_date(m.get("date"))
        if want is not None:
            expect(v[col["成文日期"]] == str(want) and kinds[col["成文日期"]] == "n",
                   "%s: 成文日期 %r is not the date %s" % (res["file"], v[col["成文日期"]], m.get("date")))
        else:
            expect(v[col["成文日期"]] == (m.get("date") or ""), "%s: 成文日期" % res["file"])

    # totals row: cached values and formulas
    tf = vals(sheet(z, parts, shared, "汇总", True)[-1])
    expect(tf[col["错误"]].startswith("=SUBTOTAL(109,"), "totals: 错误 formula %s" % tf[col["错误"]])
    expect(tf[col["文件"]].startswith("=SUBTOTAL(103,"), "totals: 文件 formula %s" % tf[col["文件"]])
    expect("SUBTOTAL(103,OFFSET(" in tf[col["结论"]], "totals: 结论 ignores the filter: %s" % tf[col["结论"]])
    expect(vals(total)[col["错误"]] == str(sum(r["summary"]["errors"] for r in results)), "totals: 错误 sum")
    expect(vals(total)[col["文件"]] == str(len(results)), "totals: count of files")

    # 问题明细: the findings of each input, in order, under its unit
    det = sheet(z, parts, shared, "问题明细")
    dh = {h: i for i, h in enumerate(vals(det[0]))}
    drows = [vals(r) + [""] * 10 for r in det[1:]]
    if drows:
        expect(drows[-1][:2] == ["合计", "只计筛选后显示的行"], "问题明细: no totals row")
        drows = drows[:-1]
    nfind = sum(len(r.get("findings") or []) for r in results)
    expect(len(drows) == nfind, "问题明细 has %d rows, check found %d" % (len(drows), nfind))
    for res in results:
        want = [(f["rule"], SEV[f["severity"]], f["message"]) for f in res.get("findings") or []]
        got = [(d[dh["规则"]], d[dh["级别"]], d[dh["说明"]]) for d in drows if d[dh["文件"]] == res["file"]]
        expect(got == want, "%s: 问题明细 %s != %s" % (res["file"], got, want))
    links = dict(xlsxdump.links(z, parts["汇总"]))
    for i, r in enumerate(rows):
        v = vals(r)
        ref = "B%d" % (i + 2)
        n = sum(1 for d in drows if d[dh["文件"]] == v[col["文件"]])
        if n == 0:
            expect(ref not in links, "%s links though it has no findings" % ref)
            continue
        loc = links.get(ref, "")
        expect(loc.startswith("'问题明细'!A"), "%s: link %r" % (ref, loc))
        first = int(loc.split("!A")[1].split(":")[0])
        expect(drows[first - 2][dh["文件"]] == v[col["文件"]], "%s: link lands on another file" % ref)
        expect(drows[first - 2][dh["单位"]] == v[col["单位"]], "%s: link lands on another unit" % ref)

    # 矩阵
    mat = sheet(z, parts, shared, "矩阵")
    rule_ids = vals(mat[0])[3:]
    for r in mat[2:]:
        v = vals(r)
        res = next((x for x in results if x["file"] == v[1]), None)
        if res is None:
            errors.append("矩阵: unknown file %s" % v[1])
            continue
        fails = {f["rule"] for f in res.get("findings") or []}
        unch = {u["rule"] for u in res.get("not_checked") or []}
        for rid, mark in zip(rule_ids, v[3:]):
            want = "–" if "error" in res else "✗" if rid in fails else "–" if rid in unch else "✓"
            expect(mark == want, "矩阵 %s %s: %s, want %s" % (v[1], rid, mark, want))
    expect(len(mat) - 2 == len(results), "矩阵 rows")

    # 规则统计
    rs = sheet(z, parts, shared, "规则统计")
    for r in rs[1:]:
        v = vals(r)
        if not v or not v[0]:
            continue
        n = sum(1 for x in results if any(f["rule"] == v[0] for f in x.get("findings") or []))
        expect(v[3] == str(n), "规则统计 %s: %s units, want %d" % (v[0], v[3], n))

    # 说明 lists the unreadable inputs with their reason
    notes = [vals(r) + ["", ""] for r in sheet(z, parts, shared, "说明")]
    for res in results:
        if "error" in res:
            expect([res["file"], res["error"]] in [n[:2] for n in notes], "说明 lacks %s" % res["file"])
    expect(any(n[0] == "输入份数" and n[1] == str(len(results)) for n in notes), "说明: 输入份数")

    expect("xl/charts/chart1.xml" in z.namelist(), "no chart")
    for e in errors[:40]:
        print(e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
