#!/bin/sh
# A throwaway PostgreSQL cluster on loopback for tests and benchmarks.
#   scripts/pg-cluster.sh start DIR [PORT] prints the URL of database "respire"
#                                          (no PORT: a free one, retried if taken meanwhile)
#   scripts/pg-cluster.sh stop DIR
# Runs the server as the "postgres" system user when started as root.
set -eu
cmd=${1:?usage: pg-cluster.sh start DIR [PORT] | stop DIR}
dir=${2:?directory}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "pg-cluster: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
case "$cmd" in
start)
	mkdir -p "$dir"
	[ "$(id -u)" -eq 0 ] && chown postgres "$dir"
	as_pg "'$bin/initdb' -D '$dir/data' -U postgres -A trust -E UTF8 --locale=C.UTF-8 >'$dir/initdb.log' 2>&1"
	tries=0
	while :; do
		port=${3:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
		if as_pg "'$bin/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -o \"-h 127.0.0.1 -p $port -k '$dir' -c fsync=off -c max_connections=200\" start >/dev/null"; then
			break
		fi
		tries=$((tries + 1))
		if [ -n "${3:-}" ] || [ "$tries" -ge 5 ]; then
			tail -n 5 "$dir/server.log" >&2
			exit 1
		fi
	done
	as_pg "'$bin/createdb' -h 127.0.0.1 -p $port -U postgres respire"
	echo "postgres://postgres@127.0.0.1:$port/respire"
	;;
stop)
	[ -d "$dir/data" ] && as_pg "'$bin/pg_ctl' -D '$dir/data' -m fast -w stop >/dev/null" || true
	rm -rf "$dir"
	;;
*)
	echo "usage: pg-cluster.sh start DIR PORT | stop DIR" >&2
	exit 2
	;;
esac
