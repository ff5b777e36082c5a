#!/bin/sh
# tests/recipes.sh BIN -- the recipes of docs/gate.md, read from the doc
# itself (each is the indented block after a `<!-- recipe: NAME -->` line,
# parsed by tests/recipe-parse.py the way its tool reads it) and tried:
#
#   systemd     `systemd-analyze verify` without a word of output; its
#               layout (--jdk in the unit) reads the value the checkpoint
#               recipe gives the JVM and names the stamp's layout; in the
#               empty root (tests/emptyroot-lib.sh) ExecStart restores the
#               stamped checkpoint on a host with exactly that value, runs
#               the fallback on a generic host, and after ExecStopPost of a
#               failed run the restart is a cold start
#   dockerfile  COPY into an empty root, then ENTRYPOINT with ENV: restore
#               on this CPU with a generic image, cold start without AVX-512
#               with an AVX-512 image
#   kubernetes  a v1 Pod; command, args and env in the empty root: the
#               images checked as on a host without AVX-512, and on this CPU
#               as crac-cpu answers outside the root
#
# Prints SKIP lines for missing tools (systemd-analyze, python3-yaml, root
# for chroot) and "recipes: N passed, N failed" last.
bin=$1
top=$(cd "$(dirname "$0")/.." && pwd)
doc=${CCPU_RECIPES_DOC:-$top/docs/gate.md}	# another copy, to test the test
fix=$top/tests/fixtures/cpuid
. "$top/tests/emptyroot-lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
py=/usr/bin/python3

ok() { pass=$((pass + 1)); }
nok() {		# nok NAME WHY [FILE]: a failure, FILE's text indented below
	fail=$((fail + 1))
	printf 'FAIL recipes/%s: %s\n' "$1" "$2"
	[ -n "${3:-}" ] && [ -s "$3" ] && sed 's/^/  | /' "$3"
}

# recipe NAME: the indented block after the marker, unindented; blank
# lines inside it kept, none at either end.
recipe() {
	awk -v marker="<!-- recipe: $1 -->" '
	$0 == marker		{ on = 1; next }
	on == 1 && /^[ \t]*$/	{ next }
	on == 1 && /^    /	{ on = 2 }
	on == 1			{ exit }
	on == 2 && /^[ \t]*$/	{ blank++; next }
	on == 2 && /^    /	{ for (; blank > 0; blank--) print ""
				  print substr($0, 5); next }
	on == 2			{ exit }' "$doc"
}

# parse KIND NAME: extract recipe NAME into $tmp/NAME.txt and parse it into
# $tmp/NAME/; 1 (with a FAIL) when either step fails.
parse() {
	recipe "$2" >"$tmp/$2.txt"
	if [ ! -s "$tmp/$2.txt" ]; then
		nok "$2" "no <!-- recipe: $2 --> block in docs/gate.md"
		return 1
	fi
	mkdir -p "$tmp/$2"
	if ! "$py" "$top/tests/recipe-parse.py" "$1" "$tmp/$2.txt" "$tmp/$2" \
	    2>"$tmp/parse.err"; then
		nok "$2" "cannot parse the recipe" "$tmp/parse.err"
		return 1
	fi
}

# opt_jdk OPTS: the --jdk of a CRAC_CPU_CHECK_OPTS value, or nothing.
opt_jdk() {
	set -f
	# shellcheck disable=SC2086
	set -- $1
	set +f
	while [ $# -gt 0 ]; do
		case $1 in
		--jdk=*)	echo "${1#--jdk=}"; return ;;
		--jdk)		[ $# -ge 2 ] && echo "$2"; return ;;
		esac
		shift
	done
}

# env_value FILE NAME: NAME's value in a file of NAME=VALUE lines.
env_value() {
	sed -n "s/^$2=//p" "$1" | tail -1
}

# layout JDK: the layout crac-cpu resolves a --jdk to.
layout() {
	"$bin" decode --jdk "$1" generic 2>/dev/null |
	    sed -n '1s/^value .* in layout \([^ ]*\).*/\1/p'
}

# bitmap LAYOUT VALUE: the image record of a -XX:CPUFeatures value.
bitmap() {
	"$bin" decode --jdk "$1" "$2" 2>/dev/null | sed -n 's/^  bitmap  *//p'
}

# value LAYOUT DUMP: the -XX:CPUFeatures value of the host in DUMP.
value() {
	"$bin" flags --jdk "$1" --format value "$2" 2>/dev/null
}

