# fzreport -- checks 法治政府建设年度报告 against the regulation and GB/T 9704.
# Targets: all check demo bench serve fuzz install uninstall clean asan valgrind format

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib/fzreport
DATADIR ?= $(PREFIX)/share/fzreport
MANDIR ?= $(PREFIX)/share/man
BUILDDIR ?= build
BIN ?= fzreport
VERSION = 0.1.0

CC ?= cc
PKG_CONFIG ?= pkg-config
CORE_PKGS = libpcre2-8 yaml-0.1 json-c
EXT_PKGS = libzip libxml-2.0 xlsxwriter harfbuzz-subset fontconfig libmicrohttpd
PKGS = $(CORE_PKGS) $(EXT_PKGS)
# libharu ships no .pc file.
HPDF_LIBS ?= -lhpdf

CFLAGS ?= -O2 -g
WARN = -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes -Wmissing-prototypes
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CORE_PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(CORE_PKGS) 2>/dev/null)
EXT_PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(EXT_PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(PKG_CFLAGS) \
	-DFZ_VERSION='"$(VERSION)"' -DFZ_DATADIR='"$(DATADIR)"' -DFZ_LIBDIR='"$(LIBDIR)"' $(CFLAGS)
# mimalloc (libmimalloc-dev) takes the place of libc's malloc where it is
# installed: a report makes a few hundred small allocations, libxml2's tree of a
# .docx and libxlsxwriter's cells many more (docs/BENCH.md, ninth round).
# MALLOC_LIBS= builds with libc's; the sanitizer and fuzzing builds always do.
ifeq ($(origin MALLOC_LIBS),undefined)
MALLOC_LIBS := $(shell printf 'int main(void){return 0;}\n' | \
	$(CC) -x c -o /dev/null - -lmimalloc >/dev/null 2>&1 && echo -lmimalloc)
endif
ALL_LIBS = $(MALLOC_LIBS) $(PKG_LIBS) $(HPDF_LIBS) -lpthread -lm $(LIBS)

SRCS := $(filter-out src/ext_stub.c,$(wildcard src/*.c))
OBJS := $(SRCS:src/%.c=$(BUILDDIR)/%.o)
LIBOBJS := $(filter-out $(BUILDDIR)/main.o,$(OBJS))

# The program is two files (src/ext_stub.c says why): fzreport, which
# checks .txt reports with libpcre2, libyaml and json-c only, and
# fzreport-ext.so beside it, loaded at the first .docx, workbook, PDF or
# page served, with the libraries those need.  fzreport exports to it only
# the functions it calls back (ext.dynlist, from nm).  The test programs
# and the fuzzers link both halves into one.
EXT_NAMES = load_docx docx_xml docx_part docx_chunk docx_numbering docx_styles docx_annotate \
	docx_write render_xlsx xlsx_tmp zlevel render_pdf pdf_font pdf_wrap cmd_serve ext_version
EXT := $(dir $(BIN))fzreport-ext.so
# SPLIT=0 links the program in one piece, as before the split: make asan
# does, because LeakSanitizer's tracer crashed (SIGSEGV, "Tracer caught
# signal 11") in about one annotate run in three under load once the
# program loaded fzreport-ext.so with dlopen().
SPLIT ?= 1
ifneq ($(SPLIT),1)
EXT :=
endif
EXT_OBJS := $(EXT_NAMES:%=$(BUILDDIR)/pic/%.o)
CORE_OBJS := $(filter-out $(EXT_NAMES:%=$(BUILDDIR)/%.o),$(OBJS)) $(BUILDDIR)/ext_stub.o
CORE_LIBS = $(MALLOC_LIBS) $(CORE_PKG_LIBS) -ldl -lpthread -lm $(LIBS)
EXT_LIBS = $(EXT_PKG_LIBS) $(HPDF_LIBS) -lpthread -lm $(LIBS)
# objects only the test programs' pattern rule names are not intermediate
.SECONDARY: $(OBJS) $(EXT_OBJS)

TOOLS := $(patsubst tests/tools/%.c,$(BUILDDIR)/tools/%,$(wildcard tests/tools/*.c))

all: $(BIN) $(EXT)

# Test programs (tests/tools/*.c) link against every object but main.o.
tools: $(TOOLS)

$(BUILDDIR)/tools/%: tests/tools/%.c $(LIBOBJS)
	@mkdir -p $(BUILDDIR)/tools
	$(CC) $(ALL_CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(LIBOBJS) $(ALL_LIBS)

ifeq ($(SPLIT),1)
$(BIN): $(CORE_OBJS) $(BUILDDIR)/ext.dynlist | $(EXT)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Wl,--dynamic-list=$(BUILDDIR)/ext.dynlist -o $@ \
		$(CORE_OBJS) $(CORE_LIBS)
else
$(BIN): $(OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(ALL_LIBS)
endif

$(EXT): $(EXT_OBJS)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -shared -o $@.tmp $(EXT_OBJS) $(EXT_LIBS) && mv $@.tmp $@

# the program's symbols fzreport-ext.so uses: { name; name; ... };
$(BUILDDIR)/ext.dynlist: $(EXT_OBJS) $(CORE_OBJS)
	nm -u $(EXT_OBJS) | awk 'NF == 2 {print $$2}' | LC_ALL=C sort -u > $@.used
	nm -g --defined-only $(CORE_OBJS) | awk 'NF == 3 {print $$3}' | LC_ALL=C sort -u > $@.have
	{ echo '{'; LC_ALL=C comm -12 $@.used $@.have | sed 's/$$/;/'; echo '};'; } > $@.tmp
	rm -f $@.used $@.have && mv $@.tmp $@

$(BUILDDIR)/%.o: src/%.c $(wildcard src/*.h) | $(BUILDDIR)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILDDIR)/pic/%.o: src/%.c $(wildcard src/*.h) | $(BUILDDIR)
	@mkdir -p $(BUILDDIR)/pic
	$(CC) $(ALL_CFLAGS) -fPIC -c -o $@ $<

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
	$(MAKE) BUILDDIR=build-asan BIN=build-asan/fzreport MALLOC_LIBS= SPLIT=0 \
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

install: $(BIN) $(EXT)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(DATADIR)/rules \
		$(DESTDIR)$(DATADIR)/templates $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/fzreport
	$(if $(EXT),install -m 755 $(EXT) $(DESTDIR)$(LIBDIR)/fzreport-ext.so)
	cp -R rules/. $(DESTDIR)$(DATADIR)/rules/
	cp -R templates/. $(DESTDIR)$(DATADIR)/templates/
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/ 2>/dev/null || true

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/fzreport
	rm -rf $(DESTDIR)$(LIBDIR)
	rm -rf $(DESTDIR)$(DATADIR)
	for m in man/*.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$${m#man/}; done
	for m in man/*.5; do rm -f $(DESTDIR)$(MANDIR)/man5/$${m#man/}; done

format:
	clang-format -i src/*.c src/*.h

clean:
	rm -rf $(BUILDDIR) build-asan build-fuzz $(BIN) $(EXT) out/tests

.PHONY: all tools deps check demo bench serve precision fuzz fuzzers asan valgrind install uninstall format clean
