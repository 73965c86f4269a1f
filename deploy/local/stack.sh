#!/usr/bin/env bash
# Local stack for llm-audit: Apache Kafka (KRaft, single node) and Elasticsearch,
# both fetched from Maven Central with Maven into a git-ignored cache, run on loopback.
#
#   stack.sh fetch | up | down | status | logs [-f] [kafka|es] | es-versions
#   stack.sh up|down|status|env --secure   a second, secured instance beside the plain one:
#     Kafka with a SASL_SSL listener (SCRAM-SHA-512/256, PLAIN, unsecured-JWT OAUTHBEARER) and
#     Elasticsearch with x-pack security and TLS, certificates and users generated here; its own
#     stack dir (.cache/stack-secure) and ports (Kafka 19494/19495, Elasticsearch 19601/19701). `env --secure` prints
#     the client settings (KAFKA_SSL, KAFKA_SASL_*, ELASTICSEARCH_*) to source.
#   stack.sh es-user --secure NAME ROLE[,ROLE]   adds (or re-passwords) a file-realm user on the running
#     secure node, password from ES_USER_PASSWORD; also defines the llm-audit-vault-writer and
#     llm-audit-revealer roles (tests of the reveal side use them).
#
# See deploy/local/README.md for versions, ports, environment and the
# Elasticsearch module table.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/../.." && pwd)
SECURE=0
ARGS=()
for a in "$@"; do if [[ $a == --secure ]]; then SECURE=1; else ARGS+=("$a"); fi; done
set -- "${ARGS[@]+"${ARGS[@]}"}"
if (( SECURE )); then
  # its own instance: never the plain stack's dir, ports or client settings
  STACK_DIR=${LLM_AUDIT_SECURE_STACK_DIR:-$REPO/.cache/stack-secure}
  KAFKA_PORT=${SECURE_KAFKA_PORT:-19494}
  KAFKA_CONTROLLER_PORT=${SECURE_KAFKA_CONTROLLER_PORT:-19495}
  ES_PORT=${SECURE_ES_PORT:-19601}
  ES_TRANSPORT_PORT=${SECURE_ES_TRANSPORT_PORT:-19701}
  KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT
  ELASTICSEARCH_URL=https://127.0.0.1:$ES_PORT
fi
STACK_DIR=${STACK_DIR:-${LLM_AUDIT_STACK_DIR:-$REPO/.cache/stack}}

KAFKA_VERSION=3.9.1 # keep in step with kafka-pom.xml
# Newest integ-test-zip on Maven Central when this was written (its maven-metadata.xml
# lists no 9.x). A 9.x version needs Java 21+; the script picks the JDK accordingly.
ES_VERSION=${ES_VERSION:-8.19.21}
ES_GA=org.elasticsearch.distribution.integ-test-zip:elasticsearch
MVN_DEP=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
ES_PORT=${ES_PORT:-9200}
ES_TRANSPORT_PORT=${ES_TRANSPORT_PORT:-9300}
KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xmx768m -Xms256m}
ES_JAVA_OPTS=${ES_JAVA_OPTS:--Xms1g -Xmx1g}
KAFKA_START_TIMEOUT=${KAFKA_START_TIMEOUT:-90}
ES_START_TIMEOUT=${ES_START_TIMEOUT:-180}
ES_USER=${LLM_AUDIT_ES_USER:-llmaudit}

