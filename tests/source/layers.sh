#!/bin/bash
# The pipeline is one-way: the list at the top of src/check.c names the
# stages from top to bottom, and no object of a stage may use a symbol
# defined by a stage above it (nm over the built objects).  Files the
# list does not name (commands, renderers) are not checked.
set -eu
OBJ=$(dirname "${FZ_TOOLS:-$SRC/build/tools}")
[ -f "$OBJ/check.o" ] || { echo "no objects in $OBJ"; exit 77; }
command -v nm >/dev/null || exit 77
python3 - "$SRC/src/check.c" "$OBJ" <<'PY'
import glob, os, re, subprocess, sys

src, obj = sys.argv[1], sys.argv[2]
text = open(src, encoding="utf-8").read()
block = text[text.index("The pipeline, top to bottom"):text.index("and the results go to")]
rank, globs, later = {}, [], []
r = 0
for line in block.splitlines():
    m = re.match(r"\s*\*\s{3}([a-z0-9_]+\.c)\b(.*)", line)
    if m:
        r += 1
        rank.setdefault(m.group(1), r)
        rest = m.group(2)
    elif r and re.match(r"\s*\*\s{4,}", line):
        rest = line         # a description going on: names in it share the stage
    else:
        continue
    for n in re.findall(r"\b[a-z0-9_*]+\.c\b", rest):
        (globs if "*" in n else later).append((n, r))
# a file named in a description takes that stage unless it has a line of its own
for n, nr in later:
    rank.setdefault(n, nr)
for path in glob.glob(os.path.join(os.path.dirname(src), "*.c")):
    base = os.path.basename(path)
    if base in rank:
        continue
    for g, gr in globs:
        if re.fullmatch(g.replace(".", r"\.").replace("*", ".*"), base):
            rank[base] = gr
            break
if len(rank) < 10:
    sys.exit("could not read the stage list of " + src)

def syms(o, flag):
    out = subprocess.run(["nm", flag, o], capture_output=True, text=True, check=True).stdout
    return [l.split()[-1] for l in out.splitlines() if l.strip()]

defined = {}
for f in rank:
    o = os.path.join(obj, f[:-2] + ".o")
    if not os.path.exists(o):
        sys.exit("missing object " + o)
    for l in subprocess.run(["nm", "--defined-only", o], capture_output=True, text=True,
                            check=True).stdout.splitlines():
        p = l.split()
        if len(p) == 3 and p[1] in "TDBR":
            defined[p[2]] = f
bad = 0
for f in sorted(rank):
    for s in syms(os.path.join(obj, f[:-2] + ".o"), "-u"):
        g = defined.get(s)
        if g and g != f and rank[g] < rank[f]:
            print(f"{f} (stage {rank[f]}) calls {s} of {g} (stage {rank[g]}), a stage above it")
            bad += 1
print(f"{len(rank)} files in {r} stages, {bad} upward calls")
sys.exit(1 if bad else 0)
PY
