#!/usr/bin/env bash
# Builds what is missing, then runs the whole of callpulse in one process: a Kafka broker, the
# job on a Flink MiniCluster, the ingest, and demo calls. Ctrl-C stops everything.
# Options: --port N (ingest WebSocket port, default 8080), --parallelism N, --no-demo
set -euo pipefail
cd "$(dirname "$0")"
mvn -q -B -DskipTests -Dspotless.check.skip=true -pl local -am install
exec java -cp "local/target/classes:$(cat local/target/runtime-classpath.txt)" \
  io.callpulse.local.LocalStack "$@"
