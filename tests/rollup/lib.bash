# tests/rollup/lib.bash: shared by the rollup script tests (sourced, not run).
set -u
DUMP=(python3 "$SRC/tests/tools/xlsxdump.py")
VERIFY=(python3 "$SRC/tests/rollup/verify.py")
SEEDS="$SHARED/corpus/seeds"
T=$(mktemp -d "${TMPDIR:-/tmp}/rollup.XXXXXX")
trap 'rm -rf "$T"' EXIT
# fzreport, under valgrind when FZ_VALGRIND=1 (as tests/run does for golden cases)
fz() {
	if [ "${FZ_VALGRIND:-0}" = 1 ]; then
		valgrind -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect "$FZREPORT" "$@"
	else
		"$FZREPORT" "$@"
	fi
}
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
# Corrupt inputs: a .docx that is not a zip and a text file with a NUL byte.
make_corrupt() { # dir
	printf 'this is not a zip archive\n' > "$1/坏文件.docx"
	printf '法治政府建设\0年度报告\n' > "$1/nul.txt"
}
