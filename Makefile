# Respire — build, run, test. See README.md.
#   make run    installs what is missing, builds, seeds a demo, serves :8080
#   make test   installs, builds (with ASan/UBSan), runs every suite
#   make bench  installs wrk, builds, generates a network (SCALE=1), measures (bench/run.py)

.DEFAULT_GOAL := all
CC      ?= cc
PKGS    := libmicrohttpd sqlite3 libpq libsodium jansson libcurl libmagic libcmark-gfm gdlib
DATA    ?= data
LISTEN  ?= 127.0.0.1:8080

WARN    := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wstrict-prototypes -Wvla \
           -Wno-unused-parameter -Wno-missing-field-initializers
CFLAGS_COMMON = -std=c11 -D_GNU_SOURCE -g -Isrc $(WARN) -MMD -MP \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null)

OPT_FLAGS  := -O2 -fstack-protector-strong -D_FORTIFY_SOURCE=2
SAN_FLAGS  := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined

SRCS     := $(wildcard src/*.c src/*/*.c)
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
UNIT_SRCS := $(wildcard tests/unit/*.c)

OBJS      := $(SRCS:src/%.c=build/obj/%.o)
SAN_OBJS  := $(SRCS:src/%.c=build/san/%.o)
SAN_LIB   := $(LIB_SRCS:src/%.c=build/san/%.o)
UNIT_OBJS := $(UNIT_SRCS:tests/unit/%.c=build/san/unit/%.o)

.PHONY: all deps deps-test deps-bench run test bench san clean fuzz fuzz-build

all: build/respire

build/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS_COMMON) $(OPT_FLAGS) -c $< -o $@

build/respire: $(OBJS)
	@echo "LD $@"
	@$(CC) $(OPT_FLAGS) -o $@ $^ $(LIBS)

build/san/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "CC(san) $<"
	@$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) -c $< -o $@

build/san/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	@echo "CC(san) $<"
	@$(CC) $(CFLAGS_COMMON) $(SAN_FLAGS) $(shell pkg-config --cflags check 2>/dev/null) -c $< -o $@

build/san/respire: $(SAN_OBJS)
	@echo "LD $@"
	@$(CC) $(SAN_FLAGS) -o $@ $^ $(LIBS)

build/san/unit-tests: $(SAN_LIB) $(UNIT_OBJS)
	@echo "LD $@"
	@$(CC) $(SAN_FLAGS) -o $@ $^ $(LIBS) $(CHECK_LIBS)

san: build/san/respire build/san/unit-tests

deps:
	@sh scripts/deps.sh

deps-test:
	@sh scripts/deps.sh --test

deps-bench:
	@sh scripts/deps.sh --bench

run: deps
	@$(MAKE) --no-print-directory build/respire
	./build/respire demo --data $(DATA)
	./build/respire serve --data $(DATA) --listen $(LISTEN)

# The whole suite under AddressSanitizer and UBSan; the last line is "N passed, N failed".
test: deps-test
	@$(MAKE) --no-print-directory -j2 build/respire build/san/respire build/san/unit-tests fuzz-build
	@sh tests/run.sh

# The ceiling of the benchmark: a minimal libmicrohttpd server with Respire's settings.
build/bench-ceiling: bench/ceiling.c
	@mkdir -p build
	@echo "CC $<"
	@$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(OPT_FLAGS) $(shell pkg-config --cflags libmicrohttpd 2>/dev/null) \
		-o $@ $< $(shell pkg-config --libs libmicrohttpd 2>/dev/null) -lpthread

# Not a test: figures only. SCALE=1 (default), BENCH_DB=postgres, BENCH_SECONDS=10 (see bench/run.py).
bench: deps-bench
	@$(MAKE) --no-print-directory -j2 build/respire build/bench-ceiling
	@SCALE=$(or $(SCALE),1) python3 bench/run.py

# Fuzzing (tests/fuzz/README.md): libFuzzer targets built with clang, the
# library compiled again with coverage and the sanitizers. `make fuzz` runs
# each target FUZZ_SECONDS (60) on its seed corpus and a working corpus under
# build/fuzz/corpus; `make test` runs each a few seconds (tests/fuzz/run.sh).
FUZZ_CC    ?= clang
FUZZ_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_SRCS  := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_LIB   := $(LIB_SRCS:src/%.c=build/fuzz/obj/%.o)
FUZZ_BINS  := $(FUZZ_SRCS:tests/fuzz/%.c=build/fuzz/%)

build/fuzz/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "CC(fuzz) $<"
	@$(FUZZ_CC) $(CFLAGS_COMMON) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

build/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(FUZZ_LIB)
	@mkdir -p $(dir $@)
	@echo "LD(fuzz) $@"
	@$(FUZZ_CC) $(CFLAGS_COMMON) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIB) $(LIBS)

fuzz-build: $(FUZZ_BINS)

.SECONDARY: $(FUZZ_LIB)

fuzz: deps-test
	@$(MAKE) --no-print-directory -j2 fuzz-build
	@FUZZ_SECONDS=$(or $(FUZZ_SECONDS),60) sh tests/fuzz/run.sh

clean:
	rm -rf build

-include $(OBJS:.o=.d) $(SAN_OBJS:.o=.d) $(UNIT_OBJS:.o=.d) $(FUZZ_LIB:.o=.d)
