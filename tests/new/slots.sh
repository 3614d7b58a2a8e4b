#!/bin/bash
# fzreport new: every "[待填：…]" slot of the skeleton is a run of its own
# with a yellow highlight (whole-paragraph slots, slots inside a sentence,
# number slots and the 成文日期 line alike), and no text outside a slot is
# highlighted, so text typed over a slot loses the highlight.
set -u
out=$TMPDIR/slots.docx
"$FZREPORT" new --kind township --unit 青河镇人民政府 --year 2024 -o "$out" 2>/dev/null || exit 1
python3 - "$out" <<'PY' || exit 1
import re, sys, zipfile
doc = zipfile.ZipFile(sys.argv[1]).read("word/document.xml").decode()
bad = []
runs = re.findall(r"<w:r>(.*?)</w:r>", doc)
slots = 0
for r in runs:
    text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", r))
    lit = "<w:highlight" in r
    inside = re.fullmatch(r"\[待填：[^\]]*\]", text) is not None
    if "[待填：" in text and not inside:
        bad.append("slot shares a run with other text: %r" % text)
    if lit != inside:
        bad.append("%s run: %r" % ("highlighted" if lit else "plain", text))
    slots += inside
paras = re.findall(r"<w:p>(.*?)</w:p>", doc)
inline = [p for p in paras if "[待填：" in p and len(re.findall(r"<w:r>", p)) > 1]
if slots < 10 or not inline:
    bad.append("%d slot runs, %d paragraphs with slots inside the text" % (slots, len(inline)))
for b in bad[:10]:
    print("slots:", b)
sys.exit(1 if bad else 0)
PY
