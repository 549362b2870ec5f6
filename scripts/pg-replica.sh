#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL cluster on 127.0.0.1:5433 (trust auth), for the
# tests of reports read off the primary (docs/scaling.md, "Reads off the primary"). Idempotent:
# creates the cluster with pg_createcluster + pg_basebackup the first time, starts it when down.
set -euo pipefail
ver="$(ls /etc/postgresql | sort -n | tail -1)"
port="${REPLICA_PORT:-5433}"
hba="/etc/postgresql/$ver/main/pg_hba.conf"
if ! grep -qE '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
  echo 'host replication all 127.0.0.1/32 trust' >>"$hba"
  pg_ctlcluster --skip-systemctl-redirect "$ver" main reload
fi
if ! pg_lsclusters -h | awk '{print $2}' | grep -qx replica; then
  # a hot standby needs at least the primary's value for these settings
  opts=()
  for g in max_connections max_worker_processes max_prepared_transactions max_locks_per_transaction max_wal_senders; do
    opts+=(-o "$g=$(psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atc "SHOW $g")")
  done
  pg_createcluster "$ver" replica -p "$port" "${opts[@]}" >/dev/null
  data="/var/lib/postgresql/$ver/replica"
  rm -rf "${data:?}"/*
  pg_basebackup -h 127.0.0.1 -p 5432 -U postgres -D "$data" -R -X stream -c fast
  chown -R postgres:postgres "$data"
  chmod 700 "$data"
fi
# the same trust rules as the primary (the tests connect as postgres without a password)
if ! cmp -s "$hba" "/etc/postgresql/$ver/replica/pg_hba.conf"; then
  cp "$hba" "/etc/postgresql/$ver/replica/pg_hba.conf"
  chown postgres:postgres "/etc/postgresql/$ver/replica/pg_hba.conf"
  pg_isready -h 127.0.0.1 -p "$port" -q && pg_ctlcluster --skip-systemctl-redirect "$ver" replica reload
fi
if ! pg_isready -h 127.0.0.1 -p "$port" -q; then
  pg_ctlcluster --skip-systemctl-redirect "$ver" replica start
fi
for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p "$port" -q && break; sleep 1; done
psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -Atc 'SELECT pg_is_in_recovery()' | grep -qx t
