# crac-cpu: make | make test | make SAN=1 test | make lint | make bench | make coverage | make install | make deb | make clean
VERSION	 := 0.1.0
# The shared library's ABI version: bump it when a ccpu_ function changes its
# signature or meaning or a public struct its layout (libccpu.so.0 -> .1).
SOVERSION := 0
B	 := build
OBJCOPY	 ?= objcopy
# ARCH: the architecture to build for, x86_64 or aarch64 (arm64 and amd64
# are read as those); the build machine's by default.  Each has its own
# files, src/<ARCH>/*.c (the live capture; libcpuid's identification on
# x86-64 only: libcpuid has no arm64 build), and an architecture other than
# the build machine's is cross-built with CROSS (the compiler prefix,
# aarch64-linux-gnu- by default) into build/<ARCH>, against the
# pkg-config files of that architecture's multiarch directory.  `make
# ARCH=aarch64` builds crac-cpu and the libraries; the tests run natively,
# and tests/aarch64.sh runs the cross-built binary under qemu-aarch64.
BUILD_ARCH := $(shell uname -m)
ARCH	 ?= $(BUILD_ARCH)
override ARCH := $(patsubst arm64,aarch64,$(patsubst amd64,x86_64,$(ARCH)))
ifeq ($(filter x86_64 aarch64,$(ARCH)),)
$(error ARCH=$(ARCH): crac-cpu builds for x86_64 or aarch64)
endif
PKGS_x86_64 := libcpuid jansson
PKGS_aarch64 := jansson
PKGS	 := $(PKGS_$(ARCH))
ifneq ($(ARCH),$(BUILD_ARCH))
CROSS	 ?= $(ARCH)-linux-gnu-
B	 := build/$(ARCH)
ifeq ($(origin CC),default)
CC	 := $(CROSS)gcc
endif
ifeq ($(origin AR),default)
AR	 := $(CROSS)ar
endif
ifeq ($(origin LD),default)
LD	 := $(CROSS)ld
endif
OBJCOPY	 := $(CROSS)objcopy
export PKG_CONFIG_LIBDIR ?= /usr/lib/$(ARCH)-linux-gnu/pkgconfig:/usr/share/pkgconfig
ifdef SAN
$(error SAN=1 with ARCH=$(ARCH): sanitizer builds are native only)
endif
endif
CFLAGS	 ?= -O2 -g
WARN	 := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	    -Wmissing-prototypes -Wformat=2 -Wwrite-strings -Wvla
CPPFLAGS += -Iinclude -Idata -Isrc -D_POSIX_C_SOURCE=200809L -DCCPU_VERSION=\"$(VERSION)\"
XCFLAGS	 := -std=c11 $(WARN) $(shell pkg-config --cflags $(PKGS))
# crac-cpu is linked fully static (-static, libc included): the one binary
# runs unchanged in any x86-64 container image (UBI, Amazon Linux, Alpine's
# musl, distroless), and the restore gate starts faster with no dynamic
# loader, shared objects or relocations.  Unit tests, sanitizer builds (ASan
# cannot be static) and fuzz builds link libc dynamically, libcpuid and
# jansson still statically.
PKG_LIBS := $(shell pkg-config --libs $(PKGS))
LDLIBS	 += -Wl,-Bstatic $(PKG_LIBS) -Wl,-Bdynamic -lpthread
CLI_LINK := -static $(PKG_LIBS) -lpthread
ifdef SAN
B	 := build/san
XCFLAGS	 += -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS	 += -fsanitize=address,undefined
CLI_LINK := $(LDLIBS)
endif
ifdef WERROR
XCFLAGS	 += -Werror
endif
LIB_SRC	 := $(filter-out src/main.c src/cmd_%.c,$(wildcard src/*.c)) \
	    $(wildcard src/$(ARCH)/*.c)
CLI_SRC	 := src/main.c $(wildcard src/cmd_*.c)
UNITS	 := $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/*.c))
LIB_OBJS := $(LIB_SRC:%.c=$(B)/%.o)
OBJS	 := $(LIB_OBJS) $(CLI_SRC:%.c=$(B)/%.o)
SHLIB	 := libccpu.so.$(SOVERSION)

# A cross build makes no manual pages: they are written by running crac-cpu.
all: $(B)/crac-cpu $(B)/libccpu.a $(B)/$(SHLIB) $(B)/ccpu.pc
ifeq ($(ARCH),$(BUILD_ARCH))
all: $(B)/man/crac-cpu.1
endif

# The library's objects are position-independent, so that one compilation
# serves the static archives and the shared library (and libccpu.a can go
# into a shared object of the user's); -fno-semantic-interposition keeps
# calls inside the library direct, as the version script exports only the
# ccpu_ functions anyway.
$(LIB_OBJS): XCFLAGS += -fPIC -fno-semantic-interposition
# Flags are set here: an edit recompiles.
$(OBJS): Makefile

# Two archives of the same objects: libccpu-internal.a for the CLI and the
# unit tests (they use the private helpers: xmalloc, strbuf_*, jvm_*), and
# libccpu.a, the installed library, one relocatable object whose only global
# symbols are ccpu_* (lint checks it), so a program linking it meets no
# helper name of ours.
$(B)/libccpu-internal.a: $(LIB_OBJS)
	$(AR) rcs $@ $^
$(B)/libccpu.a: $(LIB_OBJS)
	$(LD) -r -o $(B)/libccpu.o $^
	$(OBJCOPY) -w --keep-global-symbol='ccpu_*' $(B)/libccpu.o
	rm -f $@
	$(AR) rcs $@ $(B)/libccpu.o
# libccpu.so.0 (soname) is libccpu.so.$(VERSION): the same objects, linked
# against the shared libcpuid and jansson, exporting the ccpu_ symbols of
# src/libccpu.map under the version node CCPU_0 (lint checks that nothing
# else is exported).  libccpu.so, the name -lccpu finds, links to it.
ifndef SAN
SHLIB_LDFLAGS := -Wl,--no-undefined
endif
$(B)/$(SHLIB): $(LIB_OBJS) src/libccpu.map
	$(CC) -shared $(XCFLAGS) $(CFLAGS) $(LDFLAGS) $(SHLIB_LDFLAGS) \
	    -Wl,-soname,$(SHLIB) -Wl,--version-script=src/libccpu.map \
	    -o $(B)/libccpu.so.$(VERSION) $(LIB_OBJS) $(PKG_LIBS)
	ln -sf libccpu.so.$(VERSION) $@
	ln -sf $(SHLIB) $(B)/libccpu.so
# Relinked when the Makefile changes, since how it links is decided here.
$(B)/crac-cpu: $(CLI_SRC:%.c=$(B)/%.o) $(B)/libccpu-internal.a Makefile
	$(CC) $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $(filter-out Makefile,$^) $(CLI_LINK)
$(B)/tests/%: tests/unit/%.c tests/unit/testutil.h $(B)/libccpu-internal.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/unit $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libccpu-internal.a $(LDLIBS) -lcmocka
$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(XCFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# The manual pages, written from the programs' own --help by
# scripts/mkman.sh (with man/*.in and the examples man/examples names from
# tests/cli); tests/man.sh checks them against --help.
$(B)/man/crac-cpu.1: $(B)/crac-cpu scripts/crac-restore scripts/mkman.sh \
    $(wildcard man/*) $(wildcard tests/cli/*/stdout)
	rm -rf $(B)/man
	sh scripts/mkman.sh $(B)/crac-cpu scripts/crac-restore $(B)/man

# Unit tests run from the top directory so that they find tests/fixtures.
test: $(B)/crac-cpu $(UNITS) $(B)/man/crac-cpu.1
	@sh tests/headers.sh include
	@for t in $(UNITS); do $$t || exit 1; done
	@sh tests/run-cli.sh "$(CURDIR)/$(B)/crac-cpu"
	@sh tests/man.sh "$(CURDIR)/$(B)/crac-cpu" $(B)/man
	@sh tests/completion.sh "$(CURDIR)/$(B)/crac-cpu"
	@if [ -x /usr/bin/python3 ]; then /usr/bin/python3 tests/schemas.py "$(CURDIR)/$(B)/crac-cpu"; \
	    else echo "SKIP schemas: no /usr/bin/python3"; fi
	@sh tests/derivations.sh "$(CURDIR)/$(B)/crac-cpu"
	@sh tests/restore.sh "$(CURDIR)/$(B)/crac-cpu"
	@sh tests/identify.sh "$(CURDIR)/$(B)/crac-cpu"
	@sh tests/html.sh "$(CURDIR)/$(B)/crac-cpu"
	@sh tests/manifests.sh
	@sh tests/nfd-arm64.sh "$(CURDIR)/$(B)/crac-cpu"
# The empty-root and recipe tests run the static binary with no libc around
# it (a sanitizer build is dynamic); the oracle runs the binary under
# qemu-user, where ASan cannot map its shadow; tests/aarch64.sh cross-builds
# (ARCH=aarch64) and runs the arm64 binary under qemu-aarch64, and
# tests/oracle-aarch64.sh compares it with Debian's arm64 OpenJDK 17 there.
ifndef SAN
	@sh tests/install.sh "$(B)"
	@sh tests/deb.sh "$(B)"
	@sh tests/emptyroot.sh "$(CURDIR)/$(B)/crac-cpu"
	@sh tests/recipes.sh "$(CURDIR)/$(B)/crac-cpu"
	@sh tests/oracle.sh "$(CURDIR)/$(B)/crac-cpu"
	@MAKE="$(MAKE)" WERROR="$(WERROR)" sh tests/aarch64.sh "$(CURDIR)/$(B)/crac-cpu"
	@sh tests/oracle-aarch64.sh "$(CURDIR)/build/aarch64/crac-cpu"
endif

# coverage: line coverage per source file under the tests (gcov, build/cov).
coverage:
	@sh tests/coverage.sh

bench: $(B)/crac-cpu
	@sh bench/run.sh "$(CURDIR)/$(B)/crac-cpu"

# The GNU directory variables; DESTDIR prefixes every installed path.
PREFIX	 ?= /usr/local
EXEC_PREFIX ?= $(PREFIX)
BINDIR	 ?= $(EXEC_PREFIX)/bin
LIBDIR	 ?= $(EXEC_PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATAROOTDIR ?= $(PREFIX)/share
MANDIR	 ?= $(DATAROOTDIR)/man
DOCDIR	 ?= $(DATAROOTDIR)/doc/crac-cpu
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
BASHCOMPDIR ?= $(DATAROOTDIR)/bash-completion/completions

# ccpu.pc for the directories of this make run (rewritten only when they
# change, so that `make install PREFIX=/usr` after `make` is right); paths
# under PREFIX are written as ${prefix}/..., which pkg-config can relocate.
pcdir	 = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))
$(B)/ccpu.pc: ccpu.pc.in FORCE
	@mkdir -p $(@D)
	@sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' -e 's|@REQUIRES@|$(PKGS)|' \
	    -e 's|@LIBDIR@|$(call pcdir,$(LIBDIR))|' \
	    -e 's|@INCLUDEDIR@|$(call pcdir,$(INCLUDEDIR))|' ccpu.pc.in >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
