#!/bin/sh
# Install what crac-cpu needs on Debian bookworm.  Idempotent, and fast when
# everything is present (no apt-get update then).
#   scripts/install-deps.sh          what `make` and the unit tests need
#   scripts/install-deps.sh --test   also the heavier tools of `make test`: the
#                                    oracle (OpenJDK 17, qemu-user), the arm64
#                                    cross build (gcc-aarch64-linux-gnu and
#                                    libjansson-dev:arm64, after adding the
#                                    arm64 architecture to dpkg), cpuid,
#                                    Chromium for the HTML report test, a static
#                                    busybox for the empty-root test, and
#                                    systemd-analyze and PyYAML for the recipe
#                                    test, man, groff and mandoc for the manual
#                                    pages, python3-jsonschema for the JSON
#                                    Schemas, lintian for the .deb; without
#                                    them those tests print SKIP
#                                    lines
#   scripts/install-deps.sh --bench  also the tools `make bench` compares against
#   scripts/install-deps.sh --fuzz   also clang and libFuzzer for `make fuzz`
set -eu

pkgs="gcc make pkg-config libcpuid-dev libjansson-dev libcmocka-dev"
test_pkgs="cpuid qemu-user openjdk-17-jre-headless chromium python3-prometheus-client \
    busybox-static python3-yaml systemd file man-db groff-base mandoc bsdextrautils \
    python3-jsonschema lintian gcc-aarch64-linux-gnu libjansson-dev:arm64"
for a in "$@"; do
	case $a in
	--test)		pkgs="$pkgs $test_pkgs" ;;
	--bench)	pkgs="$pkgs cpuid hyperfine jq time" ;;
	--fuzz)		pkgs="$pkgs clang libclang-rt-14-dev" ;;
	-h|--help)	sed -n '2,19s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*)		echo "install-deps: unknown option '$a'" >&2; exit 2 ;;
	esac
done

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo

# Packages of another architecture (name:arch) need it known to dpkg
# before apt-get update can list them.
for p in $pkgs; do
	case $p in
	*:*)	a=${p#*:}
		if [ "$a" != "$(dpkg --print-architecture)" ] &&
		    ! dpkg --print-foreign-architectures | grep -qx "$a"; then
			$sudo dpkg --add-architecture "$a"
		fi ;;
	esac
done

missing=
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing$missing" >&2
$sudo apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
