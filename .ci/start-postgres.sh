#!/usr/bin/env bash
# Start a throwaway PostgreSQL on 127.0.0.1 and print the URL tests should use.
set -euo pipefail
PORT="${QUALCODE_PG_PORT:-55432}"
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGDATA=$(mktemp -d /tmp/qualcode-pg.XXXXXX)
chown postgres "$PGDATA"
su postgres -c "$PGBIN/initdb -D $PGDATA -A trust -U postgres --encoding=UTF8 --locale=C.UTF-8" >/dev/null
su postgres -c "$PGBIN/pg_ctl -D $PGDATA -o '-h 127.0.0.1 -p $PORT -k /tmp' -l $PGDATA/server.log start -w" >/dev/null
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
