#!/usr/bin/env bash
# The Python package (crates/awal-py): a venv with the pinned test dependencies, the package
# built once (maturin, release, into the workspace's target/), Java 17 for Spark, then pytest:
# bindings, HF datasets, datatrove, and the Spark and Ray jobs checked against `awal prepare`
# (target/release/awal, built by the cargo steps of .ci/run before this script).
#
#   bash .ci/python.sh                 # venv in .venv-ci (AWAL_PY_VENV to change it)
#   bash .ci/python.sh -k equality     # extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${AWAL_PY_VENV:-.venv-ci}
target=${CARGO_TARGET_DIR:-target}

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r crates/awal-py/requirements-test.txt

echo "== build the Python package (maturin, release)"
wheels="$target/wheels-ci"
rm -rf "$wheels"
"$venv/bin/maturin" build --release --locked --quiet -m crates/awal-py/Cargo.toml -i "$venv/bin/python" -o "$wheels"
"$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheels"/awal-*.whl

# Spark needs Java 17: JAVA_HOME if set, else a /usr/lib/jvm/*17* JDK, else `java` on PATH
# (awal.spark.find_java does the same); as root on Debian, install it when there is none.
if [ -z "${JAVA_HOME:-}" ]; then
  for d in /usr/lib/jvm/*17*; do
    if [ -x "$d/bin/java" ]; then export JAVA_HOME="$d"; break; fi
  done
fi
if [ -z "${JAVA_HOME:-}" ] && ! command -v java > /dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless > /dev/null
  else
    echo "Spark needs Java 17: install openjdk-17-jre-headless or set JAVA_HOME" >&2
    exit 1
  fi
fi
echo "== Java for Spark: ${JAVA_HOME:-$(command -v java)}"

export AWAL_BIN=${AWAL_BIN:-$target/release/awal}
echo "== pytest crates/awal-py/tests"
"$venv/bin/python" -m pytest crates/awal-py/tests -q -p no:cacheprovider "$@"
