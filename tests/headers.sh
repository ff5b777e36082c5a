#!/bin/sh
# tests/headers.sh INCLUDEDIR -- every public header (INCLUDEDIR/ccpu/*.h)
# compiles on its own, included twice, as strict C11 with nothing but
# INCLUDEDIR and the dependencies' pkg-config flags on the include path (no
# _POSIX_C_SOURCE, no src/ or data/: what a user of the installed library
# has), and cites no document that is not shipped (the unpublished
# reference notes the sources were read into).  Run on include/ by lint and
# on the installed tree by tests/install.sh.
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
	if grep -nE 'reference section|\.\./shared|section [0-9]' "$h"; then
		echo "headers: $name cites a document that is not shipped"
		bad=1
	fi
done
if [ "$n" -eq 0 ]; then
	echo "headers: no header in $dir/ccpu"
	exit 1
fi
[ $bad = 0 ] && echo "headers: $n compile alone"
[ $bad = 0 ]
