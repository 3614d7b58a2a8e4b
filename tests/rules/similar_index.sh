#!/bin/bash
# QUAL-010 through the batch's index of sketches (kind_similar.c) names
# the same partner, with the same share, as comparing every report with
# every other (FZREPORT_BATCH_LINEAR=1), held whole and streamed in two
# passes.  The batch: reports of their own (sentences of the seeds and the
# dev corpus with a third of their characters changed), near copies of
# some, parts of some, large ones holding several others, short ones
# (fewer hashes than a sketch), and halves of two.
command -v python3 >/dev/null || exit 77
B=$TMPDIR/batch
python3 - "$SHARED" "$B" <<'PY'
import glob, os, random, re, sys
shared, out = sys.argv[1], sys.argv[2]
os.makedirs(out)
sents = set()
for f in glob.glob(shared + '/corpus/dev/texts/*') + glob.glob(shared + '/corpus/seeds/*.txt'):
    for s in re.split(r'(?<=[。！？])', open(f, encoding='utf-8', errors='ignore').read()):
        if 10 <= len(s.strip()) <= 200:
            sents.add(s.strip())
sents = sorted(sents)
han = sorted({c for s in sents for c in s if '\u4e00' <= c <= '\u9fff'})
rnd = random.Random(3)
def own(s):
    return ''.join(rnd.choice(han) if '\u4e00' <= c <= '\u9fff' and rnd.random() < 0.33 else c
                   for c in s)
heads = ['一、主要举措和成效', '二、存在的不足和原因', '三、党政主要负责人履行推进法治建设第一责任人职责情况',
         '四、下一年度主要安排', '五、其他需要报告的情况']
texts = []
for i in range(260):
    lines = ['关于2024年度法治政府建设情况的报告']
    for h in heads:
        lines += [h, ''.join(own(s) for s in rnd.sample(sents, rnd.randrange(2, 9)))]
    texts.append('\n'.join(lines) + '\n')
docs = []
for t in texts:
    docs.append(t)
    r = rnd.random()
    if r < 0.15:
        l = list(t)
        for _ in range(rnd.randrange(1, 60)):
            p = rnd.randrange(len(l))
            l[p] = rnd.choice(han)
        docs.append(''.join(l))
    elif r < 0.22:
        a = rnd.randrange(len(t) // 2)
        docs.append(t[a:a + rnd.randrange(200, 1500)])
    elif r < 0.28:
        docs.append(t + ''.join(rnd.choice(texts) for _ in range(rnd.randrange(2, 12))))
    elif r < 0.34:
        docs.append(t[:rnd.randrange(20, 150)])
    elif r < 0.38:
        o = rnd.choice(texts)
        docs.append(t[:len(t) // 2] + o[len(o) // 2:])
rnd.shuffle(docs)
for k, d in enumerate(docs):
    open(os.path.join(out, 'r%04d.txt' % k), 'w', encoding='utf-8').write(d)
PY
n=$(ls "$B" | wc -l)
fail=0
for hold in "" 1; do
	FZREPORT_STREAM_HOLD=$hold "$FZREPORT" check --format json "$B" >"$TMPDIR/index.json"
	FZREPORT_STREAM_HOLD=$hold FZREPORT_BATCH_LINEAR=1 "$FZREPORT" check --format json "$B" >"$TMPDIR/linear.json"
	found=$(grep -o '"QUAL-010"' "$TMPDIR/linear.json" | wc -l)
	echo "${hold:+streamed, }$n reports: $found QUAL-010 findings"
	[ "$found" -ge 40 ] || { echo "too few copies found to compare"; fail=1; }
	cmp -s "$TMPDIR/index.json" "$TMPDIR/linear.json" || {
		echo "the index and the comparison of every pair differ${hold:+ (streamed)} (every pair < > index):"
		for w in linear index; do
			python3 -c 'import json, sys
for l in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(l)
    for f in r.get("findings", []):
        if f["rule"] == "QUAL-010":
            print(r["file"].rsplit("/", 1)[-1], f["message"].rsplit("/", 1)[-1])' "$TMPDIR/$w.json" >"$TMPDIR/$w.txt"
		done
		diff "$TMPDIR/linear.txt" "$TMPDIR/index.txt" | head -6
		fail=1
	}
done
exit $fail