# after_java FILE: the words of a command line (one a line in FILE) after
# the word that runs java, i.e. what the fake java records.
after_java() {
	awk 'on { print } !on && ($0 == "java" || $0 ~ /\/java$/) { on = 1 }' "$1"
}

# restore_parts FILE PART: the images, the fallback or the java args (PART
# images, fallback, args) of a crac-restore command line, one word a line
# in FILE, the program first.
restore_parts() {
	awk -v want="$2" '
	NR == 1		{ next }
	phase == 2	{ if (want == "args") print; next }
	phase == 1 && $0 == "--" { phase = 2; next }
	phase == 1	{ if (want == "images") print; next }
	skip		{ skip = 0; if (want == "fallback" && opt == "--fallback") print
			  next }
	/^--(fallback|java|metrics)$/ { skip = 1; opt = $0; next }
	/^--fallback=/	{ if (want == "fallback") print substr($0, 12); next }
	$0 == "--"	{ phase = 1; next }
	/^-/		{ next }
			{ phase = 1; if (want == "images") print }' "$1"
}

# run_in ROOT ENVFILE ARGVFILE [NAME=VALUE...]: run the command of ARGVFILE
# (one word a line) in ROOT with the environment of ENVFILE (NAME=VALUE
# lines, "-" for none), then the NAME=VALUEs given, which win.
run_in() {
	_root=$1 _envf=$2 _argvf=$3
	shift 3
	_k=$#
	[ "$_envf" = - ] ||
	    while IFS= read -r _w; do set -- "$@" "$_w"; done <"$_envf"
	_i=0
	while [ $_i -lt $_k ]; do
		_a=$1
		shift
		set -- "$@" "$_a"
		_i=$((_i + 1))
	done
	set -- "$@" --
	while IFS= read -r _w; do set -- "$@" "$_w"; done <"$_argvf"
	er_run "$_root" "$@"
}

# expect_in NAME STATUS WANT_LOG ROOT ENVFILE ARGVFILE [NAME=VALUE...]:
# run_in, then compare the status and what the fake java recorded.
expect_in() {
	_name=$1 _want=$2 _log=$3
	shift 3
	run_in "$@"
	_got=$?
	_have=$(er_java_log "$1")
	if [ "$_got" = "$_want" ] && [ "$_have" = "$_log" ]; then
		ok
	else
		nok "$_name" "status $_got (want $_want), java: $_have (want $_log)" \
		    "$er_err"
	fi
}

# cold_start ARGVFILE: what the fake java records when the fallback of a
# crac-restore command line runs.
cold_start() {
	restore_parts "$1" fallback >"$tmp/fallback"
	"$py" "$top/tests/recipe-parse.py" words "$(cat "$tmp/fallback")" "$tmp" &&
	    after_java "$tmp/words"
}

# restored ARGVFILE IMAGE: what the fake java records when IMAGE is restored.
restored() {
	printf '%s\n' "-XX:CRaCRestoreFrom=$2"
	restore_parts "$1" args
}

if [ ! -x "$py" ]; then
	echo "SKIP recipes: no $py (apt-get install python3)"
	echo "recipes: $pass passed, $fail failed"
	exit 0
fi
roots=1
if ! er_init "$bin" "$tmp"; then
	echo "SKIP recipes in the empty root: $er_skip"
	roots=0
fi
cpath=/usr/local/bin:/opt/jdk/bin:/usr/bin:/bin		# a JDK image's PATH
spath=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin	# systemd's
icelake=$fix/intel-icelake-sp-xeon-gold-6330.raw	# AVX-512
zen2=$fix/amd-zen2-rome-epyc-7742.raw			# AVX2, no AVX-512

