{{- define "llm-audit.name" -}}{{ .Chart.Name }}{{- end -}}

{{- define "llm-audit.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}{{ .Release.Name | trunc 50 | trimSuffix "-" }}{{- else -}}{{ printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" }}{{- end -}}
{{- end -}}

{{- define "llm-audit.labels" -}}
app.kubernetes.io/name: {{ include "llm-audit.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "llm-audit.selector" -}}
app.kubernetes.io/name: {{ include "llm-audit.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "llm-audit.image" -}}{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}{{- end -}}

{{/* Consumers beyond the partition count would sit idle: every replica number is capped at kafka.partitions. */}}
{{- define "llm-audit.cap" -}}{{ min (int .n) (int .root.Values.kafka.partitions) }}{{- end -}}

{{/* Environment shared by every llm-audit container: Kafka, Elasticsearch, logging. Secrets by reference only. */}}
{{- define "llm-audit.commonEnv" -}}
- name: KAFKA_BROKERS
  value: {{ .Values.kafka.brokers | quote }}
- name: LLM_AUDIT_USAGE_TOPIC
  value: {{ .Values.kafka.usageTopic | quote }}
- name: LLM_AUDIT_ALERTS_TOPIC
  value: {{ .Values.kafka.alertsTopic | quote }}
- name: LLM_AUDIT_DLQ_TOPIC
  value: {{ .Values.kafka.dlqTopic | quote }}
- name: LLM_AUDIT_TOPIC_PARTITIONS
  value: {{ .Values.kafka.partitions | quote }}
- name: LLM_AUDIT_TOPIC_REPLICATION
  value: {{ .Values.kafka.topicReplication | quote }}
- name: ELASTICSEARCH_URL
  value: {{ .Values.elasticsearch.url | quote }}
{{- with .Values.elasticsearch.username }}
- name: ELASTICSEARCH_USERNAME
  value: {{ . | quote }}
{{- end }}
{{- if .Values.elasticsearch.passwordSecret.name }}
- name: ELASTICSEARCH_PASSWORD
  valueFrom:
    secretKeyRef: { name: {{ .Values.elasticsearch.passwordSecret.name | quote }}, key: {{ .Values.elasticsearch.passwordSecret.key | quote }} }
{{- end }}
{{- if .Values.elasticsearch.apiKeySecret.name }}
- name: ELASTICSEARCH_API_KEY
  valueFrom:
    secretKeyRef: { name: {{ .Values.elasticsearch.apiKeySecret.name | quote }}, key: {{ .Values.elasticsearch.apiKeySecret.key | quote }} }
{{- end }}
{{- if .Values.elasticsearch.caSecret.name }}
- name: ELASTICSEARCH_CA_FILE
  value: /run/secrets/llm-audit/es-ca/{{ .Values.elasticsearch.caSecret.key }}
{{- end }}
- name: LLM_AUDIT_INDEX_PREFIX
  value: {{ .Values.indexPrefix | quote }}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "llm-audit.tmpVolume" -}}
- name: tmp
  emptyDir: {}
{{- if .Values.elasticsearch.caSecret.name }}
- name: es-ca
  secret: { secretName: {{ .Values.elasticsearch.caSecret.name | quote }} }
{{- end }}
{{- end -}}

{{- define "llm-audit.commonMounts" -}}
- { name: tmp, mountPath: /tmp }
{{- if .Values.elasticsearch.caSecret.name }}
- { name: es-ca, mountPath: /run/secrets/llm-audit/es-ca, readOnly: true }
{{- end }}
{{- end -}}

{{- define "llm-audit.probes" -}}
startupProbe:
  httpGet: { path: /healthz, port: {{ .port }} }
  periodSeconds: 5
  failureThreshold: 60
livenessProbe:
  httpGet: { path: /healthz, port: {{ .port }} }
  periodSeconds: 15
  failureThreshold: 4
readinessProbe:
  httpGet: { path: /healthz, port: {{ .port }} }
  periodSeconds: 10
{{- end -}}
