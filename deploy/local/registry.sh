#!/usr/bin/env bash
# A real Confluent-compatible schema registry for the local stack: Apicurio Registry 2.0.2.Final,
# built from Maven Central with Maven (registry-pom.xml) into a git-ignored cache, run on loopback
# with in-memory storage (H2): every `up` after a `down` starts empty.
#
#   registry.sh build | up | down | status | env | logs
#
# `env` prints SCHEMA_REGISTRY_URL (Apicurio's Confluent API lives under /apis/ccompat/v6).
# Environment: REGISTRY_PORT (18081), LLM_AUDIT_REGISTRY_DIR (.cache/registry),
# REGISTRY_JAVA_OPTS (-Xmx384m), REGISTRY_START_TIMEOUT (240 s: about 25 s idle, 2 min at load 25), REGISTRY_MAVEN_ARGS (extra mvn arguments,
# e.g. "-s settings.xml" for a mirror or another local repository).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
APICURIO_VERSION=2.0.2.Final # keep in step with registry-pom.xml
DIR=${LLM_AUDIT_REGISTRY_DIR:-$REPO/.cache/registry}
PORT=${REGISTRY_PORT:-18081}
JAVA_OPTS=${REGISTRY_JAVA_OPTS:--Xmx384m}
START_TIMEOUT=${REGISTRY_START_TIMEOUT:-240}
APP=$DIR/app-$APICURIO_VERSION
JAR=$APP/registry-runner-$APICURIO_VERSION-runner.jar
PID=$DIR/registry.pid
LOG=$DIR/registry.log
URL=http://127.0.0.1:$PORT/apis/ccompat/v6
MVN_DEP=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

log() { printf '[registry %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
mvn_q() { mvn -q -B -Dstyle.color=never ${REGISTRY_MAVEN_ARGS:-} "$@" 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' -e '/^[[:space:]]*$/d' >&2; }

healthy() { [[ $(curl -s -m 3 -o /dev/null -w '%{http_code}' "$URL/subjects" 2>/dev/null) == 200 ]]; }
running_pid() { [[ -s $PID ]] && kill -0 "$(cat "$PID")" 2>/dev/null && cat "$PID"; }

build() {
  [[ -s $JAR ]] && return 0
  command -v mvn >/dev/null || die "mvn not found (apt-get install maven)"
  command -v java >/dev/null || die "java not found (Java 11+, e.g. apt-get install openjdk-17-jdk-headless)"
  local b=$DIR/build t0=$SECONDS
  rm -rf "$b"; mkdir -p "$b/src/main/resources" "$b/dl"
  cp "$SCRIPT_DIR/registry-pom.xml" "$b/pom.xml"
  log "building Apicurio Registry $APICURIO_VERSION from Maven Central (first time only; a few minutes cold)"
  mvn_q "$MVN_DEP:copy" -Dartifact="io.apicurio:apicurio-registry-app:$APICURIO_VERSION" -DoutputDirectory="$b/dl" \
    || die "mvn could not get io.apicurio:apicurio-registry-app:$APICURIO_VERSION"
  # Quarkus reads the application's own application.properties, not a dependency's: take Apicurio's,
  # and have Quarkus index Apicurio's jars (its beans and REST resources live there, not in this project)
  unzip -p "$b/dl/apicurio-registry-app-$APICURIO_VERSION.jar" application.properties > "$b/src/main/resources/application.properties"
  {
    echo
    echo '# added by deploy/local/registry.sh'
    for a in app common utils-kafka schema-compatibility-json schema-compatibility-protobuf tenant-manager-client utils-import-export; do
      echo "quarkus.index-dependency.$a.group-id=io.apicurio"
      echo "quarkus.index-dependency.$a.artifact-id=apicurio-registry-$a"
    done
  } >> "$b/src/main/resources/application.properties"
  (cd "$b" && mvn_q package) || die "mvn package of the registry failed (see above)"
  rm -rf "$APP"; mkdir -p "$APP"
  cp -r "$b/target/lib" "$b/target/registry-runner-$APICURIO_VERSION-runner.jar" "$APP/"
  rm -rf "$b"
  log "built $JAR in $((SECONDS - t0)) s"
}

up() {
  if healthy; then log "already answering at $URL"; return 0; fi
  local t0=$SECONDS
  if [[ -n $(running_pid) ]]; then
    log "pid $(cat "$PID") is starting; waiting for it"
  else
    build
    t0=$SECONDS
    log "starting Apicurio Registry $APICURIO_VERSION on 127.0.0.1:$PORT"
    # shellcheck disable=SC2086
    HTTP_PORT=$PORT nohup java $JAVA_OPTS -Dquarkus.profile=prod -Dquarkus.http.host=127.0.0.1 -jar "$JAR" >"$LOG" 2>&1 &
    echo $! >"$PID"
  fi
  until healthy; do
    kill -0 "$(cat "$PID")" 2>/dev/null || die "the registry exited; last lines of $LOG:$(printf '\n'; tail -20 "$LOG")"
    if (( SECONDS - t0 >= START_TIMEOUT )); then
      down
      die "no answer at $URL after $START_TIMEOUT s (stopped it); see $LOG, or raise REGISTRY_START_TIMEOUT"
    fi
    sleep 1
  done
  log "answering at $URL after $((SECONDS - t0)) s"
}

down() {
  local p; p=$(running_pid) || { log "not running"; rm -f "$PID"; return 0; }
  kill "$p"
  for _ in $(seq 1 30); do kill -0 "$p" 2>/dev/null || { rm -f "$PID"; log "stopped"; return 0; }; sleep 1; done
  kill -9 "$p" 2>/dev/null || true; rm -f "$PID"; log "killed after 30 s"
}

mkdir -p "$DIR"
case ${1:-} in
  build) build ;;
  up) up ;;
  down) down ;;
  status) if healthy; then echo "registry: up at $URL"; else echo "registry: down"; exit 3; fi ;;
  env) echo "SCHEMA_REGISTRY_URL=$URL" ;;
  logs) tail -n 100 "$LOG" ;;
  *) echo "usage: $0 build|up|down|status|env|logs" >&2; exit 2 ;;
esac
