# Drover — `make` alone lists the targets.
SHELL := /bin/bash
GO ?= go
BIN := $(CURDIR)/bin
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/drover-etl/drover/internal/buildinfo.Version=$(VERSION)
STATICCHECK_VERSION := v0.8.2
DEMO_DIR ?= $(CURDIR)/demo
export CHECKPOINT_DISABLE := 1

# Builds and tests run in the workspace bin/go.work: this module with one
# file of iceberg-go patched (its package init parsed every Substrait
# extension at each process start, ~75 ms of CPU; third_party/README.md).
# Remade, when stale, on every make run; the bench module and the tools
# build outside it (GOWORK=off).
WORKSPACE_STATUS := $(shell mkdir -p $(BIN) && sh $(CURDIR)/third_party/workspace.sh $(BIN) >$(BIN)/workspace.log 2>&1; echo $$?)
ifneq ($(WORKSPACE_STATUS),0)
$(error third_party/workspace.sh failed: $(shell cat $(BIN)/workspace.log))
endif
export GOWORK := $(BIN)/go.work

.DEFAULT_GOAL := help

help: ## Show this help
	@grep -hE '^[a-zA-Z0-9_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

build: plugins ## Build bin/drover (and the example plugins)
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

test: tools postgres browser fuzz-short ## Run every test: unit, golden, end to end, integration against real Nomad, Consul, MinIO, brief fuzzing, and make e2e when Docker works
	DROVER_REQUIRE_BROWSER=1 $(GO) test -count=1 -timeout 30m ./...
	cd bench && GOWORK=off $(GO) test -count=1 -timeout 30m ./...
	@if $(GO) test -count=1 -v -run 'TestGroupCapsAndCountsOOMKills' ./internal/memcg/ 2>&1 | grep -q -- '--- SKIP'; then \
		echo "make test: NOT RUN: the capped-cgroup tests (TestCappedRunHoldsItsBudget) skipped: cgroups are not writable here (make test-memcap needs root and a memory controller)"; fi
	@if docker info >/dev/null 2>&1; then $(MAKE) --no-print-directory e2e; \
	else echo "make test: NOT RUN: the provisioning end-to-end test (make e2e) needs a Docker Engine and \`docker info\` failed here"; fi

postgres: ## Install Debian's postgresql when missing (the Iceberg SQL-catalog tests start a throwaway server)
	@if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then :; \
	else apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql; fi

browser: ## Install Debian's headless Chromium for the web UI's browser tests (apt-get), when missing
	@command -v chromium >/dev/null 2>&1 || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-dejavu-core; }

# Fuzz targets as package:Name; their seed corpora (testdata/fuzz/<Name>/)
# run in every go test, crashers found included.
FUZZ_TARGETS := jobspec:FuzzParse sqlfront/parser:FuzzParseQuery task:FuzzSpecDecode \
	shuffle:FuzzShuffleObject format/csv:FuzzCSVReader format/jsonl:FuzzJSONLReader \
	format/parquet:FuzzParquetReader format/parquet:FuzzPageDecoder format/parquet:FuzzHybrid
FUZZTIME_SHORT ?= 10s
FUZZTIME ?= 5m
# Minimizing each new input may take this long (go test's default, 60s, can eat a short run).
FUZZMINIMIZETIME ?= 5s

fuzz-short: ## Fuzz each target briefly, one after another (FUZZTIME_SHORT=10s each; part of make test)
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME_SHORT)

fuzz: ## Fuzz each target for FUZZTIME (default 5m), one after another; a crasher lands in testdata/fuzz/ and fails
	@GO=$(GO) scripts/fuzz.sh $(FUZZTIME) $(FUZZMINIMIZETIME) $(FUZZ_TARGETS)

test-short: ## Unit tests only (no end-to-end runs)
	$(GO) test -short ./...

golden: ## Regenerate golden files (explain output, stage graphs, plans)
	$(GO) test ./... -run 'Golden' -update

