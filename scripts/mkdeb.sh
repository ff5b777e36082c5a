#!/bin/sh
# scripts/mkdeb.sh VERSION OUTDIR -- Debian packages of this tree, built
# with dpkg-deb alone (make deb):
#   crac-cpu     the programs, manual pages, bash completion, documentation
#   libccpu0     libccpu.so.0
#   libccpu-dev  headers, libccpu.a, libccpu.so, ccpu.pc, the example
# As Debian policy wants, crac-cpu is linked here against the system's
# shared libcpuid and jansson (the static binary of `make` is for copying
# into container images; Debian's tools refuse statically linked
# binaries), built in OUTDIR/build with the tree's own Makefile, installed
# with install-strip into OUTDIR/stage with Debian's directories and split
# by package.  Dependencies are read from the binaries' NEEDED entries and
# the installed packages that provide them, as dpkg-shlibdeps would.
set -eu
version=$1 out=$2
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
arch=$(dpkg --print-architecture)
ma=$(gcc -print-multiarch)
rev=1
debver=$version-$rev
# The maintainer as dch takes it: DEBFULLNAME and DEBEMAIL, else git's
# user, else the author of the last commit (a fresh clone in CI).
name=${DEBFULLNAME:-$(git config user.name 2>/dev/null ||
    git log -1 --format=%an 2>/dev/null || true)}
email=${DEBEMAIL:-$(git config user.email 2>/dev/null ||
    git log -1 --format=%ae 2>/dev/null || true)}
if [ -z "$name" ] || [ -z "$email" ]; then
	echo "mkdeb: set DEBFULLNAME and DEBEMAIL (or git's user.name and user.email)" >&2
	exit 2
fi
maint="$name <$email>"
rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$out/stage
make -s B="$out/build" CLI_LINK='$(PKG_LIBS) -lpthread' \
    DESTDIR="$stage" PREFIX=/usr LIBDIR="/usr/lib/$ma" \
    DOCDIR=/usr/share/doc/crac-cpu install-strip >/dev/null

# deps FILE...: "pkg (>= version)" for each shared library the files need.
deps() {
	for f in "$@"; do
		readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
	done | sort -u | while read -r so; do
		case $so in libccpu.so.*) continue ;; esac
		path=$(ldconfig -p | awk -v so="$so" '$1 == so && /x86-64/ { print $NF; exit }')
		pkg=$( { dpkg -S "$path" || dpkg -S "$(readlink -f "$path")"; } 2>/dev/null |
		    head -n 1 | cut -d: -f1)
		[ -n "$pkg" ] || { echo "mkdeb: no package provides $so" >&2; exit 1; }
		v=$(dpkg-query -W -f='${Version}' "$pkg:$arch" 2>/dev/null ||
		    dpkg-query -W -f='${Version}' "$pkg")
		echo "$pkg (>= ${v%%-*})"
	done | sort -u | paste -sd, - | sed 's/,/, /g'
}

# doc PKG DIR: copyright and changelog.Debian.gz in DIR/usr/share/doc/PKG.
doc() {
	d=$2/usr/share/doc/$1
	mkdir -p "$d"
	cat >"$d/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: crac-cpu
Source: the crac-cpu source tree

Files: *
Copyright: $(sed -n 's/^Copyright (c) //p' LICENSE)
License: BSD-2-Clause

License: BSD-2-Clause
$(sed -e '1,/^All rights reserved/d' LICENSE | sed -e '/./,$!d' -e 's/^$/./' -e 's/^/ /')
EOF
	# Built from the tree, not uploaded to Debian: no ITP bug to close.
	mkdir -p "$2/usr/share/lintian/overrides"
	echo "$1: initial-upload-closes-no-bugs" >"$2/usr/share/lintian/overrides/$1"
	date=$(date -u -R -d "@$(git log -1 --format=%ct 2>/dev/null || date +%s)")
	printf '%s (%s) unstable; urgency=medium\n\n  * Built from the source tree (see /usr/share/doc/crac-cpu/changelog.gz).\n\n -- %s  %s\n' \
	    "$1" "$debver" "$maint" "$date" |
	    gzip -9n >"$d/changelog.Debian.gz"
}

