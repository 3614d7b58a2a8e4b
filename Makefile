# fzreport -- checks 法治政府建设年度报告 against the regulation and GB/T 9704.
# Targets: all check demo bench serve fuzz install uninstall clean asan valgrind format

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/fzreport
MANDIR ?= $(PREFIX)/share/man
BUILDDIR ?= build
BIN ?= fzreport
VERSION = 0.1.0

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS = libpcre2-8 yaml-0.1 libzip libxml-2.0 xlsxwriter harfbuzz-subset json-c fontconfig libmicrohttpd
# libharu ships no .pc file.
HPDF_LIBS ?= -lhpdf

CFLAGS ?= -O2 -g
WARN = -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes -Wmissing-prototypes
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(PKG_CFLAGS) \
	-DFZ_VERSION='"$(VERSION)"' -DFZ_DATADIR='"$(DATADIR)"' $(CFLAGS)
# mimalloc (libmimalloc-dev) takes the place of libc's malloc where it is
# installed: a report makes a few hundred small allocations, libxml2's tree of a
# .docx and libxlsxwriter's cells many more (docs/BENCH.md, ninth round).
# MALLOC_LIBS= builds with libc's; the sanitizer and fuzzing builds always do.
ifeq ($(origin MALLOC_LIBS),undefined)
MALLOC_LIBS := $(shell printf 'int main(void){return 0;}\n' | \
	$(CC) -x c -o /dev/null - -lmimalloc >/dev/null 2>&1 && echo -lmimalloc)
endif
ALL_LIBS = $(MALLOC_LIBS) $(PKG_LIBS) $(HPDF_LIBS) -lpthread -lm $(LIBS)

SRCS := $(wildcard src/*.c)
OBJS := $(SRCS:src/%.c=$(BUILDDIR)/%.o)
LIBOBJS := $(filter-out $(BUILDDIR)/main.o,$(OBJS))

TOOLS := $(patsubst tests/tools/%.c,$(BUILDDIR)/tools/%,$(wildcard tests/tools/*.c))

all: $(BIN)

# Test programs (tests/tools/*.c) link against every object but main.o.
tools: $(TOOLS)

$(BUILDDIR)/tools/%: tests/tools/%.c $(LIBOBJS)
	@mkdir -p $(BUILDDIR)/tools
	$(CC) $(ALL_CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(LIBOBJS) $(ALL_LIBS)

$(BIN): $(OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(ALL_LIBS)

$(BUILDDIR)/%.o: src/%.c $(wildcard src/*.h) | $(BUILDDIR)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILDDIR):
	mkdir -p $@

deps:
	scripts/install-deps

check: $(BIN) $(TOOLS)
	FZREPORT=$(abspath $(BIN)) FZ_TOOLS=$(abspath $(BUILDDIR)/tools) tests/run

demo: deps
	$(MAKE) $(BIN)
	scripts/demo

bench: $(BIN)
	FZREPORT=$(abspath $(BIN)) bench/run

# the checking page for township clerks on http://127.0.0.1:8080/
# (make serve SERVE_ARGS='--listen 0.0.0.0:8080' on the county server)
SERVE_ARGS ?=
serve: $(BIN)
	$(abspath $(BIN)) serve $(SERVE_ARGS)

# every finding on ../shared/corpus/dev and ../shared/samples against the
# judgments in docs/precision/*.tsv (docs/PRECISION.md)
precision: $(BIN)
	scripts/precision --fz $(abspath $(BIN))

asan:
	$(MAKE) BUILDDIR=build-asan BIN=build-asan/fzreport MALLOC_LIBS= \
		CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all'
	$(MAKE) BUILDDIR=build-asan MALLOC_LIBS= tools \
		CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all'
	ASAN_OPTIONS=detect_leaks=1 FZREPORT=$(abspath build-asan/fzreport) \
		FZ_TOOLS=$(abspath build-asan/tools) tests/run

# libFuzzer targets (fuzz/fuzz_*.c), built with clang into build-fuzz/ and
# run for FUZZ_SECONDS each by fuzz/run (seed corpora come from tests/).
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
FUZZERS := $(patsubst fuzz/%.c,$(BUILDDIR)/fuzz/%,$(wildcard fuzz/fuzz_*.c))

fuzzers: $(FUZZERS)

$(BUILDDIR)/fuzz/%: fuzz/%.c $(LIBOBJS)
	@mkdir -p $(BUILDDIR)/fuzz
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -Isrc $(LDFLAGS) -o $@ $< $(LIBOBJS) $(ALL_LIBS)

fuzz:
	$(MAKE) CC=clang BUILDDIR=build-fuzz MALLOC_LIBS= CFLAGS='$(FUZZ_CFLAGS)' fuzzers
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_BIN=$(abspath build-fuzz/fuzz) fuzz/run

valgrind: $(BIN) $(TOOLS)
	FZREPORT=$(abspath $(BIN)) FZ_TOOLS=$(abspath $(BUILDDIR)/tools) FZ_VALGRIND=1 tests/run

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/rules $(DESTDIR)$(DATADIR)/templates \
		$(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/fzreport
	cp -R rules/. $(DESTDIR)$(DATADIR)/rules/
	cp -R templates/. $(DESTDIR)$(DATADIR)/templates/
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/ 2>/dev/null || true

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/fzreport
	rm -rf $(DESTDIR)$(DATADIR)
	for m in man/*.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$${m#man/}; done
	for m in man/*.5; do rm -f $(DESTDIR)$(MANDIR)/man5/$${m#man/}; done

format:
	clang-format -i src/*.c src/*.h

clean:
	rm -rf $(BUILDDIR) build-asan build-fuzz $(BIN) out/tests

.PHONY: all tools deps check demo bench serve precision fuzz fuzzers asan valgrind install uninstall format clean