# --- systemd ---------------------------------------------------------------
if parse systemd systemd && parse checkpoint checkpoint; then
	sd=$tmp/systemd cp=$tmp/checkpoint
	if ! command -v systemd-analyze >/dev/null 2>&1; then
		echo "SKIP recipes/systemd-verify: no systemd-analyze (apt-get install systemd)"
	else
		# The unit as written, except that programs missing on this
		# host are our own (crac-restore, crac-cpu) or stubs under
		# $tmp/stub: verify checks that they exist and can run.
		mkdir -p "$tmp/verify" "$tmp/stub"
		awk -v stub="$tmp/stub" '
		match($0, /^Exec[A-Za-z]*=[-@:+!]*\//) {
			p = substr($0, RLENGTH)
			sub(/[ \t].*/, "", p)
			print p > (stub "/list")
		}' "$tmp/systemd.txt"
		sed_args=
		while IFS= read -r p; do
			[ -x "$p" ] && continue
			mkdir -p "$tmp/stub${p%/*}"
			case ${p##*/} in
			crac-restore)	cp "$top/scripts/crac-restore" "$tmp/stub$p" ;;
			crac-cpu)	cp "$bin" "$tmp/stub$p" ;;
			*)		printf '#!/bin/sh\nexit 0\n' >"$tmp/stub$p" ;;
			esac
			chmod 755 "$tmp/stub$p"
			sed_args="$sed_args -e s|^\\(Exec[A-Za-z]*=[-@:+!]*\\)$p|\\1$tmp/stub$p|"
		done <"$tmp/stub/list" 2>/dev/null
		# shellcheck disable=SC2086
		sed $sed_args "$tmp/systemd.txt" >"$tmp/verify/app.service"
		if systemd-analyze verify "$tmp/verify/app.service" \
		    >"$tmp/verify.out" 2>&1 && [ ! -s "$tmp/verify.out" ]; then
			ok
		else
			nok systemd-verify "systemd-analyze verify is not silent" \
			    "$tmp/verify.out"
		fi
	fi

	# One layout for the check, the checkpoint value and the stamp.
	jdk=$(opt_jdk "$(env_value "$sd/env" CRAC_CPU_CHECK_OPTS)")
	lay=$(layout "${jdk:-none}")
	value=$(sed -n 's/^-XX:CPUFeatures=//p' "$cp/java")
	cdir=$(sed -n 's/^-XX:CRaCCheckpointTo=//p' "$cp/java")
	if [ -z "$jdk" ] || [ -z "$lay" ]; then
		nok systemd-names-layout "CRAC_CPU_CHECK_OPTS names no known --jdk ('$jdk'): the layout would be the image's guess" "$sd/env"
	elif [ -z "$value" ]; then
		nok checkpoint-value "the checkpoint gives the JVM no -XX:CPUFeatures" "$cp/java"
	elif "$bin" decode --jdk "$jdk" "$value" >"$tmp/decode.out" 2>&1; then
		ok
	else
		nok checkpoint-value-in-check-layout "-XX:CPUFeatures=$value is not a value of --jdk $jdk (the check's): every restore would cold-start" "$tmp/decode.out"
	fi
	set --
	while IFS= read -r w; do set -- "$@" "$w"; done <"$cp/stamp"
	sjdk= svalue= sdir=
	shift
	if [ "${1:-}" = stamp ]; then
		shift
	else
		nok stamp "not 'crac-cpu stamp'" "$cp/stamp"
		set --
	fi
	while [ $# -gt 0 ]; do
		case $1 in
		--jdk|--value|--host)	[ $# -ge 2 ] || break
					[ "$1" = --jdk ] && sjdk=$2
					[ "$1" = --value ] && svalue=$2
					shift 2 ;;
		--jdk=*)	sjdk=${1#--jdk=}; shift ;;
		--value=*)	svalue=${1#--value=}; shift ;;
		-*)		shift ;;
		*)		sdir=$1; shift ;;
		esac
	done
	if [ -n "$lay" ] && [ "$(layout "${sjdk:-none}")" = "$lay" ] &&
	    [ "$svalue" = "$value" ] && [ "$sdir" = "$cdir" ]; then
		ok
	else
		nok stamp-matches-checkpoint "stamp --jdk '$sjdk' --value '$svalue' '$sdir'; want the check's layout $lay, the value '$value' and the directory '$cdir'" "$cp/stamp"
	fi
	if grep -qxF -- "$cdir" "$sd/ExecStart"; then ok; else
		nok checkpoint-dir-restored "ExecStart never restores '$cdir'" "$sd/ExecStart"
	fi

	if [ $roots = 1 ] && [ -n "$lay" ] && [ -n "$value" ] && [ -n "$cdir" ]; then
		# The checkpoint directory as the JVM leaves it (no record),
		# stamped by the recipe's stamp command on an Ice Lake (a build
		# host that has every feature of the value).
		root=$tmp/sdroot
		er_root "$root"
		mkdir -p "$root$cdir"
		printf 'pages' >"$root$cdir/pages-1.img"
		set --
		while IFS= read -r w; do
			case $w in
			crac-cpu)	w=$bin ;;
			/*)		w=$root$w ;;
			esac
			set -- "$@" "$w"
		done <"$cp/stamp"
		if "$@" --host "$icelake" >"$tmp/stamp.out" 2>&1; then ok; else
			nok stamp-runs "the recipe's stamp failed" "$tmp/stamp.out"
		fi
		opts=$(env_value "$sd/env" CRAC_CPU_CHECK_OPTS)
		generic=$("$bin" decode --jdk "$jdk" generic 2>/dev/null |
		    sed -n '1s/^value \([^ ]*\) .*/\1/p')
		cold=$(cold_start "$sd/ExecStart")
		start() {	# start NAME STATUS WANT_LOG HOST-VALUE: ExecStart
			expect_in "$1" "$2" "$3" "$root" "$sd/env" \
			    "$sd/ExecStart" PATH="$spath" \
			    CRAC_CPU_CHECK_OPTS="$opts --value $4"
		}
		start systemd-restores-checkpoint 0 \
		    "$(restored "$sd/ExecStart" "$cdir")" "$value"
		start systemd-cold-on-generic-host 0 "$cold" "$generic"
		# ExecStopPost: a clean stop leaves the images alone; one failure
		# too (the restart restores again); a second failure in a row
		# moves them aside, not away, and the restart is a cold start.
		stop_post() {	# stop_post RESULT CODE STATUS: status of ExecStopPost
			run_in "$root" "$sd/env" "$sd/ExecStopPost" PATH="$spath" \
			    SERVICE_RESULT="$1" EXIT_CODE="$2" EXIT_STATUS="$3"
		}
		in_place() {	# in_place NAME STATUS: ExecStopPost kept the image
			if [ "$2" = 0 ] && [ -f "$root$cdir/pages-1.img" ]; then
				ok
			else
				nok "$1" "ExecStopPost: status $2, image in place: $([ -f "$root$cdir/pages-1.img" ] && echo yes || echo no)" "$er_err"
			fi
		}
		restore=$(restored "$sd/ExecStart" "$cdir")
		stop_post success exited 143
		in_place systemd-stop-keeps-images $?
		stop_post core-dump dumped SEGV
		in_place systemd-first-failure-keeps-images $?
		start systemd-restart-after-one-failure-restores 0 "$restore" "$value"
		stop_post success exited 143
		stop_post exit-code exited 1
		in_place systemd-clean-stop-resets-the-count $?
		stop_post exit-code exited 1
		st=$?
		kept=$(cd "$root" && find . -name pages-1.img -print)
		if [ $st = 0 ] && [ ! -e "$root$cdir" ] && [ -n "$kept" ]; then ok; else
			nok systemd-second-failure-moves-images "ExecStopPost: status $st, image now at '$kept' (want moved and kept)" "$er_err"
		fi
		start systemd-restart-after-two-failures-is-cold 0 "$cold" "$value"
		stop_post exit-code exited 1
		st=$?
		if [ $st = 0 ]; then ok; else
			nok systemd-failed-cold-start-stop "ExecStopPost with no images: status $st" "$er_err"
		fi
	fi
