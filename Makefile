# seams — build, test, demo, bench, lint.
# The integration tests need PostgreSQL and MySQL/MariaDB; they are found through
# SEAMS_TEST_PG_DSN and SEAMS_TEST_MYSQL_DSN (defaults: the local services).

GO      ?= go
BIN     ?= bin/seams
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
DEMO_OUT ?= $(CURDIR)/demo-site

.PHONY: build test unit test-versions demo bench lint check-services

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/seams

## test: every test, unit and integration, against the real servers. The
## integration tests carry the build tag "integration"; without it, go test
## ./... runs the unit tests alone and needs no server.
test: check-services
	$(GO) test -count=1 -tags integration -timeout 30m ./...

## unit: the tests that need no database server.
unit:
	$(GO) test -count=1 ./...

## test-versions: the PostgreSQL tests (introspection, the plan's SQL applied
## and rolled back, usage) against PostgreSQL 13, 14, 16, 17 and 18, each a
## real server from the npm registry on its own port (.ci/pg-versions);
## PG_VERSIONS="18 13" limits it. The local server (15) runs in `make test`.
test-versions:
	bash .ci/pg-versions $(PG_VERSIONS)

MC := --schema-file fixtures/musiccorp/postgres.sql --database musiccorp --contexts fixtures/musiccorp/contexts.yaml

## demo: runs seams on the bundled MusicCorp schema file (its DDL); needs no database.
demo: build
	./$(BIN) plan $(MC)
	./$(BIN) render $(MC) --out $(DEMO_OUT)

## bench: benchmarks (speed and memory targets live here, not in tests).
bench: check-services
	$(GO) test -tags integration -run '^$$' -bench . -benchmem -timeout 60m ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags integration ./...

check-services:
	@$(GO) run ./internal/testdb/cmd/checkdb
