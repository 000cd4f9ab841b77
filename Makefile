# Convenience targets; `cargo test` alone is the test command.
.PHONY: help build test lint ci check-samples bench

help:
	@echo "make build          release build"
	@echo "make test           cargo test"
	@echo "make lint           cargo fmt --check and clippy"
	@echo "make check-samples  tmd check on every sample"
	@echo "make bench          timings: check, DOT, SVG and Graphviz on generated models"
	@echo "make ci             what CI runs (.ci/run)"

build:
	cargo build --release

test:
	cargo test

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings

check-samples: build
	./target/release/tmd check samples/*.tmd

ci:
	bash .ci/run

bench:
	cargo run --release --example bench
