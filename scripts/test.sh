#!/bin/sh
# The whole suite, as `make test` runs it: every package on SQLite, then
# the server's packages again on PostgreSQL, in a throw-away cluster
# started here in a temporary directory and stopped after (issue 13: the
# server suite runs against both stores). The second pass runs without the
# race detector, which the first has run on the same Go code: it is there
# for what the database does, and keeps the suite within its 20 minutes.
set -eu
go=${GO:-go}
$go test -race -timeout 20m ./...

dir=$(mktemp -d /tmp/regie-pgtest.XXXXXX)
cleanup() {
	scripts/pgtest.sh stop "$dir/cluster" 2>/dev/null || true
	rm -rf "$dir"
}
trap cleanup EXIT INT TERM
url=$(scripts/pgtest.sh start "$dir/cluster")
echo "== les paquets du serveur sur PostgreSQL ($url)"
REGIE_TEST_POSTGRES=$url $go test -timeout 20m ./server/... ./cmd/regie-serveur/ ./e2e/
