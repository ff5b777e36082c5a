# tests/emptyroot-lib.sh -- sourced by tests/emptyroot.sh and
# tests/recipes.sh: build a root directory holding only crac-cpu, the
# crac-restore script, a static busybox as /bin/sh and a fake `java`, and run
# commands in it with chroot.  There is no libc, no dynamic loader and no
# other program in it, as in a distroless or scratch image.
#
#   er_init BIN TMP    0 when roots can be made and entered; else 1 and
#                      $er_skip says why.  TMP is the caller's scratch
#                      directory (removed by the caller)
#   er_root DIR        make a root in DIR (a fresh directory)
#   er_root_base DIR   the same without crac-cpu and crac-restore
#   er_image DIR HEX [JAVA_VERSION]
#                      a 2025-style image record in DIR (inside a root):
#                      `cpufeatures` with HEX and, with JAVA_VERSION, `tags`
#                      with the architecture and the java.version label
#                      (without, as Zulu 17 wrote in 2025)
#   er_run DIR [NAME=VALUE...] -- COMMAND...
#                      run COMMAND in the root DIR with only PATH
#                      ($er_path) and the NAME=VALUEs in the environment,
#                      standard output and error into $er_out and $er_err;
#                      the fake java writes its arguments, one a line, to
#                      DIR/java.log.  When a mount namespace can be made the
#                      command sees /proc and /dev/null, as a container
#                      runtime provides them (busybox sh needs /proc to run
#                      applets that are not builtins); er_run_bare never
#                      does.
#   er_static FILE     0 when FILE is a statically linked executable
#   er_java_log DIR    java's recorded arguments, or "(not run)"

er_path=/usr/local/bin:/usr/bin:/bin

er_static() {
	if command -v file >/dev/null 2>&1; then
		case $(file -L "$1") in
		*"statically linked"*|*"static-pie linked"*)	return 0 ;;
		esac
		return 1
	fi
	case $(ldd "$1" 2>&1) in
	*"not a dynamic executable"*|*"statically linked"*)	return 0 ;;
	esac
	return 1
}

er_init() {
	er_bin=$1 er_tmp=$2
	er_top=$(cd "$(dirname "$0")/.." && pwd)
	if [ "$(id -u)" -ne 0 ]; then
		er_skip="not root (chroot needs root)"
		return 1
	fi
	er_chroot=$(command -v chroot) || {
		er_skip="no chroot"
		return 1
	}
	er_busybox=
	for b in /bin/busybox /usr/bin/busybox; do
		if [ -x "$b" ] && er_static "$b"; then
			er_busybox=$b
			break
		fi
	done
	if [ -z "$er_busybox" ]; then
		er_skip="no static busybox (apt-get install busybox-static)"
		return 1
	fi
	er_out=$er_tmp/out
	er_err=$er_tmp/err
	er_root "$er_tmp/probe"
	if ! "$er_chroot" "$er_tmp/probe" /bin/sh -c : >"$er_err" 2>&1; then
		er_skip="chroot impossible here: $(head -1 "$er_err")"
		return 1
	fi
	# A private mount and PID namespace for /proc and /dev/null; without
	# one (a container without CAP_SYS_ADMIN) commands run bare.
	er_ns=0
	_ns=1
	if er_unshare=$(command -v unshare) && er_mount=$(command -v mount) &&
	    _er_run "$er_tmp/probe" -- /bin/sh -c \
	    'test -r /proc/self/stat && : >/dev/null'; then
		er_ns=1
	else
		echo "note: no mount namespace here: roots have no /proc and no /dev/null"
	fi
	return 0
}

er_root() {
	er_root_base "$1"
	mkdir -p "$1/usr/local/bin"
	cp "$er_bin" "$1/usr/local/bin/crac-cpu"
	cp "$er_top/scripts/crac-restore" "$1/usr/local/bin/crac-restore"
	chmod 755 "$1/usr/local/bin/crac-cpu" "$1/usr/local/bin/crac-restore"
}

er_root_base() {
	mkdir -p "$1/bin" "$1/opt/jdk/bin"
	cp "$er_busybox" "$1/bin/sh"
	printf '%s\n' '#!/bin/sh' \
	    'for a in "$@"; do printf '"'%s\\n'"' "$a"; done >/java.log' \
	    'exit 0' >"$1/opt/jdk/bin/java"
	chmod 755 "$1/bin/sh" "$1/opt/jdk/bin/java"
}

er_image() {
	mkdir -p "$1"
	printf '%s\n' "$2" >"$1/cpufeatures"
	[ -z "${3:-}" ] ||
	    printf 'label:cpu.arch=amd64\nlabel:java.version=%s\n' "$3" >"$1/tags"
}

er_java_log() {
	if [ -f "$1/java.log" ]; then cat "$1/java.log"; else echo "(not run)"; fi
}

er_run() {
	_ns=$er_ns
	_er_run "$@"
}

er_run_bare() {
	_ns=0
	_er_run "$@"
}

# Rotate every argument once through "$@", replacing the first "--" with
# the launcher, so that no list needs quoting: the result is
# NAME=VALUE... LAUNCHER... DIR COMMAND..., run under `env -i`.
_er_run() {
	_dir=$1
	shift
	_total=$# _i=0 _seen=0
	while [ $_i -lt $_total ]; do
		_a=$1
		shift
		if [ $_seen = 0 ] && [ "$_a" = -- ]; then
			_seen=1
			if [ "$_ns" = 1 ]; then
				mkdir -p "$_dir/proc" "$_dir/dev"
				[ -e "$_dir/dev/null" ] || : >"$_dir/dev/null"
				set -- "$@" "$er_unshare" --mount --pid --fork \
				    --mount-proc="$_dir/proc" /bin/sh -c \
				    '"$1" --bind /dev/null "$3/dev/null" || exit 125
				    shift
				    exec "$@"' sh "$er_mount" "$er_chroot" "$_dir"
			else
				set -- "$@" "$er_chroot" "$_dir"
			fi
		else
			set -- "$@" "$_a"
		fi
		_i=$((_i + 1))
	done
	rm -f "$_dir/java.log"
	env -i PATH="$er_path" "$@" >"$er_out" 2>"$er_err"
}
