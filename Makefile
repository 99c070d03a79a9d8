# seams — build, test, demo, bench, lint.
# The integration tests need PostgreSQL and MySQL/MariaDB; they are found through
# SEAMS_TEST_PG_DSN and SEAMS_TEST_MYSQL_DSN (defaults: the local services).

GO      ?= go
BIN     ?= bin/seams
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)
DEMO_OUT ?= $(CURDIR)/demo-site

.PHONY: build test demo bench lint check-services

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/seams

## test: every test, unit and integration, against the real servers.
test: check-services
	$(GO) test -count=1 -timeout 30m ./...

MC := --snapshot fixtures/musiccorp/snapshot.json --contexts fixtures/musiccorp/contexts.yaml

## demo: runs seams on the bundled MusicCorp snapshot; needs no database.
demo: build
	./$(BIN) plan $(MC)
	./$(BIN) render $(MC) --out $(DEMO_OUT)

## bench: benchmarks (speed and memory targets live here, not in tests).
bench: check-services
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m ./...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

check-services:
	@$(GO) run ./internal/testdb/cmd/checkdb