fi

# --- container entrypoint --------------------------------------------------
# croot NAME HEX: an empty root (no crac-cpu yet) with the Dockerfile's
# COPY done from a build context of crac-cpu, crac-restore and cr/ (HEX's
# record); 1 when a COPY names something else.
croot() {
	_r=$tmp/$1 _ctx=$tmp/$1.ctx
	er_root_base "$_r"
	mkdir -p "$_ctx"
	cp "$bin" "$_ctx/crac-cpu"
	cp "$top/scripts/crac-restore" "$_ctx/crac-restore"
	er_image "$_ctx/cr" "$2"
	while IFS= read -r _src && IFS= read -r _dst; do
		_s=$_ctx/${_src%/}
		if [ -d "$_s" ]; then
			mkdir -p "$_r$_dst" && cp -R "$_s/." "$_r$_dst"
		elif [ -f "$_s" ]; then
			case $_dst in
			*/)	mkdir -p "$_r$_dst" && cp -p "$_s" "$_r$_dst" ;;
			*)	mkdir -p "$_r${_dst%/*}" && cp -p "$_s" "$_r$_dst" ;;
			esac
		else
			nok dockerfile-copy "COPY $_src: not in the build context (crac-cpu, crac-restore, cr/)"
			return 1
		fi
	done <"$tmp/dockerfile/copy"
}

