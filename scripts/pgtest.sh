#!/bin/sh
# A throw-away PostgreSQL cluster for the tests (issue 13): in a temporary
# directory, on a free loopback port, trusting local connections only.
#
#   scripts/pgtest.sh start DIR   initialises and starts it; prints the URL
#                                 to put in REGIE_TEST_POSTGRES
#   scripts/pgtest.sh stop DIR    stops it (the caller removes DIR)
#
# The tests run without fsync (a lost cluster is started again);
# PGTEST_FSYNC=on makes commits durable, as the benchmarks need.
#
# PostgreSQL refuses to run as root: as root, the cluster runs as the
# "postgres" user Debian's package creates.
set -eu
cmd=${1:?start|stop}
dir=${2:?directory}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "PostgreSQL is missing: apt-get install postgresql" >&2; exit 2; }
as() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case $cmd in
start)
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$dir"
		chmod o+x "$(dirname "$dir")" # the cluster's user must reach it
	fi
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	as "$bin/initdb" -D "$dir/data" -U regie -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ cat "$dir/initdb.log" >&2; exit 1; }
	as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
		-o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir' -c fsync=${PGTEST_FSYNC:-off} -c max_connections=200" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
	echo "postgres://regie@127.0.0.1:$port/postgres?sslmode=disable"
	;;
stop)
	as "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
	;;
*)
	echo "usage: $0 start|stop DIR" >&2
	exit 2
	;;
esac
