#!/usr/bin/env bash
# Builds what is missing, then runs one benchmark, which prints its figures:
#   ./bench.sh job | state | ingest | ingest-memory | end-to-end [options]   (add --help)
# See docs/benchmarks.md. JAVA_OPTS is passed to the JVM (default: a 4 GB heap).
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -B -DskipTests -Dspotless.check.skip=true -pl bench -am package
exec java ${JAVA_OPTS:--Xmx4g} -cp "bench/target/classes:$(cat bench/target/runtime-classpath.txt)" \
  io.callpulse.bench.BenchMain "$@"
