{{/* Chart name. */}}
{{- define "iaw.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: release-chart, unless the release name already contains the chart name. */}}
{{- define "iaw.fullname" -}}
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

{{- define "iaw.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "iaw.selectorLabels" -}}
app.kubernetes.io/name: {{ include "iaw.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "iaw.labels" -}}
helm.sh/chart: {{ include "iaw.chart" . }}
{{ include "iaw.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: worker
{{- end }}

{{- define "iaw.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "iaw.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The Secret holding AZURE_CLIENT_SECRET, and its key; empty with workload identity. */}}
{{- define "iaw.secretName" -}}
{{- if .Values.azure.clientSecret.existingSecret }}
{{- .Values.azure.clientSecret.existingSecret }}
{{- else }}
{{- include "iaw.fullname" . }}
{{- end }}
{{- end }}

{{- define "iaw.secretKey" -}}
{{- if .Values.azure.clientSecret.existingSecret }}
{{- .Values.azure.clientSecret.existingSecretKey }}
{{- else -}}
client-secret
{{- end }}
{{- end }}

{{/* The most replicas that can run at once (the budget is split between them). */}}
{{- define "iaw.maxReplicas" -}}
{{- if .Values.autoscaling.enabled }}
{{- .Values.autoscaling.maxReplicas | int }}
{{- else }}
{{- .Values.replicaCount | int }}
{{- end }}
{{- end }}

{{/* Seconds in a duration written as 20s, 1m, 1500ms or a bare number of seconds. */}}
{{- define "iaw.seconds" -}}
{{- $d := toString . | trim }}
{{- if hasSuffix "ms" $d }}
{{- div (trimSuffix "ms" $d | int) 1000 }}
{{- else if hasSuffix "s" $d }}
{{- trimSuffix "s" $d | int }}
{{- else if hasSuffix "m" $d }}
{{- mul (trimSuffix "m" $d | int) 60 }}
{{- else if hasSuffix "h" $d }}
{{- mul (trimSuffix "h" $d | int) 3600 }}
{{- else }}
{{- $d | int }}
{{- end }}
{{- end }}

{{/* The worker's environment: every setting that is set (not null, not ""). The client secret is separate. */}}
{{- define "iaw.workerEnv" -}}
{{- $v := .Values }}
{{- $env := list
  (list "SPRING_KAFKA_BOOTSTRAP_SERVERS" $v.kafka.bootstrapServers)
  (list "SPRING_KAFKA_CONSUMER_GROUP_ID" $v.kafka.consumerGroupId)
  (list "WORKER_TOPICS_REQUESTS" $v.topics.requests)
  (list "WORKER_TOPICS_RESULTS" $v.topics.results)
  (list "WORKER_TOPICS_DEAD_LETTER" $v.topics.deadLetter)
  (list "WORKER_TOPICS_STRATEGIES" $v.topics.strategies)
  (list "WORKER_TOPICS_BY_POLICY" $v.topics.byPolicy)
  (list "WORKER_TOPICS_ROLLOUTS" $v.topics.rollouts)
  (list "WORKER_TOPICS_ROLLOUT_MANIFESTS" $v.topics.rolloutManifests)
  (list "WORKER_TOPICS_LEDGER" $v.topics.ledger)
  (list "WORKER_TOPICS_ROLLBACK_REQUESTS" $v.topics.rollbackRequests)
  (list "WORKER_TOPICS_CREATE_MISSING" $v.topics.createMissing)
  (list "WORKER_TOPICS_PARTITIONS" $v.topics.partitions)
  (list "WORKER_TOPICS_REPLICATION_FACTOR" $v.topics.replicationFactor)
  (list "AZURE_TENANT_ID" $v.azure.tenantId)
  (list "AZURE_CLIENT_ID" $v.azure.clientId)
  (list "AZURE_AUTHORITY_HOST" $v.azure.authorityHost)
  (list "WORKER_GRAPH_BASE_URL" $v.graph.baseUrl)
  (list "WORKER_GRAPH_CONNECT_TIMEOUT" $v.graph.connectTimeout)
  (list "WORKER_GRAPH_REQUEST_TIMEOUT" $v.graph.requestTimeout)
  (list "WORKER_GRAPH_KNOWN_ASSIGNMENTS_TTL" $v.graph.knownAssignmentsTtl)
  (list "WORKER_GRAPH_MAX_READ_AGE" $v.graph.maxReadAge)
  (list "WORKER_GRAPH_STRATEGY" $v.graph.strategy)
  (list "WORKER_GRAPH_MAX_CONCURRENT_CALLS" $v.graph.maxConcurrentCalls)
  (list "WORKER_SCHEDULING_WRITE_BUDGET" $v.scheduling.writeBudget)
  (list "WORKER_SCHEDULING_REQUEST_BUDGET" $v.scheduling.requestBudget)
  (list "WORKER_SCHEDULING_SHARE_BUDGET_BY_PARTITIONS" $v.scheduling.shareBudgetByPartitions)
  (list "WORKER_SCHEDULING_SHARE_RISE_HOLD" $v.scheduling.shareRiseHold)
  (list "WORKER_SCHEDULING_BUDGET_WINDOW" $v.scheduling.budgetWindow)
  (list "WORKER_SCHEDULING_MAX_ATTEMPTS" $v.scheduling.maxAttempts)
  (list "WORKER_SCHEDULING_INITIAL_BACKOFF" $v.scheduling.initialBackoff)
  (list "WORKER_SCHEDULING_MAX_BACKOFF" $v.scheduling.maxBackoff)
  (list "WORKER_SCHEDULING_MAX_RETRY_AFTER" $v.scheduling.maxRetryAfter)
  (list "WORKER_SCHEDULING_MAX_REQUEST_AGE" $v.scheduling.maxRequestAge)
  (list "WORKER_SCHEDULING_CIRCUIT_FAILURE_RATE" $v.scheduling.circuitFailureRate)
  (list "WORKER_SCHEDULING_CIRCUIT_WINDOW" $v.scheduling.circuitWindow)
  (list "WORKER_SCHEDULING_CIRCUIT_OPEN_DURATION" $v.scheduling.circuitOpenDuration)
  (list "WORKER_SCHEDULING_COALESCE_WINDOW" $v.scheduling.coalesceWindow)
  (list "WORKER_SCHEDULING_COALESCE_MAX_WAIT" $v.scheduling.coalesceMaxWait)
  (list "WORKER_SCHEDULING_MAX_BATCH_SIZE" $v.scheduling.maxBatchSize)
  (list "WORKER_INTAKE_MAX_RECORD_SIZE" $v.intake.maxRecordSize)
  (list "WORKER_INTAKE_MAX_NESTING_DEPTH" $v.intake.maxNestingDepth)
  (list "WORKER_INTAKE_MAX_IN_FLIGHT_PER_PARTITION" $v.intake.maxInFlightPerPartition)
  (list "WORKER_INTAKE_MAX_IN_FLIGHT" $v.intake.maxInFlight)
  (list "WORKER_INTAKE_MAX_IN_FLIGHT_CREATING" $v.intake.maxInFlightCreating)
  (list "WORKER_INTAKE_MAX_IN_FLIGHT_BYTES" $v.intake.maxInFlightBytes)
  (list "WORKER_INTAKE_SHUTDOWN_GRACE" $v.intake.shutdownGrace)
  (list "WORKER_INTAKE_WRITE_LEASE" $v.intake.writeLease)
  (list "WORKER_ROLLOUTS_ENABLED" $v.rollouts.enabled)
  (list "WORKER_ROLLOUTS_RETENTION" $v.rollouts.retention)
  (list "WORKER_ROLLOUTS_EMIT_INTERVAL" $v.rollouts.emitInterval)
  (list "WORKER_ROLLOUTS_MAX_TRACKED" $v.rollouts.maxTracked)
  (list "WORKER_OUTCOME_EXACTLY_ONCE" $v.outcome.exactlyOnce)
  (list "WORKER_OUTCOME_TRANSACTIONAL_ID_PREFIX" $v.outcome.transactionalIdPrefix)
  (list "LOGGING_STRUCTURED_FORMAT_CONSOLE" $v.logging.structuredFormat)
  (list "LOGGING_LEVEL_ROOT" $v.logging.level)
  (list "JAVA_TOOL_OPTIONS" $v.javaToolOptions)
}}
{{- range $env }}
{{- $value := index . 1 }}
{{- if and (not (kindIs "invalid" $value)) (ne (toString $value) "") }}
{{- if and (kindIs "float64" $value) (eq (floor $value) $value) }}
{{- $value = printf "%d" (int64 $value) }}
{{- end }}
- name: {{ index . 0 }}
  value: {{ toString $value | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* Where a certificate Secret is mounted: "" for the default tenant, the entry's index for azure.tenants. */}}
{{- define "iaw.certificateDir" -}}
{{- if eq (toString .) "" -}}
/var/run/secrets/intune-assignment-worker/client-certificate
{{- else -}}
/var/run/secrets/intune-assignment-worker/tenants/{{ . }}
{{- end }}
{{- end }}

{{/*
The credentials' environment: the default tenant's client secret or certificate (workload identity needs none: the
webhook sets AZURE_FEDERATED_TOKEN_FILE), then WORKER_AUTH_TENANTS_<n>_* per azure.tenants entry. Every secret and
password is a secretKeyRef; certificates are files mounted from their Secret (see iaw.credentialVolumes).
*/}}
{{- define "iaw.credentialEnv" -}}
{{- $a := .Values.azure }}
{{- if and (not $a.workloadIdentity.enabled) (or $a.clientSecret.existingSecret $a.clientSecret.value) }}
- name: AZURE_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "iaw.secretName" . }}
      key: {{ include "iaw.secretKey" . }}
{{- end }}
{{- with $a.clientCertificate.existingSecret }}
- name: AZURE_CLIENT_CERTIFICATE_PATH
  value: {{ printf "%s/%s" (include "iaw.certificateDir" "") $a.clientCertificate.certificateKey | quote }}
{{- with $a.clientCertificate.passwordKey }}
- name: AZURE_CLIENT_CERTIFICATE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $a.clientCertificate.existingSecret }}
      key: {{ . }}
{{- end }}
{{- end }}
{{- range $i, $t := $a.tenants }}
{{- $p := printf "WORKER_AUTH_TENANTS_%d_" $i }}
{{- $secret := $t.clientSecret | default dict }}
{{- $cert := $t.clientCertificate | default dict }}
- name: {{ $p }}TENANT_ID
  value: {{ $t.tenantId | quote }}
{{- with $t.clientId }}
- name: {{ $p }}CLIENT_ID
  value: {{ . | quote }}
{{- end }}
{{- with $secret.existingSecret }}
- name: {{ $p }}CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: {{ $secret.existingSecretKey | default "client-secret" }}
{{- end }}
{{- with $cert.existingSecret }}
- name: {{ $p }}CERTIFICATE_FILE
  value: {{ printf "%s/%s" (include "iaw.certificateDir" $i) ($cert.certificateKey | default "certificate.p12") | quote }}
{{- with $cert.passwordKey }}
- name: {{ $p }}CERTIFICATE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $cert.existingSecret }}
      key: {{ . }}
{{- end }}
{{- end }}
{{- with $t.federatedTokenFile }}
- name: {{ $p }}FEDERATED_TOKEN_FILE
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- end }}

{{/* The certificate Secrets as volumes (only the PKCS#12 key, read-only for the pod's group) and their mounts. */}}
{{- define "iaw.certificateSecrets" -}}
{{- $certs := list }}
{{- with .Values.azure.clientCertificate }}
{{- if .existingSecret }}
{{- $certs = append $certs (dict "name" "client-certificate" "dir" (include "iaw.certificateDir" "") "secret" .existingSecret "key" .certificateKey) }}
{{- end }}
{{- end }}
{{- range $i, $t := .Values.azure.tenants }}
{{- $cert := $t.clientCertificate | default dict }}
{{- if $cert.existingSecret }}
{{- $certs = append $certs (dict "name" (printf "tenant-%d-certificate" $i) "dir" (include "iaw.certificateDir" $i) "secret" $cert.existingSecret "key" ($cert.certificateKey | default "certificate.p12")) }}
{{- end }}
{{- end }}
{{- toJson $certs }}
{{- end }}

{{- define "iaw.credentialVolumes" -}}
{{- range include "iaw.certificateSecrets" . | fromJsonArray }}
- name: {{ .name }}
  secret:
    secretName: {{ .secret }}
    defaultMode: 288 # 0440: owner and the pod's fsGroup
    items:
      - key: {{ .key }}
        path: {{ .key }}
{{- end }}
{{- end }}

{{- define "iaw.credentialVolumeMounts" -}}
{{- range include "iaw.certificateSecrets" . | fromJsonArray }}
- name: {{ .name }}
  mountPath: {{ .dir }}
  readOnly: true
{{- end }}
{{- end }}

{{/*
Per-tenant settings keyed by tenant id (graph.tenantStrategies, scheduling.tenants) as SPRING_APPLICATION_JSON: a
GUID cannot be a map key in an environment variable's name, and Spring Boot binds this JSON like a properties file.
*/}}
{{- define "iaw.perTenantJson" -}}
{{- $worker := dict }}
{{- if .Values.graph.tenantStrategies }}
{{- $_ := set $worker "graph" (dict "tenant-strategies" .Values.graph.tenantStrategies) }}
{{- end }}
{{- if .Values.scheduling.tenants }}
{{- $tenants := dict }}
{{- range $id, $b := .Values.scheduling.tenants }}
{{- $own := dict }}
{{- if $b.writeBudget }}{{ $_ := set $own "write-budget" ($b.writeBudget | int) }}{{ end }}
{{- if $b.requestBudget }}{{ $_ := set $own "request-budget" ($b.requestBudget | int) }}{{ end }}
{{- $_ := set $tenants $id $own }}
{{- end }}
{{- $_ := set $worker "scheduling" (dict "tenants" $tenants) }}
{{- end }}
{{- if $worker }}
- name: SPRING_APPLICATION_JSON
  value: {{ dict "worker" $worker | toJson | quote }}
{{- end }}
{{- end }}

{{/* Fails the render on settings that cannot work together. */}}
{{- define "iaw.validate" -}}
{{- $v := .Values }}
{{- $a := $v.azure }}
{{- if and (not $a.tenantId) (not $a.tenants) }}
{{- fail "azure.tenantId is required (AZURE_TENANT_ID) unless azure.tenants lists the tenants" }}
{{- end }}
{{- $secret := or $a.clientSecret.existingSecret $a.clientSecret.value }}
{{- if and $a.clientSecret.existingSecret $a.clientSecret.value }}
{{- fail "set azure.clientSecret.existingSecret or azure.clientSecret.value, not both" }}
{{- end }}
{{- if and $secret $a.clientCertificate.existingSecret }}
{{- fail "set azure.clientSecret or azure.clientCertificate, not both (the worker would use the certificate)" }}
{{- end }}
{{- $defaultCredential := or $a.workloadIdentity.enabled $secret $a.clientCertificate.existingSecret }}
{{- $needsDefault := not (empty $a.tenantId) }}
{{- range $i, $t := $a.tenants }}
{{- if not $t.tenantId }}
{{- fail (printf "azure.tenants[%d].tenantId is required" $i) }}
{{- end }}
{{- $own := 0 }}
{{- if ($t.clientSecret | default dict).existingSecret }}{{ $own = add1 $own }}{{ end }}
{{- if ($t.clientCertificate | default dict).existingSecret }}{{ $own = add1 $own }}{{ end }}
{{- if $t.federatedTokenFile }}{{ $own = add1 $own }}{{ end }}
{{- if gt $own 1 }}
{{- fail (printf "azure.tenants[%d]: set one of clientSecret.existingSecret, clientCertificate.existingSecret or federatedTokenFile" $i) }}
{{- end }}
{{- if eq $own 0 }}{{ $needsDefault = true }}{{ end }}
{{- if and (not $t.clientId) (not $a.clientId) }}
{{- fail (printf "azure.tenants[%d].clientId or azure.clientId is required" $i) }}
{{- end }}
{{- end }}
{{- if and $a.tenantId (not $a.clientId) }}
{{- fail "azure.clientId is required (AZURE_CLIENT_ID)" }}
{{- end }}
{{- if and $needsDefault (not $defaultCredential) }}
{{- fail "set azure.clientSecret.existingSecret (recommended) or azure.clientSecret.value, azure.clientCertificate.existingSecret, or enable azure.workloadIdentity" }}
{{- end }}
{{- $partitions := $v.topics.requestTopicPartitions | int }}
{{- if $v.autoscaling.enabled }}
{{- if gt ($v.autoscaling.maxReplicas | int) $partitions }}
{{- fail (printf "autoscaling.maxReplicas (%d) exceeds the request topic's partitions (topics.requestTopicPartitions = %d): replicas beyond it would sit idle" ($v.autoscaling.maxReplicas | int) $partitions) }}
{{- end }}
{{- if gt ($v.autoscaling.minReplicas | int) ($v.autoscaling.maxReplicas | int) }}
{{- fail "autoscaling.minReplicas exceeds autoscaling.maxReplicas" }}
{{- end }}
{{- else if gt ($v.replicaCount | int) $partitions }}
{{- fail (printf "replicaCount (%d) exceeds the request topic's partitions (topics.requestTopicPartitions = %d): replicas beyond it would sit idle" ($v.replicaCount | int) $partitions) }}
{{- end }}
{{- $grace := include "iaw.seconds" $v.intake.shutdownGrace | int }}
{{- if le ($v.terminationGracePeriodSeconds | int) $grace }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed intake.shutdownGrace (%ds), or Kubernetes kills the worker while it commits" ($v.terminationGracePeriodSeconds | int) $grace) }}
{{- end }}
{{- end }}
