{{/* Chart name, overridable with nameOverride. */}}
{{- define "foresight.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Fully qualified app name (at most 63 characters). A release name that already contains the
chart name is used as it is.
*/}}
{{- define "foresight.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "foresight.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "foresight.selectorLabels" -}}
app.kubernetes.io/name: {{ include "foresight.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "foresight.labels" -}}
helm.sh/chart: {{ include "foresight.chart" . }}
{{ include "foresight.selectorLabels" . }}
app.kubernetes.io/component: operator
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "foresight.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "foresight.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
"true" when leader election is on: leaderElection.enabled true, or auto with more than one
replica. More than one replica without leader election is refused.
*/}}
{{- define "foresight.leaderElect" -}}
{{- $setting := toString .Values.leaderElection.enabled }}
{{- $replicas := int .Values.replicaCount }}
{{- if eq $setting "auto" }}
{{- if gt $replicas 1 }}true{{ else }}false{{ end }}
{{- else if eq $setting "true" }}true
{{- else if eq $setting "false" }}
{{- if gt $replicas 1 }}
{{- fail "leaderElection.enabled=false needs replicaCount 1: several operators without leader election would scale the same workloads" }}
{{- end }}false
{{- else }}
{{- fail (printf "leaderElection.enabled must be auto, true or false, not %q" $setting) }}
{{- end }}
{{- end }}

{{- define "foresight.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion (toString .Values.image.tag)) }}
{{- end }}
