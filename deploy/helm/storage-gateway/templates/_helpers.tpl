{{/* Names, labels and shared environment of the storage-gateway chart. */}}

{{- define "sg.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "sg.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Common labels; call with (dict "root" $ "component" "control-plane"). */}}
{{- define "sg.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
{{ include "sg.selectorLabels" . }}
{{- end -}}

{{- define "sg.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sg.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* Pods of both planes carry this label: the registry's headless Service selects them. */}}
{{- define "sg.registryMemberLabel" -}}
storage-gateway.dev/registry-member: "true"
{{- end -}}

{{- define "sg.registrySelector" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
{{ include "sg.registryMemberLabel" . }}
{{- end -}}

{{/* Component names and Services. */}}
{{- define "sg.controlPlane.fullname" -}}{{ include "sg.fullname" . }}-control-plane{{- end -}}
{{- define "sg.dataPlane.fullname" -}}{{ include "sg.fullname" . }}-data-plane{{- end -}}
{{- define "sg.envoy.fullname" -}}{{ include "sg.fullname" . }}-envoy{{- end -}}
{{- define "sg.registry.service" -}}{{ include "sg.fullname" . }}-registry{{- end -}}
{{/* Headless: Envoy resolves every data-plane pod and balances requests over them (Check calls
on the gRPC port, STS requests on the HTTP port). */}}
{{- define "sg.dataPlane.grpcService" -}}{{ include "sg.fullname" . }}-data-plane-grpc{{- end -}}

{{- define "sg.controlPlane.serviceAccountName" -}}
{{- if .Values.controlPlane.serviceAccount.create -}}
{{- default (include "sg.controlPlane.fullname" .) .Values.controlPlane.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.controlPlane.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "sg.dataPlane.serviceAccountName" -}}
{{- if .Values.dataPlane.serviceAccount.create -}}
{{- default (include "sg.dataPlane.fullname" .) .Values.dataPlane.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.dataPlane.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "sg.envoy.serviceAccountName" -}}
{{- if .Values.envoy.serviceAccount.create -}}
{{- default (include "sg.envoy.fullname" .) .Values.envoy.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.envoy.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "sg.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{/* Namespaces whose Secrets the kubernetes secrets backend may use. */}}
{{- define "sg.secretNamespaces" -}}
{{- if .Values.secrets.kubernetes.namespaces -}}
{{- join "," .Values.secrets.kubernetes.namespaces -}}
{{- else -}}
{{- .Release.Namespace -}}
{{- end -}}
{{- end -}}

{{- define "sg.kubernetesSecretsEnabled" -}}
{{- if or (eq .Values.secrets.defaultBackend "kubernetes") (has "kubernetes" (splitList "," (.Values.secrets.extraBackends | nospace))) -}}
true
{{- end -}}
{{- end -}}

{{/* The mounted public keys both planes believe, comma-separated. */}}
{{- define "sg.registryPublicKeyPaths" -}}
{{- $paths := list -}}
{{- range .Values.registry.signing.publicKeyFiles -}}
{{- $paths = append $paths (printf "/etc/storage-gateway/registry-keys/%s" .) -}}
{{- end -}}
{{- join "," $paths -}}
{{- end -}}

{{/* Environment both planes share: registry discovery, identity, secrets backends. */}}
{{- define "sg.sharedEnv" -}}
- name: POD_IP
  valueFrom:
    fieldRef: {fieldPath: status.podIP}
- name: GATEWAY_LOG_LEVEL
  value: {{ .Values.logging.level | quote }}
- name: GATEWAY_LOG_FORMAT
  value: {{ .Values.logging.format | quote }}
- name: GATEWAY_CLUSTER_ADDRESS
  value: "$(POD_IP)"
- name: GATEWAY_CLUSTER_NAME
  value: {{ .Values.registry.clusterName | quote }}
- name: GATEWAY_CLUSTER_PORT
  value: {{ .Values.registry.port | quote }}
- name: GATEWAY_CLUSTER_KUBERNETES_SERVICE
  value: {{ include "sg.registry.service" . | quote }}
{{- if .Values.registry.signing.publicKeysConfigMap }}
{{- if not .Values.registry.signing.existingSecret }}
{{- fail "registry.signing.publicKeysConfigMap needs registry.signing.existingSecret: members would refuse every entry the control plane publishes" }}
{{- end }}
{{- if not .Values.registry.signing.publicKeyFiles }}
{{- fail "registry.signing.publicKeyFiles must name the ConfigMap's public key files, e.g. [registry.pub]" }}
{{- end }}
- name: GATEWAY_REGISTRY_PUBLIC_KEYS
  value: {{ include "sg.registryPublicKeyPaths" . | quote }}
{{- end }}
- name: GATEWAY_TOKEN_ISSUER
  value: {{ required "auth.tokenIssuer is required: Fence's issuer URL, the tokens' iss" .Values.auth.tokenIssuer | quote }}
{{- with .Values.auth.jwksUrl }}
- name: GATEWAY_JWKS_URL
  value: {{ . | quote }}
{{- end }}
{{- with .Values.auth.audience }}
- name: GATEWAY_TOKEN_AUDIENCE
  value: {{ . | quote }}
{{- end }}
{{- with .Values.controlPlane.allowEndpointCidrs }}
{{- /* Both planes: registration and Envoy's addresses, and the data plane's own storage calls. */}}
- name: GATEWAY_ALLOW_ENDPOINT_CIDRS
  value: {{ join "," . | quote }}
{{- end }}
{{- if .Values.auth.arboristUrl }}
- name: GATEWAY_ARBORIST_URL
  value: {{ .Values.auth.arboristUrl | quote }}
{{- else if .Values.auth.policyConfigMap.name }}
- name: GATEWAY_POLICY_FILE
  value: /etc/storage-gateway/policy/user.yaml
{{- else }}
{{- fail "set auth.arboristUrl, or auth.policyConfigMap.name (a ConfigMap with a Gen3 user.yaml)" }}
{{- end }}
- name: GATEWAY_DATA_DIR
  value: /var/lib/storage-gateway
- name: GATEWAY_DEFAULT_SECRETS_BACKEND
  value: {{ .Values.secrets.defaultBackend | quote }}
{{- with .Values.secrets.extraBackends }}
- name: GATEWAY_SECRETS_BACKENDS
  value: {{ . | quote }}
{{- end }}
{{- if include "sg.kubernetesSecretsEnabled" . }}
- name: GATEWAY_KUBERNETES_SECRET_NAMESPACES
  value: {{ include "sg.secretNamespaces" . | quote }}
{{- end }}
{{- with .Values.secrets.env }}
{{ toYaml . }}
{{- end }}
{{- with .Values.secrets.secretEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Volumes both planes share: writable scratch space under a read-only root, the policy file. */}}
{{- define "sg.sharedVolumes" -}}
- name: tmp
  emptyDir: {}
- name: work
  emptyDir: {}
{{- with .Values.registry.signing.publicKeysConfigMap }}
- name: registry-public-keys
  configMap:
    name: {{ . }}
{{- end }}
{{- if and (not .Values.auth.arboristUrl) .Values.auth.policyConfigMap.name }}
- name: policy
  configMap:
    name: {{ .Values.auth.policyConfigMap.name }}
    items:
      - key: {{ .Values.auth.policyConfigMap.key }}
        path: user.yaml
{{- end }}
{{- end -}}

{{- define "sg.sharedVolumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: work
  mountPath: /var/lib/storage-gateway
{{- if .Values.registry.signing.publicKeysConfigMap }}
- name: registry-public-keys
  mountPath: /etc/storage-gateway/registry-keys
  readOnly: true
{{- end }}
{{- if and (not .Values.auth.arboristUrl) .Values.auth.policyConfigMap.name }}
- name: policy
  mountPath: /etc/storage-gateway/policy
  readOnly: true
{{- end }}
{{- end -}}

{{- define "sg.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile: {type: RuntimeDefault}
{{- end -}}

{{- define "sg.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities: {drop: [ALL]}
{{- end -}}

{{/* NetworkPolicy peers that count as Envoys: in the release namespace (the ingress Envoy,
sidecars there) and, with networkPolicy.envoyNamespaceSelector, in the selected namespaces. */}}
{{- define "sg.envoyPeers" -}}
- podSelector:
    matchLabels:
      {{- toYaml .Values.networkPolicy.envoyLabels | nindent 6 }}
{{- if kindIs "map" .Values.networkPolicy.envoyNamespaceSelector }}
- podSelector:
    matchLabels:
      {{- toYaml .Values.networkPolicy.envoyLabels | nindent 6 }}
  namespaceSelector:
    {{- toYaml .Values.networkPolicy.envoyNamespaceSelector | nindent 4 }}
{{- end }}
{{- end -}}

{{/* Egress to the cluster DNS (any address: node-local caches differ between clusters). */}}
{{- define "sg.dnsEgress" -}}
- ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
{{- end -}}

{{- define "sg.registryPeers" -}}
- podSelector:
    matchLabels:
      {{- include "sg.registrySelector" . | nindent 6 }}
{{- end -}}

{{/*
An Envoy xDS bootstrap from envoy/ (copied into files/), its placeholders replaced with this
release's Services and its leading comment block (which documents the placeholders) dropped.
Call with (dict "root" $ "file" "files/envoy-ingress.yaml").
*/}}
{{- define "sg.envoyBootstrap" -}}
{{- $root := .root -}}
{{- $source := $root.Files.Get .file -}}
{{- if not $source -}}
{{- fail (printf "%s is missing from the chart (a copy of envoy/)" .file) -}}
{{- end -}}
{{- $domain := printf "%s.svc.%s" $root.Release.Namespace $root.Values.clusterDomain -}}
{{- $xdsHost := printf "%s.%s" (include "sg.controlPlane.fullname" $root) $domain -}}
{{- $authzHost := printf "%s.%s" (include "sg.dataPlane.grpcService" $root) $domain -}}
{{- $body := regexReplaceAll "(?m)^#.*\n" $source "" -}}
{{- $body = $body | replace "GATEWAY_XDS_HOST" $xdsHost | replace "GATEWAY_XDS_PORT" (toString $root.Values.controlPlane.xdsPort) -}}
{{- $body = $body | replace "GATEWAY_HOST" $authzHost | replace "GATEWAY_GRPC_PORT" (toString $root.Values.dataPlane.grpcPort) -}}
{{- $body = $body | replace "GATEWAY_HTTP_PORT" (toString $root.Values.dataPlane.httpPort) -}}
{{- if include "sg.envoyTls" $root -}}
{{- /* Parsed and written again (comments are lost) to give TLS to the clusters of the planes. */ -}}
{{- $bootstrap := fromYaml $body -}}
{{- $tls := dict -}}
{{- if $root.Values.tls.controlPlane.existingSecret -}}
{{- $_ := set $tls "xds_cluster" (dict "host" $xdsHost "ca" "control-plane-ca" "alpn" "h2") -}}
{{- end -}}
{{- if $root.Values.tls.dataPlane.existingSecret -}}
{{- $_ := set $tls "storage_gateway_authz" (dict "host" $authzHost "ca" "data-plane-ca" "alpn" "h2") -}}
{{- $_ := set $tls "storage_gateway_http" (dict "host" $authzHost "ca" "data-plane-ca" "alpn" "") -}}
{{- end -}}
{{- $given := list -}}
{{- range $bootstrap.static_resources.clusters -}}
{{- $cluster := . -}}
{{- with get $tls .name -}}
{{- $given = append $given $cluster.name -}}
{{- $_ := set $cluster "transport_socket" (include "sg.envoyTlsSocket" (dict "root" $root "host" .host "ca" .ca "alpn" .alpn) | fromYaml) -}}
{{- end -}}
{{- end -}}
{{- range $name, $_ := $tls -}}
{{- if not (has $name $given) -}}
{{- fail (printf "%s has no cluster %s to give TLS: the chart's copy of envoy/ and its templates disagree" $.file $name) -}}
{{- end -}}
{{- end -}}
{{- toYaml $bootstrap -}}
{{- else -}}
{{- $body -}}
{{- end -}}
{{- end -}}

{{/*
TLS between Envoy and the planes (values tls.*). Envoy reads its certificates through file-based
SDS: the SDS files (in the bootstrap's ConfigMap, under /etc/envoy) name the files of the
projected volume at /etc/envoy-tls and watch that directory, so a renewed Secret is taken up
without a restart; static file names in the TLS context would be read once.
*/}}
{{- define "sg.envoyTls" -}}
{{- if and .Values.tls.envoy.existingSecret (not (or .Values.tls.controlPlane.existingSecret .Values.tls.dataPlane.existingSecret)) -}}
{{- fail "tls.envoy.existingSecret is Envoy's certificate for mutual TLS: set tls.controlPlane.existingSecret or tls.dataPlane.existingSecret (the planes' certificates) too" -}}
{{- end -}}
{{- if or .Values.tls.controlPlane.existingSecret .Values.tls.dataPlane.existingSecret -}}
true
{{- end -}}
{{- end -}}

{{/*
An Envoy cluster's TLS to a plane; call with (dict "root" $ "host" <DNS name> "ca" <SDS name>
"alpn" <protocol or "">). grpc-java's servers take only connections that negotiated h2; the
data plane's HTTP port speaks HTTP/1.1.
*/}}
{{- define "sg.envoyTlsSocket" -}}
name: envoy.transport_sockets.tls
typed_config:
  "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
  sni: {{ .host }}
  common_tls_context:
    {{- with .alpn }}
    alpn_protocols: [{{ . }}]
    {{- end }}
    combined_validation_context:
      default_validation_context:
        match_typed_subject_alt_names:
          - san_type: DNS
            matcher: {exact: {{ .host }}}
      validation_context_sds_secret_config:
        name: {{ .ca }}
        sds_config:
          resource_api_version: V3
          path_config_source: {path: /etc/envoy/sds-{{ .ca }}.yaml}
    {{- if .root.Values.tls.envoy.existingSecret }}
    tls_certificate_sds_secret_configs:
      - name: envoy-certificate
        sds_config:
          resource_api_version: V3
          path_config_source: {path: /etc/envoy/sds-envoy-certificate.yaml}
    {{- end }}
{{- end -}}

{{/* The SDS files an Envoy bootstrap's TLS names, as ConfigMap data entries. */}}
{{- define "sg.envoySdsFiles" -}}
{{- $secret := "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret" -}}
{{- range $ca, $source := dict "control-plane-ca" .Values.tls.controlPlane.existingSecret "data-plane-ca" .Values.tls.dataPlane.existingSecret -}}
{{- if $source }}
sds-{{ $ca }}.yaml: |
  resources:
    - "@type": {{ $secret }}
      name: {{ $ca }}
      validation_context:
        trusted_ca: {filename: /etc/envoy-tls/{{ $ca }}.crt}
        watched_directory: {path: /etc/envoy-tls}
{{- end }}
{{- end }}
{{- if .Values.tls.envoy.existingSecret }}
sds-envoy-certificate.yaml: |
  resources:
    - "@type": {{ $secret }}
      name: envoy-certificate
      tls_certificate:
        certificate_chain: {filename: /etc/envoy-tls/tls.crt}
        private_key: {filename: /etc/envoy-tls/tls.key}
        watched_directory: {path: /etc/envoy-tls}
{{- end }}
{{- end -}}

{{/*
Envoy's TLS files: the planes' CAs (only ca.crt of their Secrets: their keys stay out of Envoy's
pods) and Envoy's own certificate. Call with (dict "root" $ "mode" <file mode>).
*/}}
{{- define "sg.envoyTlsVolume" -}}
- name: envoy-tls
  projected:
    defaultMode: {{ .mode }}
    sources:
      {{- with .root.Values.tls.controlPlane.existingSecret }}
      - secret:
          name: {{ . }}
          items: [{key: ca.crt, path: control-plane-ca.crt}]
      {{- end }}
      {{- with .root.Values.tls.dataPlane.existingSecret }}
      - secret:
          name: {{ . }}
          items: [{key: ca.crt, path: data-plane-ca.crt}]
      {{- end }}
      {{- with .root.Values.tls.envoy.existingSecret }}
      - secret:
          name: {{ . }}
          items: [{key: tls.crt, path: tls.crt}, {key: tls.key, path: tls.key}]
      {{- end }}
{{- end -}}

{{/*
A plane's TLS server files: its certificate and key, and with tls.envoy the CA that signs Envoy's
certificates as client-ca.crt. Call with (dict "root" $ "name" <volume> "secret" <Secret>).
*/}}
{{- define "sg.serverTlsVolume" -}}
- name: {{ .name }}
  projected:
    defaultMode: 0440
    sources:
      - secret:
          name: {{ .secret }}
          items: [{key: tls.crt, path: tls.crt}, {key: tls.key, path: tls.key}]
      {{- with .root.Values.tls.envoy.existingSecret }}
      - secret:
          name: {{ . }}
          items: [{key: ca.crt, path: client-ca.crt}]
      {{- end }}
{{- end -}}
