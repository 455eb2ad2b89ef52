# Régie — build, demo and tests. `make run` and `make test` are all a fresh
# Debian/Ubuntu machine needs: both install what is missing first.

GO        ?= go
BIN       := bin
# Debian packages the build and the tests need: a C compiler for cgo and the
# race detector, the X11/GL headers Fyne builds against, poppler-utils to
# read the PDFs back, socat for serial-port pairs, Chromium for the portal,
# python3 for the journal checker of docs/journal.md, PostgreSQL for the
# server's suite on its second store (a throw-away cluster, scripts/pgtest.sh).
DEB_PACKAGES := gcc libc6-dev pkg-config python3 libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
                libxinerama-dev libxi-dev libxxf86vm-dev poppler-utils socat chromium oathtool postgresql
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# What the screenshots and the measure need besides: a virtual X server,
# a keyboard robot and a screen grabber.
DESKTOP_TOOLS := xvfb x11-apps xdotool imagemagick

.PHONY: all deps build run test vet bench fuzz clean screenshots measure desktop-tools windows

all: build

## deps: install the Debian packages that are missing (through sudo when not root)
deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if ! command -v $(GO) >/dev/null 2>&1; then missing="$$missing golang-go"; fi; \
	if ! command -v npm >/dev/null 2>&1; then missing="$$missing nodejs npm"; fi; \
	if [ -n "$$missing" ]; then \
	  echo "Installation des paquets manquants :$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@$(GO) version >/dev/null
	@# The portal's browser test: playwright-core drives Debian's Chromium, axe-core checks each page.
	@[ -d e2e/node_modules/playwright-core ] || (cd e2e && npm ci --no-audit --no-fund --loglevel=error)

## build: the programs, into bin/
build: deps
	$(GO) build -o $(BIN)/ ./cmd/...

## run: the whole demo on this machine: regie-serveur (SQLite, demo régie,
## portal, local FranceConnect) and the desktop counter enrolled to it
## (without a display, a demo day plays in the terminal instead)
DEMO := $(shell echo $${TMPDIR:-/tmp})/regie-demo
run: build
	@if [ -z "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  echo "Pas d'écran graphique : la journée de démonstration se déroule sans fenêtre."; \
	  echo "(Pour la fenêtre sans écran : xvfb-run -a make run)"; \
	  exec ./$(BIN)/regie-caisse demo-console; fi; \
	mkdir -p $(DEMO) && rm -f $(DEMO)/code $(DEMO)/caisse-C01.db*; \
	./$(BIN)/regie-serveur demo --dir $(DEMO) --code-file $(DEMO)/code & server=$$!; \
	trap 'kill $$server 2>/dev/null' EXIT INT TERM; \
	for i in $$(seq 1 50); do [ -s $(DEMO)/code ] && break; sleep 0.2; done; \
	./$(BIN)/regie-caisse --db $(DEMO)/caisse-C01.db --config $(DEMO)/caisse.json \
	  --enrol-server http://127.0.0.1:8080 --enrol-code-file $(DEMO)/code

## test: vet and the whole test suite with the race detector
test: deps
	$(GO) vet ./...
	GO=$(GO) scripts/test.sh

## bench: the benchmarks whose figures are in docs/performance.md
bench: deps
	$(GO) test -run '^$$' -bench . -benchtime 3s ./...

## fuzz: a minute on each fuzz target of every package (their corpus is in testdata/fuzz);
## FUZZTIME=10s for a shorter pass
FUZZTIME ?= 60s
fuzz:
	@for f in $$(grep -rl --include='*_test.go' --exclude-dir=node_modules '^func Fuzz' . | sort); do \
	  d=$$(dirname $$f); \
	  for t in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$f); do \
	    echo "== $$d $$t"; $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$d/ || exit 1; \
	  done; done

## desktop-tools: install what screenshots and measure need
desktop-tools:
	@missing=""; for p in $(DESKTOP_TOOLS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; fi

## screenshots: the demo counter under Xvfb, pictures into docs/screenshots (the back-office's
## gestion-*.png too), the portal's into docs/portal
screenshots: build desktop-tools
	BIN=$(BIN)/regie-caisse scripts/screenshots.sh docs/screenshots
	REGIE_PORTAL_SCREENSHOTS=$(CURDIR)/docs/portal $(GO) test -count=1 -run TestPortalInBrowser ./e2e
	REGIE_BACKOFFICE_SCREENSHOTS=$(CURDIR)/docs/screenshots $(GO) test -count=1 -run TestBackofficeInBrowser ./e2e

## measure: start time, validate→receipt time on 100 000 past payments, memory
measure: build desktop-tools
	xvfb-run -a -s "-screen 0 1366x768x24" ./$(BIN)/regie-caisse measure

## windows: the three programs for Windows (amd64), cross-compiled with MinGW, into bin/windows/
windows: deps
	@dpkg-query -W -f='$${Status}' gcc-mingw-w64-x86-64 2>/dev/null | grep -q "ok installed" || \
	  ($(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq gcc-mingw-w64-x86-64)
	CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc \
	  $(GO) build -ldflags="-H windowsgui" -o $(BIN)/windows/regie-caisse.exe ./cmd/regie-caisse
	GOOS=windows GOARCH=amd64 $(GO) build -o $(BIN)/windows/regie-serveur.exe ./cmd/regie-serveur
	GOOS=windows GOARCH=amd64 $(GO) build -o $(BIN)/windows/regie-tpe-sim.exe ./cmd/regie-tpe-sim
	GOOS=windows GOARCH=amd64 $(GO) build -o $(BIN)/windows/regie-payfip-sim.exe ./cmd/regie-payfip-sim

clean:
	rm -rf $(BIN)
