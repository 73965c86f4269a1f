#!/usr/bin/env bash
# Probes which Elasticsearch features the running node supports (the Maven Central
# integ-test-zip is a minimal distribution). Prints a Markdown table; the one in
# deploy/local/README.md comes from here. Creates and deletes indices named probe-*.
#   bash deploy/local/es-probe.sh [ELASTICSEARCH_URL]
set -euo pipefail
ES=${1:-${ELASTICSEARCH_URL:-http://127.0.0.1:9200}}
ES=${ES%/}

req() { # method path [json body] -> "<http status> <short body>"
  local m=$1 p=$2 body=${3:-} out code
  if [[ -n $body ]]; then
    out=$(curl -sS -m 20 -X "$m" "$ES$p" -H 'content-type: application/json' --data-binary "$body" -w '\n%{http_code}')
  else
    out=$(curl -sS -m 20 -X "$m" "$ES$p" -w '\n%{http_code}')
  fi
  code=${out##*$'\n'}; out=${out%$'\n'*}
  # the reason of the first root cause, else the body's start
  local reason
  reason=$(sed -n 's/.*"reason":"\([^"]*\)".*/\1/p' <<<"$out" | head -1)
  printf '%s %s' "$code" "${reason:-$(head -c 120 <<<"$out")}"
}

row() { # feature, expected-by-us, method, path, [body]
  local feature=$1; shift
  local r code; r=$(req "$@"); code=${r%% *}
  local verdict=no
  [[ $code =~ ^2 ]] && verdict=yes
  printf '| %s | `%s %s` | %s | %s |\n' "$feature" "$1" "${2%%\?*}" "$verdict" "$(tr '|\n' '/ ' <<<"$r" | tr -s ' ' | head -c 140)"
}

curl -sS -m 5 -X DELETE "$ES/probe-*" >/dev/null || true
curl -sS -m 5 -X DELETE "$ES/_index_template/probe-*" >/dev/null || true

echo "| feature | request | works | status and reason |"
echo "|---|---|---|---|"
row "root endpoint (client info()/ping())" GET /
row "cluster health" GET '/_cluster/health?wait_for_status=yellow&timeout=5s'
row "create index with keyword/text/date/long/ip/geo_point/boolean/flattened/object" PUT /probe-a '{"mappings":{"properties":{"k":{"type":"keyword"},"t":{"type":"text"},"d":{"type":"date"},"n":{"type":"long"},"ip":{"type":"ip"},"g":{"type":"geo_point"},"b":{"type":"boolean"},"f":{"type":"flattened"},"o":{"type":"object","enabled":false}}}}'
row "_bulk" POST '/_bulk?refresh=true' $'{"index":{"_index":"probe-a","_id":"1"}}\n{"k":"key-1","t":"hello world","d":"2026-01-01T00:00:00Z","n":5,"ip":"10.0.0.1","g":"52.5,13.4","b":true,"f":{"x":"y"}}\n{"index":{"_index":"probe-a","_id":"2"}}\n{"k":"key-2","t":"second doc","d":"2026-01-01T00:01:00Z","n":7,"ip":"10.0.0.2","b":false}\n'
row "search: match + bool + range" POST /probe-a/_search '{"query":{"bool":{"must":{"match":{"t":"hello"}},"filter":{"range":{"d":{"gte":"2025-01-01"}}}}}}'
row "aggs: terms, date_histogram, cardinality, percentiles, composite" POST /probe-a/_search '{"size":0,"aggs":{"t":{"terms":{"field":"k"}},"h":{"date_histogram":{"field":"d","fixed_interval":"1m"}},"c":{"cardinality":{"field":"k"}},"p":{"percentiles":{"field":"n"}},"co":{"composite":{"sources":[{"k":{"terms":{"field":"k"}}}]}}}}'
row "search_after + sort" POST /probe-a/_search '{"sort":[{"d":"asc"},{"k":"asc"}],"search_after":["2026-01-01T00:00:00Z","key-1"]}'
row "point in time: open (POST /idx/_pit)" POST '/probe-a/_pit?keep_alive=1m'
pit=$(curl -sS -X POST "$ES/probe-a/_pit?keep_alive=1m" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
row "point in time: search with pit" POST /_search "{\"pit\":{\"id\":\"$pit\",\"keep_alive\":\"1m\"},\"sort\":[{\"d\":\"asc\"}]}"
row "point in time: close" DELETE /_pit "{\"id\":\"$pit\"}"
row "scroll" POST '/probe-a/_search?scroll=1m' '{"size":1}'
row "_count" POST /probe-a/_count '{"query":{"term":{"k":"key-1"}}}'
row "_mget" POST /probe-a/_mget '{"ids":["1","2"]}'
row "_msearch" POST /_msearch $'{"index":"probe-a"}\n{"query":{"match_all":{}}}\n'
row "index with op_type=create (_create; a repeat gives 409)" PUT '/probe-a/_create/3' '{"k":"key-3"}'
row "update doc (partial doc, no script)" POST /probe-a/_update/1 '{"doc":{"n":6}}'
row "update with script (painless)" POST /probe-a/_update/1 '{"script":{"source":"ctx._source.n += 1"}}'
row "script query / script_score (painless)" POST /probe-a/_search '{"query":{"script_score":{"query":{"match_all":{}},"script":{"source":"doc[\"n\"].value"}}}}'
row "runtime field without script (from _source)" POST /probe-a/_search '{"runtime_mappings":{"k2":{"type":"keyword"}},"fields":["k2"]}'
row "runtime field with script (painless)" POST /probe-a/_search '{"runtime_mappings":{"k3":{"type":"long","script":"emit(1)"}},"fields":["k3"]}'
row "_delete_by_query (reindex module)" POST /probe-a/_delete_by_query '{"query":{"term":{"k":"nope"}}}'
row "_update_by_query (reindex module)" POST /probe-a/_update_by_query '{"query":{"term":{"k":"nope"}}}'
row "_reindex (reindex module)" POST /_reindex '{"source":{"index":"probe-a"},"dest":{"index":"probe-b"}}'
row "composable index template (_index_template)" PUT /_index_template/probe-t '{"index_patterns":["probe-t-*"],"template":{"settings":{"number_of_shards":1},"mappings":{"properties":{"k":{"type":"keyword"}}}}}'
row "component template (_component_template)" PUT /_component_template/probe-c '{"template":{"mappings":{"properties":{"x":{"type":"keyword"}}}}}'
row "legacy template (_template)" PUT /_template/probe-l '{"index_patterns":["probe-l-*"],"mappings":{"properties":{"k":{"type":"keyword"}}}}'
row "aliases + rollover (write alias)" PUT /probe-r-000001 '{"aliases":{"probe-r":{"is_write_index":true}}}'
row "rollover" POST /probe-r/_rollover
row "ILM policy (_ilm)" PUT /_ilm/policy/probe-p '{"policy":{"phases":{"hot":{"actions":{"rollover":{"max_age":"1d"}}}}}}'
row "index.lifecycle.name setting" PUT /probe-ilm '{"settings":{"index.lifecycle.name":"probe-p"}}'
row "data stream template (data_stream: {})" PUT /_index_template/probe-ds '{"index_patterns":["probe-ds*"],"data_stream":{},"template":{"mappings":{"properties":{"@timestamp":{"type":"date"}}}}}'
# Not probed here on purpose: indexing into a name that matches a data_stream template DOES
# auto-create the stream, and without the data-streams module it can never be deleted.
row "create data stream (_data_stream)" PUT /_data_stream/probe-ds
row "ingest pipeline with processors (set, rename)" PUT /_ingest/pipeline/probe-ip '{"processors":[{"set":{"field":"x","value":"y"}}]}'
row "ingest pipeline with no processors" PUT /_ingest/pipeline/probe-empty '{"processors":[]}'
row "keyword normalizer with lowercase filter" PUT /probe-n '{"settings":{"analysis":{"normalizer":{"lc":{"type":"custom","filter":["lowercase"]}}}},"mappings":{"properties":{"k":{"type":"keyword","normalizer":"lc"}}}}'
row "custom analyzer (standard tokenizer + lowercase + asciifolding)" PUT /probe-an '{"settings":{"analysis":{"analyzer":{"a":{"type":"custom","tokenizer":"standard","filter":["lowercase","asciifolding"]}}}}}'
row "mapping: match_only_text / scaled_float (mapper-extras)" PUT /probe-me '{"mappings":{"properties":{"m":{"type":"match_only_text"}}}}'
row "mapping: wildcard" PUT /probe-w '{"mappings":{"properties":{"w":{"type":"wildcard"}}}}'
row "mapping: constant_keyword" PUT /probe-ck '{"mappings":{"properties":{"c":{"type":"constant_keyword","value":"x"}}}}'
row "mapping: unsigned_long" PUT /probe-ul '{"mappings":{"properties":{"u":{"type":"unsigned_long"}}}}'
row "mapping: dense_vector" PUT /probe-dv '{"mappings":{"properties":{"v":{"type":"dense_vector","dims":3}}}}'
row "search template (mustache)" POST /probe-a/_search/template '{"source":{"query":{"match_all":{}}}}'
row "async search" POST /probe-a/_async_search '{"query":{"match_all":{}}}'
row "ES\\|QL (_query)" POST /_query '{"query":"FROM probe-a | LIMIT 1"}'
row "SQL (_sql)" POST /_sql '{"query":"SELECT 1"}'
row "_cat/indices" GET '/_cat/indices/probe-*?v'
row "license API (x-pack-core)" GET /_license
row "_nodes/plugins" GET '/_nodes/plugins?filter_path=nodes.*.modules.name'
row "delete index by wildcard (destructive_requires_name off)" DELETE '/probe-*'
curl -sS -m 5 -X DELETE "$ES/_index_template/probe-*" >/dev/null || true
curl -sS -m 5 -X DELETE "$ES/_component_template/probe-*" >/dev/null || true
curl -sS -m 5 -X DELETE "$ES/_template/probe-*" >/dev/null || true
