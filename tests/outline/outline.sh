# Outline, sections and metadata of every tests/outline and seed case, against
# <case>.outline (reviewed by hand).  tests/run -r does not touch these: to
# regenerate one, run this with REGEN=1 and review the diff.
set -u
cd "$SRC"
fail=0
for f in tests/outline/*.txt tests/seeds/*.path; do
	case $f in *.path) in="$SHARED/$(cat "$f")" ;; *) in=$f ;; esac
	exp=${f%.*}.outline
	"$FZREPORT" check --format json "$in" | python3 tests/tools/outline.py > "$TMPDIR/outline.out"
	if [ "${REGEN:-0}" = 1 ]; then
		cp "$TMPDIR/outline.out" "$exp"
	elif ! diff -u "$exp" "$TMPDIR/outline.out"; then
		echo "outline differs: $f"
		fail=1
	fi
done
exit $fail
