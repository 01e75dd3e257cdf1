#!/usr/bin/env bash
# fuzz.sh TIME MINIMIZETIME pkg:FuzzName... — fuzzes each target for TIME,
# one after another (make fuzz, make fuzz-short). A target fails when Go
# writes a failing input to <pkg>/testdata/fuzz/<FuzzName>/ (commit it: it
# becomes a regression seed) or fails any other way, except for one case:
# Go 1.26's fuzzing coordinator can end a duration-bounded run with a bare
# "context deadline exceeded" and no failing input, a race at the deadline
# (go.dev/issue/75804, fixed in Go 1.27). That is reported, not failed.
set -uo pipefail
go=${GO:-go}
time=$1 minimize=$2
shift 2
failed=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "$@"; do
	pkg=${t%%:*} name=${t#*:}
	dir="$pkg/testdata/fuzz/$name"
	before=$(ls "$dir" 2>/dev/null)
	echo "fuzz $name ($pkg, $time)"
	"$go" test -run '^$' -fuzz "^$name\$" -fuzztime "$time" -fuzzminimizetime "$minimize" "./$pkg" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	[ "$rc" -eq 0 ] && continue
	if [ "$(ls "$dir" 2>/dev/null)" = "$before" ] && grep -q "context deadline exceeded" "$log" && ! grep -q "Failing input written" "$log"; then
		echo "fuzz $name: ended by Go's deadline race (go.dev/issue/75804) with no failing input written: not a crasher"
		continue
	fi
	failed+=("$name")
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzz: failing inputs or errors in: ${failed[*]}" >&2
	exit 1
fi
