# crac-cpu: make | make test | make SAN=1 test | make lint | make bench | make install | make clean
PKGS	 := libcpuid jansson
B	 := build
CFLAGS	 ?= -O2 -g
WARN	 := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	    -Wmissing-prototypes -Wformat=2 -Wwrite-strings -Wvla
CPPFLAGS += -Iinclude -Idata -Isrc -D_POSIX_C_SOURCE=200809L -DCCPU_VERSION=\"0.1.0\"
XCFLAGS	 := -std=c11 $(WARN) $(shell pkg-config --cflags $(PKGS))
# libcpuid and jansson are linked statically: crac-cpu then needs only libc
# at run time (copy it into any container image), and the restore gate
# starts faster without two more shared objects to map and relocate.
LDLIBS	 += -Wl,-Bstatic $(shell pkg-config --libs $(PKGS)) -Wl,-Bdynamic -lpthread
ifdef SAN
B	 := build/san
XCFLAGS	 += -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS	 += -fsanitize=address,undefined
endif
ifdef WERROR
XCFLAGS	 += -Werror
endif
LIB_SRC	 := $(filter-out src/main.c src/cmd_%.c,$(wildcard src/*.c))
CLI_SRC	 := src/main.c $(wildcard src/cmd_*.c)
UNITS	 := $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/*.c))
OBJS	 := $(LIB_SRC:%.c=$(B)/%.o) $(CLI_SRC:%.c=$(B)/%.o)

all: $(B)/crac-cpu

$(B)/libccpu.a: $(LIB_SRC:%.c=$(B)/%.o)
	$(AR) rcs $@ $^
$(B)/crac-cpu: $(CLI_SRC:%.c=$(B)/%.o) $(B)/libccpu.a
	$(CC) $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(B)/tests/%: tests/unit/%.c tests/unit/testutil.h $(B)/libccpu.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests/unit $(XCFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libccpu.a $(LDLIBS) -lcmocka
$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(XCFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

# Unit tests run from the top directory so that they find tests/fixtures.
test: $(B)/crac-cpu $(UNITS)
	@for t in $(UNITS); do $$t || exit 1; done
	@sh tests/run-cli.sh "$(CURDIR)/$(B)/crac-cpu"
	@sh tests/restore.sh "$(CURDIR)/$(B)/crac-cpu"
	@sh tests/html.sh "$(CURDIR)/$(B)/crac-cpu"
# The oracle runs the binary under qemu-user, where ASan cannot map its shadow.
ifndef SAN
	@sh tests/oracle.sh "$(CURDIR)/$(B)/crac-cpu"
endif

bench: $(B)/crac-cpu
	@sh bench/run.sh "$(CURDIR)/$(B)/crac-cpu"

PREFIX	 ?= /usr/local
install: $(B)/crac-cpu $(B)/libccpu.a
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
	    $(DESTDIR)$(PREFIX)/include/ccpu
	install -m 755 $(B)/crac-cpu scripts/crac-restore $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(B)/libccpu.a $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/ccpu/*.h $(DESTDIR)$(PREFIX)/include/ccpu/

# lint: no unsafe libc calls, and every public header compiles on its own.
lint:
	@for h in include/ccpu/*.h; do \
		echo "#include \"ccpu/$${h##*/}\"" | $(CC) $(CPPFLAGS) $(XCFLAGS) \
		    -Werror -fsyntax-only -x c - || { echo "lint: $$h"; exit 1; }; \
	done
	@! grep -nE '\<(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gets|sscanf)[[:space:]]*\(' \
	    src/*.c src/*.h include/ccpu/*.h

clean:
	rm -rf build

-include $(OBJS:.o=.d) $(UNITS:=.d)
.PHONY: all test lint clean bench install