# What the project's code reads; `up` leaves a service alone if these already answer.
KAFKA_BROKERS_SET=${KAFKA_BROKERS:+1}
ELASTICSEARCH_URL_SET=${ELASTICSEARCH_URL:+1}
if (( SECURE )); then KAFKA_BROKERS_SET=; ELASTICSEARCH_URL_SET=; fi
KAFKA_BROKERS=${KAFKA_BROKERS:-127.0.0.1:$KAFKA_PORT}
ELASTICSEARCH_URL=${ELASTICSEARCH_URL:-http://127.0.0.1:$ES_PORT}
ELASTICSEARCH_URL=${ELASTICSEARCH_URL%/}

K_DIR=$STACK_DIR/kafka
K_LIB=$K_DIR/lib-$KAFKA_VERSION
K_PID=$K_DIR/kafka.pid
ES_DIR=$STACK_DIR/es # may move, see resolve_es_dir
IS_ROOT=0; [[ $(id -u) -eq 0 ]] && IS_ROOT=1

log() { printf '[stack %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s; }

# ---------------------------------------------------------------- java

jdk_major() { # <jdk home> -> major version, or nothing
  local home=$1 v=""
  [[ -x $home/bin/java ]] || return 0
  if [[ -r $home/release ]]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [[ -z $v ]]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/\1/p' | head -1)
  fi
  v=${v#1.} # 1.8 -> 8
  echo "${v%%[.+-]*}"
}

path_jdk() { # JAVA_HOME, else the JDK of `java` on PATH
  if [[ -n ${JAVA_HOME:-} && -x ${JAVA_HOME}/bin/java ]]; then echo "$JAVA_HOME"; return; fi
  local j; j=$(command -v java 2>/dev/null) || return 0
  j=$(readlink -f "$j"); echo "${j%/bin/java}"
}

find_jdk() { # <min major> [max major] -> a JDK home; JAVA_HOME/PATH first, then /usr/lib/jvm, newest first
  local min=$1 max=${2:-999} h m best="" bestm=0
  h=$(path_jdk); m=$(jdk_major "$h" 2>/dev/null || true)
  if [[ -n $h && -n $m ]] && (( m >= min && m <= max )); then echo "$h"; return; fi
  for h in /usr/lib/jvm/*/ /opt/java/*/ /opt/*jdk*/; do
    h=${h%/}; [[ -d $h && ! -L $h ]] || continue
    m=$(jdk_major "$h" 2>/dev/null || true); [[ -n $m ]] || continue
    if (( m >= min && m <= max && m > bestm )); then best=$h; bestm=$m; fi
  done
  [[ -n $best ]] && echo "$best"
  return 0
}

kafka_java() {
  local h=${KAFKA_JAVA_HOME:-}
  [[ -n $h ]] || h=$(find_jdk 11 21)
  [[ -n $h ]] || h=$(find_jdk 11)
  [[ -n $h ]] || die "Kafka $KAFKA_VERSION needs Java 11+; set JAVA_HOME or KAFKA_JAVA_HOME"
  echo "$h/bin/java"
}

es_java_home() {
  if [[ -n ${ES_JAVA_HOME:-} ]]; then echo "$ES_JAVA_HOME"; return; fi
  local min=17 h
  [[ ${ES_VERSION%%.*} -ge 9 ]] && min=21
  h=$(find_jdk "$min")
  [[ -n $h ]] || die "Elasticsearch $ES_VERSION needs Java $min+ (none found in JAVA_HOME, PATH or /usr/lib/jvm); set ES_JAVA_HOME"
  echo "$h"
}

mvn_q() { # quiet Maven; errors still reach stderr (minus colour codes and blank lines)
  mvn -q -B -Dstyle.color=never "$@" 2>&1 | sed -e 's/\x1b\[[0-9;]*m//g' -e '/^[[:space:]]*$/d' >&2
}

need_mvn() { command -v mvn >/dev/null || die "mvn not found (apt-get install maven)"; }

# ---------------------------------------------------------------- probes

# Kafka ApiVersions v0 request over bash's /dev/tcp: succeeds only if a Kafka
# broker answers with error_code 0. Takes milliseconds, no JVM.
kafka_probe() { # host:port
  local hp=$1 out
  out=$(timeout 3 bash -c '
    exec 3<>"/dev/tcp/$0/$1" || exit 1
    printf "\x00\x00\x00\x0f\x00\x12\x00\x00\x00\x00\x00\x01\x00\x05probe" >&3
    head -c 10 <&3 | od -An -tx1 | tr -d " \n"' "${hp%:*}" "${hp##*:}" 2>/dev/null) || return 1
  [[ ${out:8:12} == 000000010000 ]]
}

kafka_reachable() { # any broker of KAFKA_BROKERS answers
  local b
  for b in ${KAFKA_BROKERS//,/ }; do
    b=${b#*://}
    if (( SECURE )); then kafka_tls_probe "$b" && return 0; else kafka_probe "$b" && return 0; fi
  done
  return 1
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

es_health() { # prints the health JSON; fails if ES does not answer 200
  local -a auth=()
  (( SECURE )) && auth=(--cacert "$SEC_DIR/certs/ca.pem" -u "llmaudit:$(secret_file es-llmaudit.pw)")
  curl -fsS -m "${2:-3}" "${auth[@]}" "$ELASTICSEARCH_URL/_cluster/health${1:-}" 2>/dev/null
}

pid_of() { # <pidfile> <cmdline pattern> -> pid if alive and really ours
  local f=$1 pat=$2 p
  [[ -s $f ]] || return 1
  p=$(<"$f"); [[ $p =~ ^[0-9]+$ ]] || return 1
  [[ -r /proc/$p/cmdline ]] || return 1
  tr '\0' ' ' </proc/"$p"/cmdline | grep -q -- "$pat" || return 1
  echo "$p"
}

kafka_pid() { pid_of "$K_PID" kafka.Kafka; }
es_pid() { pid_of "$ES_DIR/run/es.pid" org.elasticsearch; }

# ---------------------------------------------------------------- layout

resolve_es_dir() { # [create]: also create the Elasticsearch user if missing
  # Elasticsearch refuses to run as root; as root we run it as $ES_USER, who must be
  # able to reach the cache. If the checkout sits somewhere that user cannot enter
  # (e.g. under /root), keep Elasticsearch's files in /var/tmp instead.
  mkdir -p "$STACK_DIR"
  (( IS_ROOT )) || return 0
  if [[ ${1:-} == create ]]; then ensure_es_user; fi
  id -u "$ES_USER" >/dev/null 2>&1 || return 0
  if ! runuser -u "$ES_USER" -- test -x "$STACK_DIR" 2>/dev/null; then
    ES_DIR=${LLM_AUDIT_ES_FALLBACK_DIR:-/var/tmp/llm-audit-stack-$(printf %s "$STACK_DIR" | md5sum | cut -c1-8)/es}
    [[ ${1:-} == create ]] && log "note: user $ES_USER cannot enter $STACK_DIR; Elasticsearch files live in $ES_DIR"
  fi
  return 0
}

ensure_es_user() {
  id -u "$ES_USER" >/dev/null 2>&1 && return 0
  log "creating system user $ES_USER (Elasticsearch refuses to run as root)"
  useradd --system --user-group --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin "$ES_USER" 2>/dev/null || id -u "$ES_USER" >/dev/null
}

es_home() { echo "$ES_DIR/elasticsearch-$ES_VERSION"; }

# ---------------------------------------------------------------- secure mode

SEC_DIR=$STACK_DIR/secure
SEC_ENV=$SEC_DIR/client.env

secret_file() { # <name>: a random secret kept in $SEC_DIR (made once)
  local f=$SEC_DIR/$1
  mkdir -p "$SEC_DIR"
  [[ -s $f ]] || (umask 077; openssl rand -hex 18 >"$f")
  cat "$f"
}

# A CA, a server certificate for 127.0.0.1/localhost signed by it (PEM for Elasticsearch, PKCS12 for
# Kafka), and an unrelated CA that tests use to show that an untrusted certificate is refused.
secure_certs() {
  local c=$SEC_DIR/certs
  [[ -f $c/.complete ]] && return 0
  command -v openssl >/dev/null || die "--secure needs openssl"
  local kt; kt=$(command -v keytool || echo "$(dirname "$(kafka_java)")/keytool")
  [[ -x $kt ]] || die "--secure needs keytool (any JDK)"
  log "secure: generating a CA and certificates for 127.0.0.1 in $c"
  rm -rf "$c"; mkdir -p "$c"; chmod 700 "$SEC_DIR"
  local pw; pw=$(secret_file keystore.pw)
  (
    cd "$c"
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=llm-audit local test CA" -keyout ca.key -out ca.pem 2>/dev/null
    openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=some other CA" -keyout other-ca.key -out other-ca.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -extfile server.ext -out server.pem 2>/dev/null
    openssl pkcs12 -export -in server.pem -inkey server.key -certfile ca.pem -name broker -out broker.p12 -passout "pass:$pw"
    "$kt" -importcert -noprompt -alias ca -file ca.pem -keystore truststore.p12 -storetype PKCS12 -storepass "$pw" >/dev/null 2>&1
    rm -f server.csr server.ext ca.srl other-ca.key
  ) || die "secure: certificate generation failed"
  touch "$c/.complete"
}

write_secure_env() {
  local key=""
  [[ -s $SEC_DIR/es-api-key ]] && key=$(<"$SEC_DIR/es-api-key")
  (umask 077; cat >"$SEC_ENV" <<EOF
# generated by deploy/local/stack.sh up --secure: the client settings of the secure local stack
KAFKA_BROKERS=$KAFKA_BROKERS
KAFKA_SSL=true
KAFKA_SSL_CA_FILE=$SEC_DIR/certs/ca.pem
KAFKA_SASL_MECHANISM=scram-sha-512
KAFKA_SASL_USERNAME=llmaudit
KAFKA_SASL_PASSWORD=$(secret_file kafka-llmaudit.pw)
SECURE_KAFKA_PLAIN_USERNAME=llmaudit-plain
SECURE_KAFKA_PLAIN_PASSWORD=$(secret_file kafka-plain.pw)
SECURE_KAFKA_SCRAM256_USERNAME=llmaudit-256
SECURE_KAFKA_SCRAM256_PASSWORD=$(secret_file kafka-256.pw)
SECURE_UNTRUSTED_CA_FILE=$SEC_DIR/certs/other-ca.pem
ELASTICSEARCH_URL=$ELASTICSEARCH_URL
ELASTICSEARCH_CA_FILE=$SEC_DIR/certs/ca.pem
ELASTICSEARCH_USERNAME=llmaudit
ELASTICSEARCH_PASSWORD=$(secret_file es-llmaudit.pw)
ELASTICSEARCH_API_KEY=$key
EOF
  )
}

write_kafka_client_props() { # for Kafka's own CLI tools against the SASL_SSL listener
  cat >"$K_DIR/config/client.properties" <<EOF
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(secret_file kafka-admin.pw)";
ssl.truststore.type=PKCS12
ssl.truststore.location=$SEC_DIR/certs/truststore.p12
ssl.truststore.password=$(secret_file keystore.pw)
EOF
}

kafka_tls_probe() { # host:port -> the TLS listener completes a handshake with our CA
  [[ -f $SEC_DIR/certs/ca.pem ]] || return 1
  timeout 5 openssl s_client -connect "$1" -CAfile "$SEC_DIR/certs/ca.pem" -verify_return_error </dev/null >/dev/null 2>&1
}

es_secure_users() { # certificates into the config dir and a file-realm superuser, before the node starts
  local conf=$ES_DIR/config jh home; jh=$(es_java_home); home=$(es_home)
  mkdir -p "$conf/certs"
  cp "$SEC_DIR/certs/ca.pem" "$SEC_DIR/certs/server.pem" "$SEC_DIR/certs/server.key" "$conf/certs/"
  grep -q '^llmaudit:' "$conf/users" 2>/dev/null && return 0
  log "secure: creating the Elasticsearch superuser llmaudit (file realm)"
  ES_JAVA_HOME=$jh ES_PATH_CONF=$conf "$home/bin/elasticsearch-users" useradd llmaudit -p "$(secret_file es-llmaudit.pw)" -r superuser \
    >"$ES_DIR/logs/users.log" 2>&1 || { cat "$ES_DIR/logs/users.log" >&2; die "elasticsearch-users useradd failed"; }
}

# The .security index's "email" analyzer needs four components of the analysis-common module, which
# the integ-test-zip leaves out (and which Maven Central has for 7.x only): es-analysis/ provides them as
# a small plugin, compiled here against the node's own jars. Without it: no API keys, no native users.
es_secure_analysis() {
  local home src=$SCRIPT_DIR/es-analysis/LocalAnalysisPlugin.java; home=$(es_home)
  local dir=$home/plugins/llm-audit-analysis stamp
  stamp=$(cksum <"$src" | cut -d' ' -f1)
  [[ -f $dir/.built-$stamp ]] && return 0
  local jh; jh=$(es_java_home)
  [[ -x $jh/bin/javac ]] || die "--secure needs javac (a JDK, not a JRE) in $jh to build deploy/local/es-analysis"
  log "secure: building the analysis plugin for the .security index (deploy/local/es-analysis)"
  rm -rf "$dir" "$ES_DIR/analysis.tmp"; mkdir -p "$dir" "$ES_DIR/analysis.tmp"
  "$jh/bin/javac" --release 17 -nowarn -cp "$home/lib/*" -d "$ES_DIR/analysis.tmp" "$src" >&2 \
    || die "secure: could not compile $src against Elasticsearch $ES_VERSION"
  "$jh/bin/jar" cf "$dir/llm-audit-analysis.jar" -C "$ES_DIR/analysis.tmp" . || die "secure: jar failed"
  rm -rf "$ES_DIR/analysis.tmp"
  cat >"$dir/plugin-descriptor.properties" <<EOF2
description=pattern_capture, uax_url_email, lowercase and unique for the .security index (deploy/local/es-analysis)
version=$ES_VERSION
name=llm-audit-analysis
classname=llmaudit.local.LocalAnalysisPlugin
java.version=17
elasticsearch.version=$ES_VERSION
EOF2
  touch "$dir/.built-$stamp"
}

es_secure_api_key() { # an API key for ELASTICSEARCH_API_KEY, made once, where the distribution can
  [[ -s $SEC_DIR/es-api-key ]] && return 0
  local out key
  out=$(curl -sS -m 20 --cacert "$SEC_DIR/certs/ca.pem" -u "llmaudit:$(secret_file es-llmaudit.pw)" \
    -H 'content-type: application/json' -X POST "$ELASTICSEARCH_URL/_security/api_key" -d '{"name":"llm-audit-local-secure"}' 2>&1) || true
  key=$(sed -n 's/.*"encoded":"\([^"]*\)".*/\1/p' <<<"$out")
  if [[ -z $key ]]; then
    # API keys live in the .security index (see es_secure_analysis); a node started before that
    # plugin existed cannot make one until it is restarted
    log "secure: no Elasticsearch API key (the node answered: $(sed -n 's/.*"reason":"\([^"]*\)".*/\1/p' <<<"$out" | head -1)); ELASTICSEARCH_API_KEY stays empty"
    return 0
  fi
  (umask 077; printf '%s' "$key" >"$SEC_DIR/es-api-key")
  log "secure: created Elasticsearch API key llm-audit-local-secure"
}

# The two sides of the reveal vault as file-realm roles (docs/compliance/reveal-and-erasure.md):
# the pipeline writes the vault and cannot read it; a revealer reads it and appends to the audit.
ES_PROJECT_ROLES='
# llm-audit roles (stack.sh es-user --secure): the vault writer cannot read what it writes
llm-audit-vault-writer:
  indices:
    - names: ["*-vault"]
      privileges: ["create_doc", "create_index", "view_index_metadata", "manage"]
llm-audit-revealer:
  indices:
    - names: ["*-vault"]
      privileges: ["read"]
    - names: ["*-reveal-audit"]
      privileges: ["create_doc", "create_index", "view_index_metadata"]
'

cmd_es_user() { # <name> <role[,role]>: a file-realm user on the running secure node; password from $ES_USER_PASSWORD
  resolve_es_dir
  (( SECURE )) || die "es-user: only the secure stack has users (stack.sh es-user --secure NAME ROLES)"
  local name=${1:-} roles=${2:-}
  [[ $name =~ ^[A-Za-z0-9_.-]+$ && $roles =~ ^[A-Za-z0-9_,.-]+$ ]] || die "usage: stack.sh es-user --secure NAME ROLE[,ROLE] (password in ES_USER_PASSWORD)"
  local pw=${ES_USER_PASSWORD:-}; [[ ${#pw} -ge 6 ]] || die "es-user: set ES_USER_PASSWORD (at least 6 characters)"
  local conf=$ES_DIR/config jh home; jh=$(es_java_home); home=$(es_home)
  [[ -f $conf/users ]] || die "es-user: no $conf/users: run stack.sh up --secure first"
  local -a as_user=()
  (( IS_ROOT )) && as_user=(runuser -u "$(stat -c %U "$conf/users")" --)
  # additive: the roles are appended once; the node reloads roles.yml, users and users_roles by itself
  if ! grep -q '^llm-audit-revealer:' "$conf/roles.yml" 2>/dev/null; then
    "${as_user[@]}" sh -c 'cat >>"$1"' _ "$conf/roles.yml" <<<"$ES_PROJECT_ROLES"
  fi
  local -a users=("${as_user[@]}" env ES_JAVA_HOME="$jh" ES_PATH_CONF="$conf" "$home/bin/elasticsearch-users")
  {
    if grep -q "^$name:" "$conf/users"; then
      "${users[@]}" passwd "$name" -p "$ES_USER_PASSWORD" && "${users[@]}" roles "$name" -a "$roles"
    else
      "${users[@]}" useradd "$name" -p "$ES_USER_PASSWORD" -r "$roles"
    fi
  } >"$ES_DIR/logs/users.log" 2>&1 || { cat "$ES_DIR/logs/users.log" >&2; die "elasticsearch-users failed for $name"; }
  log "secure: file-realm user $name ($roles)"
}

cmd_env() {
  (( SECURE )) || die "env: only the secure stack has client settings to print (stack.sh env --secure)"
  [[ -s $SEC_ENV ]] || die "no $SEC_ENV yet: run stack.sh up --secure"
  grep -v '^#' "$SEC_ENV"
}

# ---------------------------------------------------------------- fetch

fetch_kafka() {
  [[ -f $K_LIB/.complete ]] && return 0
  need_mvn
  local t0; t0=$(now)
  log "fetching Kafka $KAFKA_VERSION and its runtime dependencies with Maven"
  rm -rf "$K_LIB.tmp"; mkdir -p "$K_DIR"
  mvn_q -f "$SCRIPT_DIR/kafka-pom.xml" "$MVN_DEP:copy-dependencies" \
    -DoutputDirectory="$K_LIB.tmp" -Dmdep.useRepositoryLayout=false \
    || die "mvn could not resolve Kafka (see output above)"
  [[ -f $K_LIB.tmp/kafka_2.13-$KAFKA_VERSION.jar ]] || die "kafka_2.13-$KAFKA_VERSION.jar missing after copy-dependencies"
  touch "$K_LIB.tmp/.complete"
  rm -rf "$K_LIB"; mv "$K_LIB.tmp" "$K_LIB"
  log "Kafka jars in $K_LIB ($(ls "$K_LIB" | wc -l) files, $(( $(now) - t0 ))s)"
}

fetch_es() {
  local home; home=$(es_home)
  [[ -f $home/.complete ]] && return 0
  need_mvn
  local t0 dl zip; t0=$(now)
  dl=$STACK_DIR/downloads
  log "fetching Elasticsearch $ES_VERSION ($ES_GA:zip) with Maven"
  mkdir -p "$dl" "$ES_DIR"
  mvn_q "$MVN_DEP:copy" -Dartifact="$ES_GA:$ES_VERSION:zip" -DoutputDirectory="$dl" \
    || die "mvn could not get $ES_GA:$ES_VERSION:zip; run '$0 es-versions' to list what Maven Central has"
  zip=$dl/elasticsearch-$ES_VERSION.zip
  rm -rf "$home" "$ES_DIR/unpack.tmp"; mkdir -p "$ES_DIR/unpack.tmp"
  if command -v unzip >/dev/null; then
    unzip -q "$zip" -d "$ES_DIR/unpack.tmp"
  else # jar(1) ships with every JDK but drops the executable bits
    (cd "$ES_DIR/unpack.tmp" && "$(dirname "$(kafka_java)")/jar" xf "$zip")
    chmod +x "$ES_DIR/unpack.tmp/elasticsearch-$ES_VERSION"/bin/*
  fi
  mv "$ES_DIR/unpack.tmp/elasticsearch-$ES_VERSION" "$home"; rmdir "$ES_DIR/unpack.tmp"
  rm -f "$zip" # Maven keeps its own copy in the local repository
  touch "$home/.complete"
  log "Elasticsearch in $home ($(( $(now) - t0 ))s)"
}

cmd_fetch() {
  resolve_es_dir create
  fetch_kafka
  fetch_es
}

# ---------------------------------------------------------------- kafka

write_kafka_config() {
  mkdir -p "$K_DIR/config" "$K_DIR/data" "$K_DIR/logs"
  local listeners
  if (( SECURE )); then
    local apw kpw ppw; apw=$(secret_file kafka-admin.pw); kpw=$(secret_file keystore.pw); ppw=$(secret_file kafka-plain.pw)
    # the controller listener stays PLAINTEXT on loopback; clients and the broker itself use SASL_SSL
    listeners="listeners=SASL_SSL://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=SASL_SSL://127.0.0.1:$KAFKA_PORT
inter.broker.listener.name=SASL_SSL
listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256,PLAIN,OAUTHBEARER
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"admin\" password=\"$apw\";
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\"$apw\" user_admin=\"$apw\" user_llmaudit-plain=\"$ppw\";
# OAUTHBEARER with Kafka's unsecured (unsigned JWT) validator: proves the client's protocol path, not a token issuer
listener.name.sasl_ssl.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub=\"admin\";
ssl.keystore.type=PKCS12
ssl.keystore.location=$SEC_DIR/certs/broker.p12
ssl.keystore.password=$kpw
ssl.key.password=$kpw
ssl.truststore.type=PKCS12
ssl.truststore.location=$SEC_DIR/certs/truststore.p12
ssl.truststore.password=$kpw
ssl.client.auth=none"
  else
    listeners="listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
  fi
  cat >"$K_DIR/config/server.properties" <<EOF
# generated by deploy/local/stack.sh on every 'up'; edit the script, not this file
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
$listeners
controller.listener.names=CONTROLLER
log.dirs=$K_DIR/data
num.partitions=6
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true
log.cleaner.enable=true
log.retention.hours=168
EOF
  cat >"$K_DIR/config/log4j.properties" <<EOF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$K_DIR/logs/server.log
log4j.appender.file.MaxFileSize=50MB
log4j.appender.file.MaxBackupIndex=3
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.log.LogCleaner=INFO
EOF
  cat >"$K_DIR/config/tools-log4j.properties" <<EOF
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

# JVM options for Kafka's short-lived CLI classes (fast start, quiet logging).
kafka_tool_opts() {
  KT_OPTS=(-Xmx256m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC
    -Dlog4j.configuration="file:$K_DIR/config/tools-log4j.properties" -cp "$K_LIB/*")
}

# Run one of Kafka's CLI classes, e.g. stack.sh kafka-run org.apache.kafka.tools.TopicCommand --list ...
kafka_tool() {
  local cls=$1 java; shift
  java=$(kafka_java); kafka_tool_opts
  "$java" "${KT_OPTS[@]}" "$cls" "$@"
}

start_kafka() {
  if kafka_reachable; then
    log "kafka: already answering at $KAFKA_BROKERS, not starting"
    return 0
  fi
  if [[ -n $KAFKA_BROKERS_SET && $KAFKA_BROKERS != "127.0.0.1:$KAFKA_PORT" ]]; then
    log "warning: KAFKA_BROKERS=$KAFKA_BROKERS does not answer; starting a local broker on 127.0.0.1:$KAFKA_PORT anyway"
  fi
  if kafka_pid >/dev/null; then
    log "kafka: process $(kafka_pid) is running but not answering yet; waiting for it"
    return 0
  fi
  local p
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    port_busy "$p" && die "port $p is in use by something that is not our Kafka (set KAFKA_PORT / KAFKA_CONTROLLER_PORT)"
  done
  write_kafka_config
  if [[ ! -f $K_DIR/data/meta.properties ]]; then
    local id=-
    # a Kafka Uuid: 16 random bytes, base64url, no padding; never starting with '-' (it would read as an option)
    while [[ $id == -* ]]; do id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'); done
    local -a scram=()
    if (( SECURE )); then
      # SCRAM credentials live in the cluster metadata; KRaft writes them at format time
      scram=(--add-scram "SCRAM-SHA-512=[name=admin,password=$(secret_file kafka-admin.pw)]"
        --add-scram "SCRAM-SHA-512=[name=llmaudit,password=$(secret_file kafka-llmaudit.pw)]"
        --add-scram "SCRAM-SHA-256=[name=llmaudit-256,password=$(secret_file kafka-256.pw)]")
    fi
    log "kafka: formatting KRaft storage (cluster id $id)${scram[0]:+ with SCRAM users admin, llmaudit, llmaudit-256}"
    kafka_tool kafka.tools.StorageTool format -t "$id" -c "$K_DIR/config/server.properties" "${scram[@]+"${scram[@]}"}" \
      >"$K_DIR/logs/format.log" 2>&1 || { cat "$K_DIR/logs/format.log" >&2; die "kafka storage format failed"; }
  fi
  log "kafka: starting $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (controller :$KAFKA_CONTROLLER_PORT)"
  local java; java=$(kafka_java)
  # setsid: the broker outlives the calling shell and its process group.
  # shellcheck disable=SC2086
  setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$K_PID" \
    "$java" $KAFKA_HEAP_OPTS -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
    -Djava.awt.headless=true -Dkafka.logs.dir="$K_DIR/logs" \
    -Dlog4j.configuration="file:$K_DIR/config/log4j.properties" \
    -cp "$K_LIB/*" kafka.Kafka "$K_DIR/config/server.properties" \
    </dev/null >"$K_DIR/logs/stdout.log" 2>&1 9>&- &
  local i; for i in 1 2 3 4 5 6 7 8 9 10; do [[ -s $K_PID ]] && break; sleep 0.1; done
}

wait_kafka() {
  local deadline=$(( $(now) + KAFKA_START_TIMEOUT ))
  until kafka_reachable; do
    if ! kafka_pid >/dev/null && [[ -s $K_PID ]]; then
      tail -n 30 "$K_DIR/logs/server.log" "$K_DIR/logs/stdout.log" >&2 2>/dev/null || true
      die "kafka exited during startup (logs above, full: $K_DIR/logs)"
    fi
    (( $(now) < deadline )) || die "kafka not answering after ${KAFKA_START_TIMEOUT}s (see $K_DIR/logs/server.log)"
    sleep 0.5
  done
  # The listener answers; make sure metadata requests work too (one JVM, ~2s).
  local first=${KAFKA_BROKERS%%,*} java; java=$(kafka_java); kafka_tool_opts
  local -a cc=()
  if (( SECURE )); then write_kafka_client_props; cc=(--command-config "$K_DIR/config/client.properties"); fi
  until timeout 30 "$java" "${KT_OPTS[@]}" org.apache.kafka.tools.TopicCommand \
      --bootstrap-server "${first#*://}" "${cc[@]+"${cc[@]}"}" --list >/dev/null 2>"$K_DIR/logs/health.err"; do
    (( $(now) < deadline )) || { cat "$K_DIR/logs/health.err" >&2; die "kafka answers ApiVersions but not metadata after ${KAFKA_START_TIMEOUT}s"; }
    sleep 1
  done
  log "kafka: healthy at $KAFKA_BROKERS"
}

# ---------------------------------------------------------------- elasticsearch

es_has_setting() { # <setting key>: is it declared in this distribution's x-pack-core?
  local jar
  jar=$(ls "$(es_home)"/modules/x-pack-core/x-pack-core-*.jar 2>/dev/null | head -1)
  [[ -n $jar ]] && unzip -p "$jar" org/elasticsearch/xpack/core/XPackSettings.class 2>/dev/null | grep -aq -- "$1"
}

write_es_config() {
  local home conf; home=$(es_home); conf=$ES_DIR/config
  mkdir -p "$ES_DIR/data" "$ES_DIR/logs" "$ES_DIR/run" "$ES_DIR/tmp"
  if [[ ! -f $conf/.from-$ES_VERSION ]]; then
    rm -rf "$conf"; cp -r "$home/config" "$conf"; touch "$conf/.from-$ES_VERSION"
  fi
  {
    echo "# generated by deploy/local/stack.sh on every 'up'; edit the script, not this file"
    echo "cluster.name: llm-audit-local"
    echo "node.name: llm-audit-local-1"
    echo "discovery.type: single-node"
    echo "network.host: 127.0.0.1"
    echo "http.port: $ES_PORT"
    echo "transport.port: $ES_TRANSPORT_PORT"
    echo "path.data: $ES_DIR/data"
    echo "path.logs: $ES_DIR/logs"
    if (( SECURE )); then
      echo "xpack.security.enabled: true"
      echo "xpack.security.http.ssl.enabled: true"
      echo "xpack.security.http.ssl.key: certs/server.key"
      echo "xpack.security.http.ssl.certificate: certs/server.pem"
      echo "xpack.security.http.ssl.certificate_authorities: [certs/ca.pem]"
      echo "xpack.security.transport.ssl.enabled: true"
      echo "xpack.security.transport.ssl.verification_mode: certificate"
      echo "xpack.security.transport.ssl.key: certs/server.key"
      echo "xpack.security.transport.ssl.certificate: certs/server.pem"
      echo "xpack.security.transport.ssl.certificate_authorities: [certs/ca.pem]"
      echo "xpack.security.authc.api_key.enabled: true"
    else
      echo "xpack.security.enabled: false"
    fi
    # Unknown settings stop Elasticsearch, so set only those this build declares.
    if command -v unzip >/dev/null && es_has_setting xpack.ml.enabled; then echo "xpack.ml.enabled: false"; fi
    echo "cluster.routing.allocation.disk.threshold_enabled: false"
    echo "action.destructive_requires_name: false"
  } >"$conf/elasticsearch.yml"
}

start_es() {
  if es_health >/dev/null; then
    log "elasticsearch: already answering at $ELASTICSEARCH_URL, not starting"
    return 0
  fi
  if [[ -n $ELASTICSEARCH_URL_SET && $ELASTICSEARCH_URL != "http://127.0.0.1:$ES_PORT" ]]; then
    log "warning: ELASTICSEARCH_URL=$ELASTICSEARCH_URL does not answer; starting a local node on 127.0.0.1:$ES_PORT anyway"
  fi
  if es_pid >/dev/null; then
    log "elasticsearch: process $(es_pid) is running but not answering yet; waiting for it"
    return 0
  fi
  local p
  for p in "$ES_PORT" "$ES_TRANSPORT_PORT"; do
    port_busy "$p" && die "port $p is in use by something that is not our Elasticsearch (set ES_PORT / ES_TRANSPORT_PORT)"
  done
  write_es_config
  if (( SECURE )); then es_secure_users; es_secure_analysis; fi
  local jh home; jh=$(es_java_home); home=$(es_home)
  rm -f "$ES_DIR/run/es.pid"
  local -a as_user=()
  if (( IS_ROOT )); then
    chown -R "$ES_USER:" "$ES_DIR"
    as_user=(runuser -u "$ES_USER" --)
  fi
  log "elasticsearch: starting $ES_VERSION on 127.0.0.1:$ES_PORT with Java $(jdk_major "$jh") ($jh)${as_user:+ as user $ES_USER}"
  # -d: the launcher returns once the node has started (or failed) and leaves a single JVM behind.
  (
    cd "$ES_DIR/logs" # jvm.options puts gc.log and hs_err files in the working directory
    exec setsid "${as_user[@]}" env -u JAVA_HOME -u JAVA_TOOL_OPTIONS -u _JAVA_OPTIONS \
      ES_JAVA_HOME="$jh" ES_PATH_CONF="$ES_DIR/config" ES_TMPDIR="$ES_DIR/tmp" \
      ES_JAVA_OPTS="$ES_JAVA_OPTS" CLI_JAVA_OPTS="-XX:TieredStopAtLevel=1 ${CLI_JAVA_OPTS:-}" \
      "$home/bin/elasticsearch" -d -p "$ES_DIR/run/es.pid" </dev/null >"$ES_DIR/logs/stdout.log" 2>&1 9>&-
  ) &
  ES_LAUNCHER=$!
}

wait_es() {
  local deadline=$(( $(now) + ES_START_TIMEOUT ))
  until es_health '?wait_for_status=yellow&timeout=2s' 5 >/dev/null; do
    if [[ -n ${ES_LAUNCHER:-} ]] && ! kill -0 "$ES_LAUNCHER" 2>/dev/null && ! es_pid >/dev/null; then
      wait "$ES_LAUNCHER" 2>/dev/null || true
      tail -n 40 "$ES_DIR/logs/stdout.log" >&2 2>/dev/null || true
      die "elasticsearch exited during startup (output above, logs: $ES_DIR/logs)"
    fi
    (( $(now) < deadline )) || die "elasticsearch not yellow after ${ES_START_TIMEOUT}s (see $ES_DIR/logs)"
    sleep 1
  done
  log "elasticsearch: healthy at $ELASTICSEARCH_URL ($(es_health | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p'))"
}

# ---------------------------------------------------------------- commands

cmd_up() {
  local t0; t0=$(now)
  resolve_es_dir create
  local need_k=1 need_e=1
  kafka_reachable && need_k=0
  es_health >/dev/null && need_e=0
  if (( !need_k && !need_e )); then
    if (( SECURE )); then es_secure_api_key; write_secure_env; fi
    log "up: kafka ($KAFKA_BROKERS) and elasticsearch ($ELASTICSEARCH_URL) already healthy"
    return 0
  fi
  (( need_k )) && fetch_kafka
  (( need_e )) && fetch_es
  if (( SECURE )); then secure_certs; fi
  (( need_k )) && start_kafka
  (( need_e )) && start_es
  (( need_k )) && wait_kafka
  (( need_e )) && wait_es
  if (( SECURE )); then es_secure_api_key; write_secure_env; log "up --secure: client settings in $SEC_ENV (stack.sh env --secure)"; fi
  log "up: done in $(( $(now) - t0 ))s  KAFKA_BROKERS=$KAFKA_BROKERS  ELASTICSEARCH_URL=$ELASTICSEARCH_URL"
}

stop_pid() { # <name> <pid> <grace seconds>
  local name=$1 pid=$2 grace=$3 i
  log "$name: stopping pid $pid (SIGTERM)"
  kill -TERM "$pid" 2>/dev/null || return 0
  for (( i = 0; i < grace * 5; i++ )); do
    kill -0 "$pid" 2>/dev/null || { log "$name: stopped"; return 0; }
    sleep 0.2
  done
  log "$name: still running after ${grace}s, SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.5
}

cmd_down() { # [kafka|es]: only that one (the outage tests stop Elasticsearch alone); default both
  resolve_es_dir
  local p which=${1:-all}
  if [[ $which == all || $which == es ]]; then
    if p=$(es_pid); then stop_pid elasticsearch "$p" 60; else log "elasticsearch: not running (no live pid in $ES_DIR/run/es.pid)"; fi
    rm -f "$ES_DIR/run/es.pid"
  fi
  if [[ $which == all || $which == kafka ]]; then
    if p=$(kafka_pid); then stop_pid kafka "$p" 60; else log "kafka: not running (no live pid in $K_PID)"; fi
    rm -f "$K_PID"
  fi
}

cmd_status() {
  resolve_es_dir
  local rc=0 p h
  if kafka_reachable; then
    p=$(kafka_pid || echo "not ours"); echo "kafka:         healthy  $KAFKA_BROKERS  (pid $p)"
  else
    p=$(kafka_pid || echo "-"); echo "kafka:         DOWN     $KAFKA_BROKERS  (pid $p)"; rc=3
  fi
  if h=$(es_health); then
    p=$(es_pid || echo "not ours")
    echo "elasticsearch: $(sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' <<<"$h")   $ELASTICSEARCH_URL  (pid $p)"
  else
    p=$(es_pid || echo "-"); echo "elasticsearch: DOWN     $ELASTICSEARCH_URL  (pid $p)"; rc=3
  fi
  return $rc
}

cmd_logs() {
  resolve_es_dir
  local follow=() which=all a
  for a in "$@"; do
    case $a in -f|--follow) follow=(-F) ;; kafka|es|elasticsearch) which=$a ;; *) die "usage: $0 logs [-f] [kafka|es]" ;; esac
  done
  local files=()
  [[ $which == es* ]] || files+=("$K_DIR/logs/server.log")
  [[ $which == kafka ]] || files+=("$ES_DIR/logs/llm-audit-local.log")
  tail -n 100 "${follow[@]}" "${files[@]}"
}

cmd_es_versions() { # the versions Maven Central's maven-metadata.xml lists for the integ-test-zip
  need_mvn
  local tmp g=${ES_GA%%:*} a=${ES_GA##*:} meta; tmp=$(mktemp -d)
  cat >"$tmp/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>x</groupId><artifactId>es-versions</artifactId><version>1</version><packaging>pom</packaging>
<dependencies><dependency><groupId>$g</groupId><artifactId>$a</artifactId>
<version>[0,)</version><type>pom</type></dependency></dependencies></project>
EOF
  # A version range makes Maven fetch maven-metadata.xml (-U: fresh) into the local repository.
  mvn -q -B -U -f "$tmp/pom.xml" "$MVN_DEP:resolve" -DexcludeTransitive=true >/dev/null 2>&1 || true
  meta=$(ls "${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}/${g//.//}/$a"/maven-metadata-*.xml 2>/dev/null | head -1)
  [[ -n $meta ]] || { rm -rf "$tmp"; die "Maven could not read the metadata of $ES_GA"; }
  sed -n 's/.*<version>\(.*\)<\/version>.*/\1/p' "$meta" | sort -V | tr '\n' ' '; echo
  rm -rf "$tmp"
}

lock() { # one fetch/up/down at a time per cache (tests and engineers may call `up` together)
  mkdir -p "$STACK_DIR"
  command -v flock >/dev/null || return 0
  exec 9>"$STACK_DIR/.lock"
  flock -w 600 9 || die "another stack.sh holds $STACK_DIR/.lock"
}

# deploy/local/cluster.sh sources this file for its functions and settings, without running a command.
[[ ${LLM_AUDIT_STACK_LIB:-} == 1 ]] && return 0

case ${1:-} in
  fetch|up|down) lock ;;
esac

case ${1:-} in
  fetch) cmd_fetch ;;
  up) cmd_up ;;
  down) shift; cmd_down "$@" ;;
  status) cmd_status ;;
  logs) shift; cmd_logs "$@" ;;
  es-versions) cmd_es_versions ;;
  env) cmd_env ;;
  es-user) shift; cmd_es_user "$@" ;;
  kafka-run) shift; [[ -f $K_LIB/.complete ]] || fetch_kafka; mkdir -p "$K_DIR/config"; [[ -f $K_DIR/config/tools-log4j.properties ]] || write_kafka_config; kafka_tool "$@" ;;
  *) echo "usage: $0 fetch|up|down|status|logs [-f] [kafka|es]|es-versions|kafka-run <class> [args]|env --secure|es-user --secure NAME ROLES (up/down/status --secure: the secured instance)" >&2; exit 2 ;;
esac
