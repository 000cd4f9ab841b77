# Convenience targets; `cargo test` alone is the test command.
.PHONY: help build test lint ci check-samples bench bench-build bench-lsp quality fuzz fuzz-build

help:
	@echo "make build          release build"
	@echo "make test           cargo test"
	@echo "make lint           cargo fmt --check and clippy"
	@echo "make check-samples  tmd check on every sample"
	@echo "make bench          timings: check, DOT, SVG and Graphviz on generated models,"
	@echo "                    then make bench-build"
	@echo "make bench-build    the whole tmd build of the worked example beside dot -Tsvg"
	@echo "                    of its DOT, alternating, BENCH_RUNS (default 50) runs each"
	@echo "make bench-lsp      tmd lsp over its protocol on a generated 5,000-element model:"
	@echo "                    hover, definition, fresh diagnostics after an edit"
	@echo "make quality        layout quality over generated models (crossings, flows"
	@echo "                    through foreign boxes, moves after small edits; needs"
	@echo "                    ../shared/tools/layoutq): QUALITY_ARGS=\"--sizes 300 --base OLD\""
	@echo "make ci             what CI runs (.ci/run)"
	@echo "make fuzz           run every fuzz target for FUZZ_SECONDS (default 60) each"
	@echo "                    (FUZZ_TARGETS=\"parse check\" to choose; needs cargo-fuzz, nightly)"

build:
	cargo build --release

test:
	cargo test

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings

check-samples: build
	./target/release/tmd check samples/*.tmd

quality: build
	LAYOUTQ=$(SHARED)/tools/layoutq python3 tools/layout_quality.py $(QUALITY_ARGS)

ci:
	bash .ci/run

bench:
	cargo run --release --example bench
	$(MAKE) bench-build

# The shared folder beside the repository (its generator of big models).
SHARED ?= ../shared
bench-lsp: build
	python3 $(SHARED)/tools/gen_tmd.py 5000 1 > target/bench-lsp-5000.tmd
	cargo run --release --example bench_lsp -- target/release/tmd target/bench-lsp-5000.tmd

BENCH_RUNS ?= 50
bench-build: build
	cargo run --release --example bench_build -- target/release/tmd $(BENCH_RUNS) samples/acme-ecommerce.tmd
# Fuzzing (docs/hostile-input.md). cargo-fuzz and a nightly toolchain are needed:
# `cargo install cargo-fuzz`; the targets live in fuzz/, outside the main
# build. Each target runs for FUZZ_SECONDS on its corpus (fuzz/corpus/T,
# not committed) seeded from fuzz/seeds/; a crash stops the loop and leaves
# the input in fuzz/artifacts/T/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= parse check export fmt diff emit md lsp import_otm import_threagile import_threat_dragon import_dot
FUZZ_TOOLCHAIN ?= +nightly
FUZZ_FLAGS ?= --sanitizer none --debug-assertions

fuzz-build:
	cargo $(FUZZ_TOOLCHAIN) fuzz build $(FUZZ_FLAGS)

fuzz: fuzz-build
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p fuzz/corpus/$$t; \
	  seeds=fuzz/seeds/models; \
	  if [ $$t = diff ]; then seeds="fuzz/seeds/diff fuzz/seeds/models"; fi; \
	  if [ $$t = md ]; then seeds="fuzz/seeds/md"; fi; \
	  if [ $$t = import_otm ]; then seeds="tests/interop/otm fuzz/seeds/models"; fi; \
	  if [ $$t = import_threagile ]; then seeds="tests/interop/threagile tests/interop/otm"; fi; \
	  if [ $$t = import_threat_dragon ]; then seeds="tests/interop/threat-dragon fuzz/seeds/models"; fi; \
	  if [ $$t = import_dot ]; then seeds="tests/interop/dot"; fi; \
	  dict=fuzz/tmd.dict; \
	  case $$t in import_*) dict=fuzz/interop.dict;; esac; \
	  echo "=== fuzz $$t for $(FUZZ_SECONDS) s"; \
	  cargo $(FUZZ_TOOLCHAIN) fuzz run $(FUZZ_FLAGS) $$t fuzz/corpus/$$t $$seeds -- \
	    -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=10 \
	    -dict=$$dict -print_final_stats=1 || exit 1; \
	done
