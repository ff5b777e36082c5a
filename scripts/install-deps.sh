#!/bin/sh
# Install everything crac-cpu needs to build and test on Debian bookworm.
# Idempotent, and fast when everything is present (no apt-get update then).
#   scripts/install-deps.sh          build and test dependencies
#   scripts/install-deps.sh --bench  also the tools `make bench` compares against
set -eu

pkgs="gcc make pkg-config libcpuid-dev libjansson-dev libcmocka-dev
cpuid qemu-user openjdk-17-jre-headless chromium"
[ "${1:-}" = --bench ] && pkgs="$pkgs hyperfine jq time"

missing=
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
echo "install-deps: installing$missing" >&2
$sudo apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