lint: ## go vet, gofmt and staticcheck (pinned), for the engine and the bench module
	$(GO) vet ./...
	cd bench && GOWORK=off $(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...
	cd bench && GOWORK=off $(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

fmt: ## Format Go code
	gofmt -w $$(git ls-files '*.go')

dev-cluster: build tools ## Start MinIO, Consul and Nomad dev agents on loopback for trying cluster mode
	scripts/dev-cluster.sh

clean: ## Remove build outputs and demo data
	rm -rf $(BIN)/drover $(DEMO_DIR)

# test-memcap: the tests that run processes in memory-capped cgroups
# (internal/memcg; e2e/local TestCappedRunHoldsItsBudget: the real drover
# binary under a 256 MiB cap with its default budget, not OOM-killed, answers
# equal to an uncapped run). They skip where cgroups are not writable (not
# root, or no memory controller to write); this target runs them and FAILS on
# such a skip rather than passing it off, so run it as root on a host with
# cgroup v1's memory controller or v2 delegating memory.
test-memcap: ## Capped-cgroup tests: drover under a real 256 MiB memory cgroup, no OOM kill, same answers (root; fails if skipped)
	nice $(GO) test -count=1 -v -run 'TestGroupCapsAndCountsOOMKills|TestCappedRunHoldsItsBudget' -timeout 20m ./internal/memcg/ ./e2e/local/ 2>&1 | tee /dev/stderr | \
		awk '/--- SKIP/ {skip=1} /^(FAIL|--- FAIL)/ {fail=1} END {if (skip) print "make test-memcap: SKIPPED tests count as failures here"; exit (skip || fail)}'

.PHONY: help build demo test browser test-short fuzz fuzz-short golden bench lint fmt clean dev-cluster postgres test-memcap

# ---- tools: pinned real servers ---------------------------------------------
# Nomad, Consul and MinIO are built from their Go modules (the machines reach
# only the module proxy), each pinned by its own module under tools/<name>/ so
# the main module never requires server code. A binary is rebuilt only when
# its tool module's go.mod or go.sum changes. Builds go to a temporary file
# renamed into place, so a test running the old binary never sees half a file.
TOOL_BUILD = mkdir -p $(BIN) && cd $(CURDIR)/tools/$(1) && GOWORK=off $(2) nice -n 19 $(GO) build -o $@.tmp $(3) && mv -f $@.tmp $@

tools: tools-nomad tools-consul tools-minio tools-terraform tools-packer ## Build the pinned Nomad, Consul, MinIO, Terraform (+providers) and Packer (+plugins) into bin/

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

# Terraform and Packer are required from tool modules like the servers. Their
# providers and plugins cannot be (the proxy refuses some .mod files, some
# go.mods name another path): each is pinned by tools/<kind>/<name>.pin
# (module, version, SHA-256 of the module zip) and built inside its own
# source by tools/srcbuild. Terraform finds the providers in a filesystem
# mirror through bin/terraform.rc, Packer its plugins in bin/packer-plugins;
# make exports both, so nothing is fetched from a registry. These machines
# point TF_CLI_CONFIG_FILE at a file that does not exist: ours overrides it.
GOOS_ARCH := $(shell $(GO) env GOOS)_$(shell $(GO) env GOARCH)
TF_PLUGIN_DIR := $(BIN)/terraform-plugins
PACKER_PLUGIN_DIR := $(BIN)/packer-plugins
export TF_CLI_CONFIG_FILE := $(BIN)/terraform.rc
export PACKER_PLUGIN_PATH := $(PACKER_PLUGIN_DIR)
pin = $(shell sed -n 's/^$(2)=//p' $(CURDIR)/tools/$(1).pin)
SRCBUILD = cd $(CURDIR)/tools/srcbuild && GOWORK=off nice -n 19 $(GO) run . -module '$(call pin,$(1),MODULE)' \
	-version '$(call pin,$(1),VERSION)' -sha256 '$(call pin,$(1),SHA256)' -ldflags '$(call pin,$(1),LDFLAGS)'
TF_PROVIDERS := nomad docker minio
tf_provider = $(TF_PLUGIN_DIR)/registry.terraform.io/$(call pin,terraform-providers/$(1),PROVIDER)/$(call pin,terraform-providers/$(1),PROVIDER_VERSION)/$(GOOS_ARCH)/terraform-provider-$(1)_v$(call pin,terraform-providers/$(1),PROVIDER_VERSION)
PACKER_PLUGINS := docker amazon
packer_plugin = $(PACKER_PLUGIN_DIR)/$(call pin,packer-plugins/$(1),PLUGIN)/packer-plugin-$(1)_$(call pin,packer-plugins/$(1),VERSION)_$(call pin,packer-plugins/$(1),API)_$(GOOS_ARCH)

tools-terraform: $(BIN)/terraform $(foreach p,$(TF_PROVIDERS),$(call tf_provider,$(p))) $(TF_CLI_CONFIG_FILE) ## Terraform (v1.5.7) and its providers (nomad, docker, minio) in bin/terraform-plugins

tools-packer: $(BIN)/packer $(foreach p,$(PACKER_PLUGINS),$(call packer_plugin,$(p))) ## Packer (v1.14.3) and its plugins (docker, amazon) in bin/packer-plugins

$(BIN)/terraform: tools/terraform/go.mod tools/terraform/go.sum
	$(call TOOL_BUILD,terraform,,github.com/hashicorp/terraform)

# Packer's own module is not in the checksum database (it answers 404).
$(BIN)/packer: tools/packer/go.mod tools/packer/go.sum
	$(call TOOL_BUILD,packer,GONOSUMDB=github.com/hashicorp/packer,github.com/hashicorp/packer)

define TF_PROVIDER_RULE
$(call tf_provider,$(1)): tools/terraform-providers/$(1).pin tools/srcbuild/main.go
	$$(call SRCBUILD,terraform-providers/$(1)) -o $$@
endef
$(foreach p,$(TF_PROVIDERS),$(eval $(call TF_PROVIDER_RULE,$(p))))

define PACKER_PLUGIN_RULE
$(call packer_plugin,$(1)): tools/packer-plugins/$(1).pin tools/srcbuild/main.go $(BIN)/packer
	$$(call SRCBUILD,packer-plugins/$(1)) -o $(BIN)/.build/packer-plugin-$(1)
	$(BIN)/packer plugins install --path $(BIN)/.build/packer-plugin-$(1) $(call pin,packer-plugins/$(1),PLUGIN)
	rm -f $(BIN)/.build/packer-plugin-$(1) && touch $$@
endef
$(foreach p,$(PACKER_PLUGINS),$(eval $(call PACKER_PLUGIN_RULE,$(p))))

$(TF_CLI_CONFIG_FILE): tools/terraform-providers/terraform.rc.in
	@mkdir -p $(TF_PLUGIN_DIR)
	sed 's|@MIRROR@|$(TF_PLUGIN_DIR)|' $< >$@.tmp && mv -f $@.tmp $@

.PHONY: tools-terraform tools-packer
# ---- end tools --------------------------------------------------------------

# ---- bench: TPC-H side by side with DuckDB ----------------------------------
# The harness is its own module (bench/, with DuckDB through cgo) so that the
# engine never links cgo. It generates TPC-H data with `drover tpch-gen` (kept
# in BENCH_DATA), runs every query on both engines (warm-up, then REPS runs
# alternating), checks their results agree and writes bench/results/<date>.md
# and .json. SF10 needs ~3.5 GB of disk for the data.
# LAYOUTS: the file layouts of the same rows the suite runs on (default all
# three): drover (the generator's files: 122,880-row groups), duckdb (DuckDB
# COPY, Snappy, 1 M-row groups, one file per table), nodict (the generator's
# files rewritten with dictionary encoding off); derived once per SF and
# cached beside the generator's data. Answers must agree across layouts; the
# report is bench/results/<date>-layouts-sf<SF>.md/.json (a table per layout,
# the layout × query ratio matrix, lineitem's row-group shape, CPU profiles of
# the LAYOUT_PROFILES worst cells, kept in bench/profiles/layouts-sf<SF>/).
# LAYOUTS= (empty) runs the suite on the generator's files alone and writes
# bench/results/<date>.md as before.
SF ?= 1
REPS ?= 3
THREADS ?= 0
BENCH_DATA ?= $(CURDIR)/bench/data
BENCH_FLAGS ?=
BENCH_NICE ?= nice -n 5
LAYOUTS ?= drover,duckdb,nodict
LAYOUT_PROFILES ?= 3
TPCHBENCH := cd $(CURDIR)/bench && $(BENCH_NICE) $(BIN)/tpchbench -drover $(BIN)/drover -data $(BENCH_DATA) -threads $(THREADS)

bench-build: build ## Build the benchmark harness into bin/tpchbench (cgo; the first build takes a while)
	cd bench && GOWORK=off nice $(GO) build -o $(BIN)/tpchbench ./cmd/tpchbench

bench: bench-build ## TPC-H suite vs DuckDB on LAYOUTS=drover,duckdb,nodict (SF=1 REPS=3 THREADS=cores) → bench/results/<date>-layouts-sf<SF>.md, .json
ifneq ($(strip $(LAYOUTS)),)
	$(TPCHBENCH) -sf $(SF) -reps $(REPS) -layouts $(LAYOUTS) -layout-profiles $(LAYOUT_PROFILES) \
		-profile $(CURDIR)/bench/profiles/layouts-sf$(SF) -notes layouts-notes.md $(BENCH_FLAGS)
else
	$(TPCHBENCH) -sf $(SF) -reps $(REPS) -notes notes.md $(BENCH_FLAGS)
endif

bench-smoke: bench-build ## The suite at SF 0.01, one run each, report in a temp dir (engines must agree)
	d=$$(mktemp -d) && $(TPCHBENCH) -sf 0.01 -reps 1 -results $$d $(BENCH_FLAGS) >/dev/null && rm -rf $$d

bench-profile: bench-build ## One run per query at SF with Drover CPU profiles in bench/profiles/ (go tool pprof)
	$(TPCHBENCH) -sf $(SF) -reps 1 -skip-floor -profile $(CURDIR)/bench/profiles -results $(CURDIR)/bench/profiles $(BENCH_FLAGS)

# bench-tpc: the standard texts (DuckDB's tpch_queries() and tpcds_queries(),
# unmodified) on DuckDB-generated Parquet (the conformance cache), both engines
# with THREADS threads (default 2), answers compared as the conformance suite
# does; a run whose RSS passes TPC_MEMORY_CAP_MIB is killed and reported.
TPC_SUITES ?= tpch-std,tpcds
TPC_THREADS ?= 2
TPC_TIMEOUT ?= 5m
TPC_MEMORY_CAP_MIB ?= 8192
TPC_FLAGS ?=

bench-tpc: bench-build ## TPC-H 22 and TPC-DS 99 standard texts vs DuckDB (SF=1 REPS=3) → bench/results/<date>-tpc-sf<SF>.md, .json
	cd $(CURDIR)/bench && $(BENCH_NICE) $(BIN)/tpchbench -drover $(BIN)/drover -suite $(TPC_SUITES) -sf $(SF) -reps $(REPS) \
		-threads $(TPC_THREADS) -timeout $(TPC_TIMEOUT) -memory-cap-mib $(TPC_MEMORY_CAP_MIB) -jobs $(CURDIR)/bench/profiles/tpc-jobs $(TPC_FLAGS)

bench-tpc-layouts: bench-build ## The 22 TPC-H texts on drover tpch-gen's rows in each of LAYOUTS (SF=1 REPS=3) → bench/results/<date>-tpc-layouts-sf<SF>.md, .json
	cd $(CURDIR)/bench && $(BENCH_NICE) $(BIN)/tpchbench -drover $(BIN)/drover -data $(BENCH_DATA) -suite tpch-std -layouts $(LAYOUTS) \
		-sf $(SF) -reps $(REPS) -threads $(TPC_THREADS) -timeout $(TPC_TIMEOUT) -memory-cap-mib $(TPC_MEMORY_CAP_MIB) \
		-notes tpc-layouts-notes.md $(TPC_FLAGS)

# bench-scale: heavier queries (group by l_orderkey, lineitem ⋈ orders, sort of
# lineitem, Q1, Q3, Q9, Q18, a window dedup) once per engine with Drover's
# --memory at MEMORY bytes and DuckDB's memory_limit the same, answers
# compared, spill per stage reported; then a skewed join (SKEW_ROWS rows, one
# key on 30%) with adaptive execution off and on (0: skip it). SF 10 needs
# ~3.5 GB of data and takes the better part of an hour on 2 cores.
# CGROUP=1 runs each Drover process in a memory cgroup capped at MEMORY / 60%
# and without --memory (its default budget is then MEMORY) and reports
# OOM-killed and peak RSS vs the cap (root, writable cgroups).
MEMORY ?= 536870912
SKEW_ROWS ?= 20000000
SCALE_TIMEOUT ?= 45m
bench-scale: bench-build ## Scale suite under a memory budget vs DuckDB (SF=10 MEMORY=bytes SKEW_ROWS=n) → bench/results/<date>-scale-sf<SF>.md, .json
	$(TPCHBENCH) -scale -sf $(SF) -memory $(MEMORY) -skew-rows $(SKEW_ROWS) -timeout $(SCALE_TIMEOUT) $(if $(CGROUP),-cgroup) $(BENCH_FLAGS)

# bench-cluster: the scale suite's queries through drover submit on real
# MinIO, Consul and Nomad dev servers on loopback (the pinned ones in bin/,
# built by make tools if missing), EXECUTORS executors of EXECUTOR_MEMORY MB,
# data and shuffle in MinIO, beside drover run on the same data; answers
# must equal local (and DuckDB's, with CLUSTER_FLAGS='-scale-report FILE').
EXECUTORS ?= 3
EXECUTOR_MEMORY ?= 512
CLUSTER_FLAGS ?=
bench-cluster: build ## Scale queries on Nomad+Consul+MinIO (loopback) vs drover run (SF=10) → bench/results/<date>-cluster-sf<SF>.md, .json
	cd bench && GOWORK=off $(BENCH_NICE) $(GO) test -run '^$$' -bench '^BenchmarkCluster$$' -benchtime 1x -timeout 6h ./clusterbench \
		-args -drover $(BIN)/drover -data $(BENCH_DATA) -sf $(SF) -memory $(MEMORY) -threads $(THREADS) \
		-executors $(EXECUTORS) -executor-memory $(EXECUTOR_MEMORY) -query-timeout $(SCALE_TIMEOUT) $(CLUSTER_FLAGS)

bench-go: ## Go micro-benchmarks of the operators and formats
	$(GO) test -run '^$$' -bench . -benchmem ./operator/... ./format/... ./expr/eval/...

.PHONY: bench bench-build bench-smoke bench-profile bench-tpc bench-tpc-layouts bench-scale bench-cluster bench-go
# ---- end bench --------------------------------------------------------------

# ---- conformance: Drover's answers vs DuckDB's -------------------------------
# bench/conformance runs TPC-H (22), TPC-DS (99) and the per-feature corpus
# (bench/conformance/testdata/sql/*.test) in DuckDB and in Drover on the same
# Parquet files and compares the answers; see bench/conformance/README.md.
# make test runs it at SF 0.01 against the committed status files; data is
# generated by DuckDB once and cached (DROVER_CONFORMANCE_CACHE, default
# ~/.cache/drover-conformance; SF 1 needs ~1.5 GB).
QUERY_TIMEOUT ?= 10m
CONFORMANCE_FLAGS ?=
CONFORMANCE_TEST = cd bench && GOWORK=off $(BENCH_NICE) $(GO) test -count=1 -v

conformance: ## TPC-H and TPC-DS vs DuckDB at SF (default 1; status in testdata/<suite>-sf<SF>.status, -update to record)
	$(CONFORMANCE_TEST) -timeout 6h -run 'TestTPCH$$|TestTPCDS$$' ./conformance/ -sf $(SF) -query-timeout $(QUERY_TIMEOUT) $(CONFORMANCE_FLAGS)

conformance-update: ## Re-record the conformance status files of make test (SF 0.01 and the SQL corpus) after Drover improved
	$(CONFORMANCE_TEST) -timeout 30m -run 'TestTPCH$$|TestTPCDS$$|TestSQL$$' ./conformance/ -update $(CONFORMANCE_FLAGS)

.PHONY: conformance conformance-update
# ---- end conformance ---------------------------------------------------------

# ---- plugins: UDF plugins and their protocol --------------------------------
# The example plugins (plugins/<name>/) are ordinary Go programs, built into
# bin/plugins/ where jobs/plugins.hcl finds them. udf/proto's generated code
# is committed; `make proto` regenerates it with the pinned generators
# (protoc itself comes from the distribution: apt-get install protobuf-compiler).
PROTOC_GEN_GO_VERSION := v1.36.12
PROTOC_GEN_GO_GRPC_VERSION := v1.6.2

plugins: ## Build the example UDF plugins into bin/plugins/
	@mkdir -p $(BIN)/plugins
	$(GO) build -o $(BIN)/plugins/ ./plugins/...

plugin-demo: build ## Run jobs/plugins.hcl (text functions, a scoring and a PII-masking transform) on the demo data
	@rm -rf $(DEMO_DIR)
	$(BIN)/drover gen-data $(DEMO_DIR)/data
	$(BIN)/drover run jobs/plugins.hcl --var data=$(DEMO_DIR)/data --var out=$(DEMO_DIR)/out
	$(BIN)/drover head $(DEMO_DIR)/out/attention -n 8

proto: ## Regenerate the UDF protocol's gRPC code (udf/proto/*.pb.go)
	GOBIN=$(BIN) $(GO) install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION)
	GOBIN=$(BIN) $(GO) install google.golang.org/grpc/cmd/protoc-gen-go-grpc@$(PROTOC_GEN_GO_GRPC_VERSION)
	PATH=$(BIN):$$PATH protoc --proto_path=udf/proto \
		--go_out=udf/proto --go_opt=paths=source_relative \
		--go-grpc_out=udf/proto --go-grpc_opt=paths=source_relative udf/proto/udf.proto

bench-udf: ## Per-row cost of a scalar plugin call on 1 M rows (real subprocess; shared memory, then inline)
	$(GO) test -run '^$$' -bench ScalarPluginCall -benchtime 10x -count 3 ./udfhost/
	DROVER_UDF_SHARED_MEMORY=off $(GO) test -run '^$$' -bench ScalarPluginCall -benchtime 10x -count 3 ./udfhost/

.PHONY: plugins plugin-demo proto bench-udf
# ---- end plugins ------------------------------------------------------------

# ---- provision: node image, local Docker cluster, end-to-end test ----------
# `make image` builds the Drover node image with Packer (docker source) from
# a debootstrap base image and the binaries staged in bin/image: static
# linux/amd64 drover and plugins (they must run on any distribution) and the
# pinned Nomad, Consul and MinIO. `make e2e` proves the path users take:
# packer build → terraform apply (terraform/local-docker) → nomad job run →
# output checked in MinIO, a client node killed mid-job → terraform destroy;
# see e2e/provision/README.md. It needs a Docker Engine (`docker info`).
IMAGE_DIR := $(BIN)/image
BASE_IMAGE ?= drover-base:bookworm
NODE_IMAGE_REPO ?= drover-node
NODE_IMAGE_TAG ?= latest
E2E_TIMEOUT ?= 45m
STATIC_BUILD = CGO_ENABLED=0 GOOS=linux GOARCH=amd64 nice -n 19 $(GO) build -trimpath

image-artifacts: tools-nomad tools-consul tools-minio ## Stage the node image's binaries in bin/image (static drover and plugins)
	@rm -rf $(IMAGE_DIR) && mkdir -p $(IMAGE_DIR)/bin $(IMAGE_DIR)/plugins
	$(STATIC_BUILD) -ldflags "$(LDFLAGS) -s -w" -o $(IMAGE_DIR)/bin/drover ./cmd/drover
	if [ -d plugins ]; then $(STATIC_BUILD) -ldflags "-s -w" -o $(IMAGE_DIR)/plugins/ ./plugins/...; fi
	ln -f $(BIN)/nomad $(BIN)/consul $(BIN)/minio $(IMAGE_DIR)/bin/

base-image: ## The Docker base image drover-base:bookworm (debootstrap + docker import), when missing
	packer/base/build-base-image.sh $(BASE_IMAGE)

image: tools-packer image-artifacts base-image ## Build the node image drover-node:latest with Packer (docker source)
	$(BIN)/packer build -only=drover-node.docker.node -var artifacts_dir=$(IMAGE_DIR) -var base_image=$(BASE_IMAGE) \
		-var image_repository=$(NODE_IMAGE_REPO) -var image_tag=$(NODE_IMAGE_TAG) packer/drover-node
	docker image prune -f --filter label=org.opencontainers.image.title=drover-node >/dev/null

e2e: tools image-artifacts ## Packer image → terraform apply (Docker nodes) → nomad job run, a node killed mid-job → destroy
	E2E_TIMEOUT=$(E2E_TIMEOUT) e2e/provision/run.sh

fmt-infra: tools-terraform tools-packer tools-nomad ## terraform fmt, packer fmt and nomad fmt of terraform/, packer/, nomad/
	$(BIN)/terraform fmt -recursive terraform
	$(BIN)/packer fmt -recursive packer
	$(BIN)/nomad fmt -recursive nomad

lint-infra: tools-terraform tools-packer tools-nomad ## Check that terraform/, packer/ and nomad/ are fmt-clean and validate
	$(BIN)/terraform fmt -check -recursive terraform
	$(BIN)/packer fmt -check -recursive packer
	$(BIN)/nomad fmt -check -recursive nomad
	$(BIN)/packer validate -syntax-only -var artifacts_dir=$(IMAGE_DIR) packer/drover-node
	cd terraform/local-docker && $(BIN)/terraform init -backend=false -input=false >/dev/null && $(BIN)/terraform validate

.PHONY: image-artifacts base-image image e2e fmt-infra lint-infra
# ---- end provision ----------------------------------------------------------
