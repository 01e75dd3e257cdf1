# Drover — `make` alone lists the targets.
SHELL := /bin/bash
GO ?= go
BIN := $(CURDIR)/bin
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/drover-etl/drover/internal/buildinfo.Version=$(VERSION)
STATICCHECK_VERSION := v0.8.2
DEMO_DIR ?= $(CURDIR)/demo
export CHECKPOINT_DISABLE := 1

.DEFAULT_GOAL := help

help: ## Show this help
	@grep -hE '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

build: ## Build bin/drover
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN)/drover ./cmd/drover

demo: build ## Generate sample data and run the demo job locally, then show results
	@rm -rf $(DEMO_DIR)
	$(BIN)/drover gen-data $(DEMO_DIR)/data
	$(BIN)/drover run jobs/daily_revenue.hcl --var data=$(DEMO_DIR)/data --var out=$(DEMO_DIR)/out
	@echo
	@echo "== revenue by country and day ($(DEMO_DIR)/out/revenue, Parquet partitioned by day) =="
	$(BIN)/drover head $(DEMO_DIR)/out/revenue -n 8
	@echo
	@echo "== top customers ($(DEMO_DIR)/out/top_customers, CSV) =="
	$(BIN)/drover head $(DEMO_DIR)/out/top_customers -n 5

test: tools ## Run every test: unit, golden, end to end, and integration against real Nomad, Consul, MinIO
	$(GO) test -count=1 -timeout 30m ./...
	cd bench && GOWORK=off $(GO) test -count=1 -timeout 30m ./...

test-short: ## Unit tests only (no end-to-end runs)
	$(GO) test -short ./...

golden: ## Regenerate golden files (explain output, stage graphs, plans)
	$(GO) test ./... -run 'Golden' -update

lint: ## go vet, gofmt and staticcheck (pinned)
	$(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

fmt: ## Format Go code
	gofmt -w $$(git ls-files '*.go')

dev-cluster: build tools ## Start MinIO, Consul and Nomad dev agents on loopback for trying cluster mode
	scripts/dev-cluster.sh

clean: ## Remove build outputs and demo data
	rm -rf $(BIN)/drover $(DEMO_DIR)

.PHONY: help build demo test test-short golden bench lint fmt clean dev-cluster

# ---- tools: pinned real servers ---------------------------------------------
# Nomad, Consul and MinIO are built from their Go modules (the machines reach
# only the module proxy), each pinned by its own module under tools/<name>/ so
# the main module never requires server code. A binary is rebuilt only when
# its tool module's go.mod or go.sum changes. Builds go to a temporary file
# renamed into place, so a test running the old binary never sees half a file.
TOOL_BUILD = mkdir -p $(BIN) && cd $(CURDIR)/tools/$(1) && GOWORK=off $(2) nice -n 19 $(GO) build -o $@.tmp $(3) && mv -f $@.tmp $@

tools: tools-nomad tools-consul tools-minio ## Build the pinned Nomad, Consul and MinIO into bin/

tools-nomad: $(BIN)/nomad ## Build the pinned Nomad (v1.11.3) into bin/nomad

tools-consul: $(BIN)/consul ## Build the pinned Consul (v1.22.0) into bin/consul

tools-minio: $(BIN)/minio ## Build the pinned MinIO into bin/minio

$(BIN)/nomad: tools/nomad/go.mod tools/nomad/go.sum
	$(call TOOL_BUILD,nomad,,github.com/hashicorp/nomad)

# Consul's sub-modules are not in the checksum database (it answers 404).
$(BIN)/consul: tools/consul/go.mod tools/consul/go.sum
	$(call TOOL_BUILD,consul,GONOSUMDB=github.com/hashicorp/consul,github.com/hashicorp/consul)

$(BIN)/minio: tools/minio/go.mod tools/minio/go.sum
	$(call TOOL_BUILD,minio,,github.com/minio/minio)

.PHONY: tools tools-nomad tools-consul tools-minio
# ---- end tools --------------------------------------------------------------

# ---- bench: TPC-H side by side with DuckDB ----------------------------------
# The harness is its own module (bench/, with DuckDB through cgo) so that the
# engine never links cgo. It generates TPC-H data with `drover tpch-gen` (kept
# in BENCH_DATA), runs every query on both engines (warm-up, then REPS runs
# alternating), checks their results agree and writes bench/results/<date>.md
# and .json. SF10 needs ~3.5 GB of disk for the data.
SF ?= 1
REPS ?= 3
THREADS ?= 0
BENCH_DATA ?= $(CURDIR)/bench/data
BENCH_FLAGS ?=
BENCH_NICE ?= nice -n 5
TPCHBENCH := cd $(CURDIR)/bench && $(BENCH_NICE) $(BIN)/tpchbench -drover $(BIN)/drover -data $(BENCH_DATA) -threads $(THREADS)

bench-build: build ## Build the benchmark harness into bin/tpchbench (cgo; the first build takes a while)
	cd bench && GOWORK=off nice $(GO) build -o $(BIN)/tpchbench ./cmd/tpchbench

bench: bench-build ## TPC-H suite vs DuckDB (SF=1 REPS=3 THREADS=cores) → bench/results/<date>.md, .json
	$(TPCHBENCH) -sf $(SF) -reps $(REPS) -notes notes.md $(BENCH_FLAGS)

bench-smoke: bench-build ## The suite at SF 0.01, one run each, report in a temp dir (engines must agree)
	d=$$(mktemp -d) && $(TPCHBENCH) -sf 0.01 -reps 1 -results $$d $(BENCH_FLAGS) >/dev/null && rm -rf $$d

bench-profile: bench-build ## One run per query at SF with Drover CPU profiles in bench/profiles/ (go tool pprof)
	$(TPCHBENCH) -sf $(SF) -reps 1 -skip-floor -profile $(CURDIR)/bench/profiles -results $(CURDIR)/bench/profiles $(BENCH_FLAGS)

bench-go: ## Go micro-benchmarks of the operators and formats
	$(GO) test -run '^$$' -bench . -benchmem ./operator/... ./format/... ./expr/eval/...

.PHONY: bench bench-build bench-smoke bench-profile bench-go
# ---- end bench --------------------------------------------------------------
