# bench/bench.mk - the benchmark binary; run as
#   make -f bench/bench.mk BUILD=build/release BENCH_DIR=build/bench bench-run
# (the top-level `make bench` does; SUITES="json stack" picks suites), or
# bench-report to rebuild only the report page from the last run's files.
# Reuses the library rules of the main Makefile in a release tree; peer
# libraries are linked here and nowhere in the library.

OPT := -O2 -DNDEBUG
include Makefile

BENCH_DIR ?= build/bench
BENCH_C   := $(wildcard bench/*.c bench/peers/*.c)
BENCH_CXX := $(wildcard bench/peers/*.cc)
BENCH_OBJ := $(patsubst %.c,$(BUILD)/obj/%.o,$(BENCH_C)) \
             $(patsubst %.cc,$(BUILD)/obj/%.o,$(BENCH_CXX))
BENCH_BIN := $(BUILD)/bench/nestguard-bench

# Peers' headers are system headers: our warnings do not apply to them.
PEER_PKGS   := libcjson jansson simdjson libxml-2.0 expat pugixml
PEER_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags $(PEER_PKGS)))
PEER_LIBS   := $(shell pkg-config --libs $(PEER_PKGS)) -ldl
# json-c is dlopen'ed (see bench/peers/json_c_peers.c), not linked.

$(BUILD)/obj/bench/%.o: CPPFLAGS += -Ibench -Iparsers $(PEER_CFLAGS)

$(BUILD)/obj/bench/%.o: bench/%.cc
	@mkdir -p $(@D)
	$(CXX) -std=c++17 $(OPT) -Wall -Wextra -Werror $(CPPFLAGS) $(DEPFLAGS) \
	  -c $< -o $@

$(BENCH_BIN): $(BENCH_OBJ) $(LIB_A)
	@mkdir -p $(@D)
	$(CXX) -o $@ $^ $(PEER_LIBS) $(LDLIBS)

# The Go side of the stream suite (bench/go/stream.go), built when a Go
# toolchain is here (Debian golang-go); without one the suite says so and
# measures the C engines alone. The binary's path reaches the suite in
# NG_BENCH_GO.
GO     ?= $(shell command -v go 2>/dev/null)
GO_BIN := $(if $(GO),$(BUILD)/bench/stream-go)

$(BUILD)/bench/stream-go: bench/go/stream.go
	@mkdir -p $(@D)
	cd bench/go && GOCACHE=$(abspath $(BUILD))/go-cache GOFLAGS= \
	  $(GO) build -o $(abspath $@) stream.go

# The report page built from a run's files (bench/report*.c: charts by
# gnuplot in $(BENCH_DIR)/charts/, index.html), then checked by tidy
# (bench/check_page.sh, which fails without tidy or on an error).
define BENCH_REPORT
@$(BENCH_BIN) --report $(BENCH_DIR)
@sh bench/check_page.sh $(BENCH_DIR)/index.html
@echo "bench: rows in $(BENCH_DIR)/results.tsv, tables in $(BENCH_DIR)/results.md, charts in $(BENCH_DIR)/charts/"
@echo "bench: report page $(BENCH_DIR)/index.html"
endef

.PHONY: bench-run bench-report
bench-run: $(BENCH_BIN) $(GO_BIN)
	@mkdir -p $(BENCH_DIR)
	@$(if $(GO_BIN),,echo "bench: no go command (Debian golang-go): the stream suite skips the Go comparison")
	@NG_BENCH_GO=$(GO_BIN) $(BENCH_BIN) -o $(BENCH_DIR) $(SUITES) | tee $(BENCH_DIR)/results.md
	$(BENCH_REPORT)

# Rebuilds the page from the last run's files, without running anything.
bench-report: $(BENCH_BIN)
	$(BENCH_REPORT)