# control PKG DIR FIELDS: DEBIAN/control with the common fields.
control() {
	mkdir -p "$2/DEBIAN"
	size=$(du -sk --exclude=DEBIAN "$2" | cut -f1)
	{
		printf 'Package: %s\nVersion: %s\nArchitecture: %s\nMaintainer: %s\n' \
		    "$1" "$debver" "$arch" "$maint"
		printf 'Installed-Size: %s\nSection: %s\nPriority: optional\n' "$size" "$3"
		cat
	} >"$2/DEBIAN/control"
	(cd "$2" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' |
	    LC_ALL=C sort | xargs md5sum >DEBIAN/md5sums)
}

build() {	# build DIR: the .deb, normalised owners and times
	find "$1" -exec touch -h -d "@$(git log -1 --format=%ct 2>/dev/null || date +%s)" {} +
	chmod -R u+rwX,go+rX,go-w "$1"
	dpkg-deb --root-owner-group -Zxz --build "$1" "$out" >/dev/null
}

# crac-cpu
p=$out/crac-cpu
mkdir -p "$p/usr/share/man" "$p/usr/share/doc"
cp -a "$stage/usr/bin" "$p/usr/"
cp -a "$stage/usr/share/man/man1" "$p/usr/share/man/"
gzip -9n "$p"/usr/share/man/man1/*.1
cp -a "$stage/usr/share/bash-completion" "$p/usr/share/"
cp -a "$stage/usr/share/doc/crac-cpu" "$p/usr/share/doc/"
rm -rf "$p/usr/share/doc/crac-cpu/examples"
# Debian's name for the upstream changelog.
mv "$p/usr/share/doc/crac-cpu/CHANGELOG.md" "$p/usr/share/doc/crac-cpu/changelog"
gzip -9n "$p/usr/share/doc/crac-cpu/changelog"
doc crac-cpu "$p"
control crac-cpu "$p" utils <<EOF
Depends: $(deps "$p/usr/bin/crac-cpu")
Description: plan and gate the CPU features of Java CRaC images
 A CRaC JVM records the CPU features it used at checkpoint, and a restore
 on a CPU that lacks one of them fails or crashes.  crac-cpu probes CPUs
 (live or from dump files), models which HotSpot feature bits each CRaC
 JDK line sees, and turns that into the -XX:CPUFeatures value, checks
 before a restore (crac-restore) and fleet surveys.
EOF
build "$p"

# libccpu0
p=$out/libccpu0
mkdir -p "$p/usr/lib/$ma"
cp -a "$stage/usr/lib/$ma"/libccpu.so.0* "$p/usr/lib/$ma/"
doc libccpu0 "$p"
control libccpu0 "$p" libs <<EOF
Depends: $(deps "$p/usr/lib/$ma/libccpu.so.$version")
Multi-Arch: same
Description: CPU features of Java CRaC images (library)
 libccpu probes x86-64 CPUs, models the HotSpot feature bits each CRaC JDK
 line sees and plans and checks -XX:CPUFeatures values.
 .
 This package holds the shared library.
EOF
echo "libccpu 0 libccpu0 (>= $version)" >"$p/DEBIAN/shlibs"
echo "activate-noawait ldconfig" >"$p/DEBIAN/triggers"
chmod 644 "$p/DEBIAN/shlibs" "$p/DEBIAN/triggers"
(cd "$p" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' |
    LC_ALL=C sort | xargs md5sum >DEBIAN/md5sums)
build "$p"

# libccpu-dev
p=$out/libccpu-dev
mkdir -p "$p/usr/lib/$ma" "$p/usr/share/doc/libccpu-dev"
cp -a "$stage/usr/include" "$p/usr/"
cp -a "$stage/usr/lib/$ma/libccpu.a" "$stage/usr/lib/$ma/libccpu.so" \
    "$stage/usr/lib/$ma/pkgconfig" "$p/usr/lib/$ma/"
cp -a "$stage/usr/share/doc/crac-cpu/examples" "$p/usr/share/doc/libccpu-dev/"
doc libccpu-dev "$p"
control libccpu-dev "$p" libdevel <<EOF
Depends: libccpu0 (= $debver), libcpuid-dev, libjansson-dev
Multi-Arch: same
Description: CPU features of Java CRaC images (development files)
 libccpu probes x86-64 CPUs, models the HotSpot feature bits each CRaC JDK
 line sees and plans and checks -XX:CPUFeatures values.
 .
 This package holds the headers, the static library and ccpu.pc.
EOF
build "$p"
ls "$out"/*.deb
