#!/bin/bash
# serve in a real browser: headless Chromium loads / and the result page
# of a seed report; --dump-dom shows the upload form, the checklist and one
# <mark> per positioned finding; --screenshot writes out/serve-*.png for
# people to look at.
. "$SRC/tests/serve/lib.bash"
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$CHROME" ] || { echo "skip: chromium is not installed (scripts/install-deps)"; exit 77; }
export HOME=$TMPDIR
chrome() { timeout 90 "$CHROME" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
	--no-first-run --user-data-dir="$TMPDIR/chrome" "$@" 2>>"$TMPDIR/chrome.log"; }
serve_start --workers 2
mkdir -p "$SRC/out"
chrome --dump-dom "$BASE/" > "$TMPDIR/index.dom" || fail "chromium could not load /"
grep -q 'enctype="multipart/form-data"' "$TMPDIR/index.dom" || fail "no upload form"
grep -q 'name="previous"' "$TMPDIR/index.dom" || fail "no previous field"
seed=${SEEDS[0]}
loc=$(curl -s -o /dev/null -w '%{redirect_url}' -F "file=@$seed" "$BASE/check")
chrome --dump-dom "$loc" > "$TMPDIR/result.dom" || fail "chromium could not load $loc"
"$FZREPORT" check --format json "$seed" > "$TMPDIR/cli.json"
python3 - "$TMPDIR/cli.json" "$TMPDIR/result.dom" <<'PY' || fail "result page in the browser"
import json, re, sys
r = json.load(open(sys.argv[1])); dom = open(sys.argv[2]).read()
assert 'class="checklist"' in dom, "checklist"
rows = re.findall(r'<tr class="st-(found|inline|missing)">', dom)
assert len(rows) == len(r["sections"]) == 5, rows
positioned = [f for f in r["findings"] if f["line"]]
marks = re.findall(r'<mark id="m(\d+)"', dom)
assert len(marks) == len(positioned), (len(marks), len(positioned))
assert len(set(marks)) == len(marks)
for m in marks:   # each mark links back, each finding links to it
    assert 'href="#f%s"' % m in dom and 'href="#m%s"' % m in dom, m
# the stylesheet was applied (the browser fetched /static/fz.css)
PY
chrome --window-size=1200,2000 --screenshot="$SRC/out/serve-result.png" "$loc" || fail "screenshot"
chrome --window-size=1200,900 --screenshot="$SRC/out/serve-index.png" "$BASE/" || fail "screenshot of /"
[ -s "$SRC/out/serve-result.png" ] && head -c 8 "$SRC/out/serve-result.png" | grep -q PNG || fail "no PNG"
grep -q 'GET /static/fz.css 200' "$SLOG" || fail "the browser did not load the style sheet"
exit 0
