#!/usr/bin/env bash
# Installs the Debian packages Orbit builds, tests and benchmarks with.
# Idempotent: packages already present are skipped by apt-get.
set -euo pipefail

PKGS=(
  build-essential cmake pkg-config clang libclang-rt-14-dev
  libcmocka-dev libedit-dev libjansson-dev
  libpcre2-dev libzstd-dev libsnappy-dev zlib1g-dev libdeflate-dev liblz4-dev libbrotli-dev libxxhash-dev
  libsqlite3-dev libssl-dev openssl libpq-dev postgresql postgresql-client python3
  default-jdk-headless libpostgresql-jdbc-java   # the JDBC client test (tests/server/jdbc_test.sh)
)
# Node.js + npm are only needed for the DuckDB interop oracles.
[ "${ORBIT_WITH_NODE:-1}" = 1 ] && ! command -v npm >/dev/null && PKGS+=(nodejs npm)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