FORCE:

# install: the programs, both libraries, headers, ccpu.pc, the manual
# pages, the bash completion (crac-restore's name linked to crac-cpu's
# file, which completes both) and the documentation (README, CHANGELOG,
# docs/, the JSON Schemas, the data/ tables the headers cite, the example).
# Nothing is stripped: install-strip does that, as GNU's install-strip
# does (the .deb is built with it).  uninstall removes exactly what install
# put there.  No ldconfig: a packager's postinst, or the user after
# installing into a system directory, runs it.
INSTALL	 ?= install
INSTALL_PROGRAM ?= $(INSTALL) -m 755
INSTALL_DATA ?= $(INSTALL) -m 644
INSTALL_SCRIPT ?= $(INSTALL) -m 755
install: $(B)/crac-cpu $(B)/libccpu.a $(B)/$(SHLIB) $(B)/ccpu.pc $(B)/man/crac-cpu.1
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(INCLUDEDIR)/ccpu $(DESTDIR)$(PKGCONFIGDIR) \
	    $(DESTDIR)$(DOCDIR)/docs $(DESTDIR)$(DOCDIR)/data $(DESTDIR)$(DOCDIR)/schema \
	    $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL_PROGRAM) $(B)/crac-cpu $(DESTDIR)$(BINDIR)/
	$(INSTALL_SCRIPT) scripts/crac-restore $(DESTDIR)$(BINDIR)/
	$(INSTALL_DATA) $(B)/libccpu.a $(DESTDIR)$(LIBDIR)/
	$(INSTALL_DATA) $(B)/libccpu.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libccpu.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SHLIB)
	ln -sf $(SHLIB) $(DESTDIR)$(LIBDIR)/libccpu.so
	$(INSTALL_DATA) include/ccpu/*.h $(DESTDIR)$(INCLUDEDIR)/ccpu/
	$(INSTALL_DATA) $(B)/ccpu.pc $(DESTDIR)$(PKGCONFIGDIR)/
	$(INSTALL_DATA) $(B)/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL_DATA) completion/crac-cpu.bash $(DESTDIR)$(BASHCOMPDIR)/crac-cpu
	ln -sf crac-cpu $(DESTDIR)$(BASHCOMPDIR)/crac-restore
	$(INSTALL_DATA) README.md CHANGELOG.md $(DESTDIR)$(DOCDIR)/
	$(INSTALL_DATA) docs/*.md $(DESTDIR)$(DOCDIR)/docs/
	$(INSTALL_DATA) data/*.def $(DESTDIR)$(DOCDIR)/data/
	$(INSTALL_DATA) docs/schema/*.schema.json $(DESTDIR)$(DOCDIR)/schema/
	$(INSTALL_DATA) examples/ccpu-example.c $(DESTDIR)$(DOCDIR)/examples/
install-strip:
	$(MAKE) INSTALL_PROGRAM='$(INSTALL_PROGRAM) -s' install
	strip --strip-unneeded $(DESTDIR)$(LIBDIR)/libccpu.so.$(VERSION)
	strip --strip-debug $(DESTDIR)$(LIBDIR)/libccpu.a

# deb: Debian packages crac-cpu, libccpu0 and libccpu-dev in $(B)/deb,
# built by scripts/mkdeb.sh with dpkg-deb (tests/deb.sh runs lintian on
# them and uses them unpacked in a fresh root).
deb:
	sh scripts/mkdeb.sh $(VERSION) $(B)/deb
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/crac-cpu $(DESTDIR)$(BINDIR)/crac-restore \
	    $(DESTDIR)$(LIBDIR)/libccpu.a $(DESTDIR)$(LIBDIR)/libccpu.so.$(VERSION) \
	    $(DESTDIR)$(LIBDIR)/$(SHLIB) $(DESTDIR)$(LIBDIR)/libccpu.so \
	    $(DESTDIR)$(PKGCONFIGDIR)/ccpu.pc $(DESTDIR)$(MANDIR)/man1/crac-cpu.1 \
	    $(DESTDIR)$(MANDIR)/man1/crac-cpu-*.1 $(DESTDIR)$(MANDIR)/man1/crac-restore.1 \
	    $(DESTDIR)$(BASHCOMPDIR)/crac-cpu $(DESTDIR)$(BASHCOMPDIR)/crac-restore
	rm -f $(patsubst include/ccpu/%,$(DESTDIR)$(INCLUDEDIR)/ccpu/%,$(wildcard include/ccpu/*.h))
	rm -f $(DESTDIR)$(DOCDIR)/README.md $(DESTDIR)$(DOCDIR)/CHANGELOG.md \
	    $(patsubst docs/%,$(DESTDIR)$(DOCDIR)/docs/%,$(wildcard docs/*.md)) \
	    $(patsubst data/%,$(DESTDIR)$(DOCDIR)/data/%,$(wildcard data/*.def)) \
	    $(patsubst docs/schema/%,$(DESTDIR)$(DOCDIR)/schema/%,$(wildcard docs/schema/*.schema.json)) \
	    $(DESTDIR)$(DOCDIR)/examples/ccpu-example.c
	-rmdir $(DESTDIR)$(INCLUDEDIR)/ccpu $(DESTDIR)$(DOCDIR)/docs \
	    $(DESTDIR)$(DOCDIR)/data $(DESTDIR)$(DOCDIR)/schema \
	    $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) \
	    2>/dev/null

# lint: every public header compiles on its own and cites nothing that is
# not shipped, no unsafe libc calls, the libraries export only ccpu_*, and
# crac-restore carries the version of crac-cpu.
lint: $(B)/libccpu.a $(B)/$(SHLIB)
	@sh tests/headers.sh include
	@! grep -nE '\<(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gets|sscanf)[[:space:]]*\(' \
	    src/*.c src/*/*.c src/*.h include/ccpu/*.h
	@nm -g --defined-only $(B)/libccpu.a | awk 'NF == 3 && $$3 !~ /^ccpu_/ { print "lint: libccpu.a exports " $$3; bad = 1 } END { exit bad }'
	@nm -D --defined-only $(B)/$(SHLIB) | awk '$$3 !~ /^ccpu_/ && $$3 != "CCPU_0" { print "lint: $(SHLIB) exports " $$3; bad = 1 } END { exit bad }'
	@readelf -d $(B)/$(SHLIB) | grep -q 'Library soname: \[$(SHLIB)\]' || \
	    { echo "lint: $(SHLIB) has no soname $(SHLIB)"; exit 1; }
	@grep -q "^version=$(VERSION)\$$" scripts/crac-restore || \
	    { echo "lint: scripts/crac-restore's version is not $(VERSION)"; exit 1; }

# fuzz: libFuzzer harnesses (fuzz/fuzz_*.c, fuzz/README.md) against the
# library built with clang and the same sanitizers, each run FUZZ_SECONDS
# on a copy of its seed corpus; any crash, leak, UB report or timeout fails.
FUZZ_CC	 ?= clang
FUZZ_SECONDS ?= 60
FUZZ_B	 := build/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=c11 -g -O1 $(WARN) $(filter -Werror,$(XCFLAGS)) $(FUZZ_SAN) \
	    -Iinclude -Idata -Isrc -D_POSIX_C_SOURCE=200809L -DCCPU_VERSION=\"$(VERSION)\" \
	    $(shell pkg-config --cflags $(PKGS))
FUZZ_TARGETS := $(patsubst fuzz/fuzz_%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_OBJS := $(LIB_SRC:%.c=$(FUZZ_B)/obj/%.o)

fuzz: $(FUZZ_TARGETS:%=$(FUZZ_B)/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
		rm -rf $(FUZZ_B)/corpus/$$t && mkdir -p $(FUZZ_B)/corpus/$$t && \
		cp fuzz/corpus/$$t/* $(FUZZ_B)/corpus/$$t/ && \
		echo "fuzz: $$t for $(FUZZ_SECONDS)s" && \
		$(FUZZ_B)/fuzz_$$t -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		    -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
		    -artifact_prefix=$(FUZZ_B)/$$t- $(FUZZ_B)/corpus/$$t \
		    >$(FUZZ_B)/$$t.log 2>&1 || \
		{ tail -n 60 $(FUZZ_B)/$$t.log; echo "fuzz: $$t failed"; exit 1; }; \
		grep -h 'stat::number_of_executed_units' $(FUZZ_B)/$$t.log; \
	done
$(FUZZ_B)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_B)/libccpu.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_B)/libccpu.a $(LDLIBS)
$(FUZZ_B)/libccpu.a: $(FUZZ_OBJS)
	$(AR) rcs $@ $^
$(FUZZ_B)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

clean:
	rm -rf build

-include $(OBJS:.o=.d) $(UNITS:=.d) $(FUZZ_OBJS:.o=.d)
.PHONY: all test lint clean bench install install-strip uninstall deb fuzz coverage FORCE
