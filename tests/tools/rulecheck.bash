# rulecheck.bash: sourced by script tests that check one-line reports.
#
#   check RULE +|- TEXT [WANT]
#
# writes TEXT as a small report and checks it: "+" must draw RULE's finding
# (quoting WANT, when given), "-" none.  A failure is printed and sets fail=1;
# the script ends with `exit $fail`.
fail=0
n=0
check() {
	local rule=$1 sign=$2 text=$3 want=${4:-} out got
	n=$((n + 1))
	printf '%s\n' "$text" > "$TMPDIR/case$n.txt"
	out=$("$FZREPORT" check "$TMPDIR/case$n.txt" 2>&1)
	got=$(printf '%s\n' "$out" | grep -c ": $rule: ")
	if [ "$sign" = + ] && [ "$got" -eq 0 ]; then
		echo "no $rule: $text"; fail=1
	elif [ "$sign" = - ] && [ "$got" -ne 0 ]; then
		echo "unwanted $rule: $text"; printf '%s\n' "$out" | grep ": $rule: "; fail=1
	elif [ -n "$want" ] && ! printf '%s\n' "$out" | grep ": $rule: " | grep -qF "$want"; then
		echo "$rule lacks '$want': $text"; printf '%s\n' "$out" | grep ": $rule: "; fail=1
	fi
}
