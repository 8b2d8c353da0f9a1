#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on 127.0.0.1 (5432, 6379) for the tests.
# Starts a local server that is installed but stopped; fails with a clear message
# when one can be had neither way.
set -uo pipefail

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() {
  if command -v redis-cli >/dev/null; then
    [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ]
  else
    (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && read -r -t 2 line <&3 && [[ "$line" == +PONG* ]]) 2>/dev/null
  fi
}
wait_for() { for _ in $(seq 1 30); do "$1" && return 0; sleep 1; done; return 1; }

if ! pg_up; then
  if command -v pg_ctlcluster >/dev/null && ls /etc/postgresql/*/main >/dev/null 2>&1; then
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    echo "Starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || pg_ctlcluster "$version" main start || true
  fi
  wait_for pg_up || { echo "make test: PostgreSQL does not answer on 127.0.0.1:5432 and none could be started (apt-get install postgresql)." >&2; exit 1; }
fi

if ! redis_up; then
  if ! command -v redis-server >/dev/null; then
    echo "Installing redis-server"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null 2>&1 || true
  fi
  if command -v redis-server >/dev/null; then
    echo "Starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no >/dev/null
  fi
  wait_for redis_up || { echo "make test: Redis does not answer on 127.0.0.1:6379 and none could be started." >&2; exit 1; }
fi
exit 0
