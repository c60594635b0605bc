{{/* Chart name, truncated to the 63 characters a label allows. */}}
{{- define "newhms.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name of the app's objects. */}}
{{- define "newhms.fullname" -}}
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

{{/* Labels of every object of the release, without a component. */}}
{{- define "newhms.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/name: {{ include "newhms.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels of the server's objects. */}}
{{- define "newhms.labels" -}}
{{ include "newhms.commonLabels" . }}
app.kubernetes.io/component: server
{{- end }}

{{- define "newhms.selectorLabels" -}}
app.kubernetes.io/name: {{ include "newhms.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end }}

{{- define "newhms.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "newhms.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding NEWHMS_TOKEN_SECRET, NEWHMS_ADMIN_PASSWORD and (external database) DATABASE_URL. */}}
{{- define "newhms.secretName" -}}
{{- default (include "newhms.fullname" .) .Values.secrets.existingSecret }}
{{- end }}

{{/* Name of the CloudNativePG Cluster; the operator derives <name>-rw (service) and <name>-app (secret). */}}
{{- define "newhms.cnpgName" -}}
{{- printf "%s-db" (include "newhms.fullname" .) | trunc 50 | trimSuffix "-" }}
{{- end }}

{{/* NATS_URL: an external server when natsUrl is set, else the NATS subchart's client service when enabled. */}}
{{- define "newhms.natsUrl" -}}
{{- if .Values.natsUrl }}
{{- .Values.natsUrl }}
{{- else if .Values.nats.enabled }}
{{- $nats := .Values.nats | default dict }}
{{- $name := default "nats" $nats.nameOverride }}
{{- $full := "" }}
{{- if $nats.fullnameOverride }}
{{- $full = $nats.fullnameOverride }}
{{- else if contains $name .Release.Name }}
{{- $full = .Release.Name }}
{{- else }}
{{- $full = printf "%s-%s" .Release.Name $name }}
{{- end }}
{{- printf "nats://%s.%s.svc:4222" ($full | trunc 63 | trimSuffix "-") .Release.Namespace }}
{{- end }}
{{- end }}
