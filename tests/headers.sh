#!/bin/sh
# tests/headers.sh INCLUDEDIR -- every public header (INCLUDEDIR/ccpu/*.h)
# compiles on its own, included twice, as strict C11 with nothing but
# INCLUDEDIR and the dependencies' pkg-config flags on the include path (no
# _POSIX_C_SOURCE, no src/ or data/: what a user of the installed library
# has), cites no document that is not shipped (the unpublished reference
# notes the sources were read into, src/ files), and gives every function
# its contract: a comment ending on the line before its declaration or on
# the declaration itself (ownership and errors, STYLE.md).  Run on include/
# by lint and by make test, and on the installed tree by tests/install.sh.
set -u
dir=$1
cc=${CC:-cc}
deps=$(pkg-config --cflags libcpuid jansson) || exit 2
n=0 bad=0
for h in "$dir"/ccpu/*.h; do
	name=ccpu/${h##*/}
	n=$((n + 1))
	# shellcheck disable=SC2086
	if ! printf '#include "%s"\n#include "%s"\n' "$name" "$name" |
	    $cc -std=c11 -Wall -Wextra -Wpedantic -Werror -fsyntax-only \
	    -I"$dir" $deps -x c -; then
		echo "headers: $name does not compile on its own"
		bad=1
	fi
	if grep -nE 'reference section|\.\./shared|section( |$)[0-9]|[( ]src/[a-z_]+\.[ch]' "$h"; then
		echo "headers: $name cites a document that is not shipped"
		bad=1
	fi
	# A declaration starts at column 0 and names ccpu_NAME( (a function
	# pointer member is indented, a macro starts with #); it ends at ";".
	if ! awk -v name="$name" '
	function undocumented() {
		printf "headers: %s:%d: %s has no comment\n", name, start, fn
		bad = 1
	}
	indecl {
		if ($0 ~ /\/\*/) doc = 1
		if ($0 ~ /;/) { indecl = 0; if (!doc) undocumented() }
		prev = $0
		next
	}
	/^[A-Za-z_].*(^|[^A-Za-z0-9_])ccpu_[a-z0-9_]+\(/ && !/^#/ {
		fn = $0
		sub(/\(.*/, "", fn)
		sub(/.*[ \t*]/, "", fn)
		start = NR
		doc = prev ~ /\*\/[ \t]*$/ || $0 ~ /\/\*/
		if ($0 ~ /;/) { if (!doc) undocumented() } else indecl = 1
		nfn++
	}
	{ prev = $0 }
	END { if (nfn == 0) { printf "headers: %s declares no function\n", name; bad = 1 }; exit bad }
	' "$h"; then
		bad=1
	fi
done
if [ "$n" -eq 0 ]; then
	echo "headers: no header in $dir/ccpu"
	exit 1
fi
[ $bad = 0 ] && echo "headers: $n compile alone"
[ $bad = 0 ]