if [ $roots = 1 ] && parse dockerfile dockerfile; then
	df=$tmp/dockerfile
	opts=$(env_value "$df/env" CRAC_CPU_CHECK_OPTS)
	lay=$(layout "$(opt_jdk "$opts")")
	if [ -z "$lay" ]; then
		nok dockerfile-names-layout "CRAC_CPU_CHECK_OPTS names no known --jdk: the layout would be the image's guess" "$df/env"
	else
		ok
		restore_parts "$df/entrypoint" images >"$tmp/images"
		if [ "$(wc -l <"$tmp/images")" -ne 1 ]; then
			nok dockerfile-one-image "want the one image COPY puts in place" "$tmp/images"
		fi
		if croot dgeneric "$(bitmap "$lay" generic)"; then
			expect_in dockerfile-restores-here 0 \
			    "$(restored "$df/entrypoint" "$(head -1 "$tmp/images")")" \
			    "$tmp/dgeneric" "$df/env" "$df/entrypoint" PATH="$cpath"
		fi
		if croot davx512 "$(bitmap "$lay" "$(value "$lay" "$icelake")")"; then
			expect_in dockerfile-cold-without-avx512 0 \
			    "$(cold_start "$df/entrypoint")" \
			    "$tmp/davx512" "$df/env" "$df/entrypoint" PATH="$cpath" \
			    CRAC_CPU_CHECK_OPTS="$opts --value $(value "$lay" "$zen2")"
		fi
	fi
fi

# --- kubernetes -------------------------------------------------------------
if ! "$py" -c 'import yaml' 2>/dev/null; then
	echo "SKIP recipes/kubernetes: no yaml module for $py (apt-get install python3-yaml)"
elif [ $roots = 1 ] && parse kubernetes kubernetes; then
	k8=$tmp/kubernetes
	opts=$(env_value "$k8/env" CRAC_CPU_CHECK_OPTS)
	lay=$(layout "$(opt_jdk "$opts")")
	if [ -z "$lay" ]; then
		nok kubernetes-names-layout "CRAC_CPU_CHECK_OPTS names no known --jdk: the layout would be the image's guess" "$k8/env"
	else
		ok
		# Images named *generic* hold the generic record, the others an
		# Ice Lake's (AVX-512), stamped on this host as the checkpoint
		# recipe says: --strict fails on risks nobody can look at.
		root=$tmp/k8root
		er_root "$root"
		# A JVM's image carries the glibc the JVM links with; crac-cpu
		# (static) reads its version from there, and with none the
		# glibc risk is unchecked, which --strict refuses.
		for l in /lib/x86_64-linux-gnu/libc.so.6 /lib64/libc.so.6; do
			[ -f "$l" ] || continue
			mkdir -p "$root${l%/*}"
			cp "$l" "$root$l"
			break
		done
		restore_parts "$k8/argv" images >"$tmp/images"
		gen=
		while IFS= read -r img; do
			case ${img##*/} in
			*generic*)	er_image "$root$img" "$(bitmap "$lay" generic)"
					[ -n "$gen" ] || gen=$img ;;
			*)		er_image "$root$img" \
					    "$(bitmap "$lay" "$(value "$lay" "$icelake")")" ;;
			esac
			"$bin" stamp --jdk "$lay" "$root$img" >"$tmp/stamp.out" 2>&1 ||
			    nok kubernetes-stamp "cannot stamp $img" "$tmp/stamp.out"
		done <"$tmp/images"
		# A host without AVX-512 given as a value: the generic image.  A
		# value says nothing of the host's kernel, glibc or xsave size,
		# so only the layout of the pod's options is kept.
		if [ -z "$gen" ]; then
			nok kubernetes-generic "no image named *generic* in the pod's args" "$k8/argv"
		else
			expect_in kubernetes-generic-without-avx512 0 \
			    "$(restored "$k8/argv" "$gen")" "$root" "$k8/env" \
			    "$k8/argv" PATH="$cpath" \
			    CRAC_CPU_CHECK_OPTS="--jdk $lay --value $(value "$lay" "$zen2")"
		fi
		# This CPU, the pod's options as they are: a restore (the host
		# stamped the images and the generic one fits any x86-64), of
		# the image crac-cpu picks outside the root.
		set --
		while IFS= read -r img; do set -- "$@" "$root$img"; done <"$tmp/images"
		set -f
		# shellcheck disable=SC2086
		best=$("$bin" check $opts --best -- "$@" 2>"$tmp/best.err")
		st=$?
		set +f
		if [ $st = 0 ]; then
			expect_in kubernetes-this-cpu-restores 0 \
			    "$(restored "$k8/argv" "${best#"$root"}")" "$root" \
			    "$k8/env" "$k8/argv" PATH="$cpath"
		else
			nok kubernetes-this-cpu-restores "crac-cpu check $opts --best: status $st on the host that stamped the images" "$tmp/best.err"
		fi
	fi
fi

echo "recipes: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
