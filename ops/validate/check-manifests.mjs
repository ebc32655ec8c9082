// Offline checks for .ci/validate-deploy (it copies this file next to its modules in .tools/node and runs it there).
//   schema FILE...                      every manifest against the Kubernetes / KEDA / Prometheus Operator schemas
//   assert CASE FILE                    the chart's promises for one values combination
//   dashboard JSON SCRAPED EXPECTED     the dashboard's structure and metric names
//   rules ALERTS.yml SCRAPED EXPECTED   metric names used by the alert rules, one runbook section per alert
//   coverage README.md FILE...          every variable of the README's Configuration table set by a rendered chart
import fs from 'node:fs';
import yaml from 'js-yaml';

const [cmd, ...args] = process.argv.slice(2);
const problems = [];
const check = (ok, message) => { if (!ok) problems.push(message); };
const docs = (file) => yaml.loadAll(fs.readFileSync(file, 'utf8')).filter(Boolean);
const finish = (what) => {
  if (problems.length) {
    for (const p of problems) console.error(`  - ${p}`);
    process.exit(1);
  }
  if (what) console.log(what);
};

const moduleFor = (apiVersion) => {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (group === 'keda.sh') return `@kubernetes-models/keda/keda.sh/${version}`;
  if (group === 'monitoring.coreos.com') return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}`;
  return group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`;
};

const seconds = (d) => {
  const m = /^(\d+)(ms|s|m|h)$/.exec(d);
  if (!m) return NaN;
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600 }[m[2]];
};

const metricNames = (file) => new Set(fs.readFileSync(file, 'utf8').split('\n').map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#')));

// Metric names in a PromQL expression: identifiers that are not functions, keywords, labels or durations.
const PROMQL_WORDS = new Set(['sum', 'max', 'min', 'avg', 'count', 'by', 'without', 'on', 'ignoring', 'group_left',
  'group_right', 'and', 'or', 'unless', 'rate', 'increase', 'irate', 'deriv', 'delta', 'histogram_quantile',
  'max_over_time', 'min_over_time', 'avg_over_time', 'sort_desc', 'sort', 'topk', 'bottomk', 'timestamp',
  'absent', 'clamp_min', 'clamp_max', 'offset', 'bool', 'le', 'vector', 'scalar', 'time', 'humanize']);
const metricsIn = (expr) => {
  const stripped = expr.replace(/\{[^}]*\}/g, '{}').replace(/"[^"]*"/g, '""').replace(/\[[^\]]*\]/g, '[]')
    .replace(/\$\w+/g, '').replace(/\boffset\s+[0-9a-z]+/g, ' ');
  const names = new Set();
  for (const m of stripped.matchAll(/(?<![\w.])([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\(|\{|\[|\s|$|\)|==|>|<|\*|\/|\+|-)/g)) {
    const word = m[1];
    if (PROMQL_WORDS.has(word) || m[2] === '(') continue;
    names.add(word);
  }
  // Labels inside by (...) / on (...) lists.
  for (const m of expr.matchAll(/\b(?:by|on|ignoring|without)\s*\(([^)]*)\)/g)) {
    for (const l of m[1].split(',')) names.delete(l.trim());
  }
  return names;
};
const checkNames = (exprs, scraped, expected, where) => {
  const known = new Set([...metricNames(scraped), ...metricNames(expected)]);
  for (const [expr, ctx] of exprs) {
    for (const name of metricsIn(expr)) {
      const base = name.replace(/_(bucket|count|sum)$/, '');
      check(known.has(name) || known.has(base) || known.has(`${base}_bucket`),
        `${where} ${ctx}: metric ${name} is neither exposed by the worker nor listed as expected`);
    }
  }
};

// The text of "### NAME" in docs/operations.md, up to the next heading; undefined without one.
const runbookSection = (name) => {
  const lines = fs.readFileSync('docs/operations.md', 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === `### ${name}`);
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && /^#{1,3} /.test(l));
  return lines.slice(start + 1, end < 0 ? lines.length : end).join('\n');
};

// Names in the README's Configuration table: environment variables (`…_CLIENT_ID` continues the cell's first name:
// its WORKER_<CONCERN> or …_<n> prefix; <n> is any index) and properties keyed by tenant (worker.….<tenantId>….),
// which have no environment form. Aliases with [n] or * are skipped (their environment form is listed).
const configurationNames = (readme) => {
  const text = fs.readFileSync(readme, 'utf8');
  const section = text.split(/^## Configuration\s*$/m)[1]?.split(/^## /m)[0];
  if (!section) return [];
  const names = new Set();
  for (const row of section.split('\n').filter((l) => l.startsWith('| `'))) {
    const cells = row.split(' | ');
    const first = [...cells[0].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    let envPrefix;
    let dotted;
    for (const token of first) {
      if (/[[*]/.test(token)) continue;
      if (/^[A-Z][A-Z0-9_]*(<n>[A-Z0-9_]*)*$/.test(token)) {
        names.add(token);
        envPrefix ??= token.includes('_<n>_') ? token.slice(0, token.indexOf('_<n>_') + 4)
          : token.split('_').slice(0, 2).join('_');
      } else if (/^(…|\.\.\.)_/.test(token) && envPrefix) {
        names.add(envPrefix + token.replace(/^(…|\.\.\.)/, ''));
      } else if (/^worker\./.test(token)) {
        names.add(token);
        dotted ??= token;
      } else if (/^(…|\.\.\.)\./.test(token) && dotted) {
        names.add(dotted.replace(/[^.]+$/, token.replace(/^(…|\.\.\.)\./, '')));
      }
    }
    for (const m of row.matchAll(/`(worker\.[a-z.-]*<[^`]*)`/g)) names.add(m[1]);
  }
  return [...names];
};

// Variables the chart does not set itself, and what stands for them in a rendered chart.
const SET_ELSEWHERE = {
  AZURE_FEDERATED_TOKEN_FILE: ['the workload identity webhook (pod label azure.workload.identity/use)',
    (pods) => pods.some((p) => p.metadata?.labels?.['azure.workload.identity/use'] === 'true')],
};

if (cmd === 'coverage') {
  const [readme, ...files] = args;
  const names = configurationNames(readme);
  check(names.length >= 40, `expected 40+ variables in ${readme}'s Configuration table, found ${names.length}`);
  const pods = files.flatMap(docs).filter((d) => d.kind === 'Deployment').map((d) => d.spec.template);
  const env = pods.flatMap((p) => p.spec.containers.flatMap((c) => c.env ?? []));
  const envNames = new Set(env.map((e) => e.name));
  const json = env.filter((e) => e.name === 'SPRING_APPLICATION_JSON').map((e) => JSON.parse(e.value));
  // A dotted property in SPRING_APPLICATION_JSON, <placeholder> segments matching any key.
  const inJson = (path, node) => {
    if (!path.length) return node !== undefined;
    if (node === null || typeof node !== 'object') return false;
    const [head, ...rest] = path;
    return /^<.*>$/.test(head) ? Object.values(node).some((v) => inJson(rest, v)) : inJson(rest, node[head]);
  };
  for (const name of names) {
    if (name.startsWith('worker.')) {
      check(json.some((j) => inJson(name.split('.'), j)), `${name}: not in the rendered SPRING_APPLICATION_JSON`);
    } else if (SET_ELSEWHERE[name]) {
      check(SET_ELSEWHERE[name][1](pods), `${name}: no rendered pod is set up for ${SET_ELSEWHERE[name][0]}`);
    } else {
      const pattern = new RegExp(`^${name.replace(/<n>/g, '\\d+')}$`);
      check([...envNames].some((n) => pattern.test(n)), `${name}: no rendered Deployment sets it`);
    }
  }
  finish(`${names.length} README configuration variables, each set by the rendered chart`);
} else if (cmd === 'schema') {
  let count = 0;
  for (const file of args) {
    for (const doc of docs(file)) {
      count++;
      try {
        const Model = (await import(moduleFor(doc.apiVersion)))[doc.kind];
        if (!Model) throw new Error(`no schema for ${doc.apiVersion} ${doc.kind}`);
        new Model(doc).validate();
      } catch (e) {
        check(false, `${file}: ${doc.kind}/${doc.metadata?.name}: ${e.message}`);
      }
    }
  }
  finish(`${count} manifests valid`);
} else if (cmd === 'assert') {
  const [name, file] = args;
  const all = docs(file);
  const of = (kind) => all.filter((d) => d.kind === kind);
  const [deploy] = of('Deployment');
  check(of('Deployment').length === 1, 'exactly one Deployment');
  const pod = deploy.spec.template.spec;
  const [c] = pod.containers;
  const env = Object.fromEntries(c.env.map((e) => [e.name, e]));
  // Security.
  check(pod.securityContext?.runAsNonRoot === true, 'pod runAsNonRoot');
  check(Number.isInteger(pod.securityContext?.runAsUser) && pod.securityContext.runAsUser > 0, 'numeric non-root runAsUser');
  check(pod.securityContext?.seccompProfile?.type === 'RuntimeDefault', 'seccomp RuntimeDefault');
  check(c.securityContext?.readOnlyRootFilesystem === true, 'readOnlyRootFilesystem');
  check(c.securityContext?.allowPrivilegeEscalation === false, 'allowPrivilegeEscalation false');
  check(c.securityContext?.capabilities?.drop?.includes('ALL'), 'drops ALL capabilities');
  check(pod.automountServiceAccountToken === false, 'no service-account token mounted');
  const tmp = c.volumeMounts.find((m) => m.mountPath === '/tmp');
  check(tmp && pod.volumes.find((v) => v.name === tmp.name)?.emptyDir, '/tmp is an emptyDir');
  // Probes and resources.
  check(c.livenessProbe?.httpGet?.path === '/actuator/health/liveness', 'liveness probe on /actuator/health/liveness');
  check(c.readinessProbe?.httpGet?.path === '/actuator/health/readiness', 'readiness probe on /actuator/health/readiness');
  check(c.resources?.requests?.memory && c.resources?.limits?.memory, 'memory request and limit');
  check(!/:latest$/.test(c.image) && /:[^/]+$/.test(c.image), `image tag pinned (${c.image})`);
  // Graceful shutdown.
  const grace = seconds(env.WORKER_INTAKE_SHUTDOWN_GRACE?.value ?? '20s');
  check(pod.terminationGracePeriodSeconds > grace,
    `terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} > shutdown grace ${grace}s`);
  // Configuration.
  for (const v of ['SPRING_KAFKA_BOOTSTRAP_SERVERS', 'AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'WORKER_TOPICS_REQUESTS',
    'WORKER_TOPICS_RESULTS', 'WORKER_SCHEDULING_WRITE_BUDGET', 'WORKER_SCHEDULING_REQUEST_BUDGET']) {
    check(env[v], `env ${v} set`);
  }
  for (const e of c.env) {
    // (a _FILE or _PATH variable names a mounted file, not the secret itself)
    check(!/SECRET|PASSWORD|TOKEN/.test(e.name) || /_(FILE|PATH)$/.test(e.name) || e.valueFrom,
      `${e.name} comes from a Secret, not a literal`);
  }
  // Every certificate variable names a file in a read-only mount of a Secret volume.
  for (const e of c.env.filter((x) => /_CERTIFICATE_(PATH|FILE)$/.test(x.name))) {
    const mount = c.volumeMounts.find((m) => e.value?.startsWith(`${m.mountPath}/`));
    const volume = mount && pod.volumes.find((v) => v.name === mount.name);
    check(mount?.readOnly && volume?.secret?.secretName
      && volume.secret.items?.some((i) => `${mount.mountPath}/${i.path}` === e.value),
      `${e.name} (${e.value}) is a file of a Secret mounted read-only`);
  }
  const service = of('Service')[0];
  check(service?.spec.ports.some((p) => p.name === 'http'), 'Service exposes the metrics port');
  check(of('PodDisruptionBudget').length === 1, 'PodDisruptionBudget');
  const cm = of('ConfigMap').find((m) => m.metadata.labels?.grafana_dashboard === '1');
  check(cm && JSON.parse(Object.values(cm.data)[0]).panels.length > 10, 'dashboard ConfigMap for the Grafana sidecar');
  const sa = of('ServiceAccount')[0];
  const secretRef = env.AZURE_CLIENT_SECRET?.valueFrom?.secretKeyRef;
  const sharesBudget = Number(env.WORKER_SCHEDULING_WRITE_BUDGET.value) === 100
    && env.WORKER_SCHEDULING_SHARE_BUDGET_BY_PARTITIONS?.value === 'true';
  switch (name) {
    case 'default':
      check(of('Secret').length === 1 && secretRef?.name === of('Secret')[0].metadata.name, 'client secret in the chart Secret');
      check(deploy.spec.replicas === 2 && sharesBudget, 'two replicas share the tenant write budget of 100 by partitions');
      check(deploy.spec.strategy.rollingUpdate.maxSurge === 0, 'rolling updates replace pods one for one (one rebalance each)');
      check(!of('ScaledObject').length && !of('HorizontalPodAutoscaler').length, 'no autoscaler by default');
      check(!of('ServiceMonitor').length && !of('PrometheusRule').length, 'no Prometheus Operator objects by default');
      break;
    case 'existing-secret':
      check(of('Secret').length === 0, 'no Secret rendered');
      check(secretRef?.name === 'intune-worker-credentials' && secretRef.key === 'AZURE_CLIENT_SECRET', 'existing Secret and key used');
      check(env.LOGGING_STRUCTURED_FORMAT_CONSOLE?.value === 'ecs', 'structured logging');
      break;
    case 'workload-identity':
    case 'hpa':
      check(!env.AZURE_CLIENT_SECRET && of('Secret').length === 0, 'no client secret with workload identity');
      check(deploy.spec.template.metadata.labels['azure.workload.identity/use'] === 'true', 'pod label azure.workload.identity/use');
      check(sa?.metadata.annotations?.['azure.workload.identity/client-id'] === env.AZURE_CLIENT_ID.value, 'service-account client-id annotation');
      check(pod.serviceAccountName === sa?.metadata.name, 'pod uses the annotated service account');
      if (name === 'hpa') {
        const hpa = of('HorizontalPodAutoscaler')[0];
        check(hpa && hpa.spec.maxReplicas <= 6 && hpa.spec.metrics[0].type === 'External', 'HPA on an external lag metric, max 6');
        check(deploy.spec.replicas === undefined, 'the HPA owns replicas');
        check(sharesBudget, 'autoscaled replicas share the tenant budget by partitions');
      }
      break;
    case 'keda': {
      const so = of('ScaledObject')[0];
      check(so?.spec.triggers[0].type === 'kafka' && so.spec.maxReplicaCount === 4, 'KEDA kafka trigger, max 4');
      check(so?.spec.triggers[0].metadata.topic === env.WORKER_TOPICS_REQUESTS.value, 'KEDA watches the request topic');
      check(deploy.spec.replicas === undefined, 'KEDA owns replicas');
      check(sharesBudget, 'autoscaled replicas share the tenant budget by partitions');
      break;
    }
    case 'monitoring': {
      const sm = of('ServiceMonitor')[0];
      check(sm?.spec.endpoints[0].path === '/actuator/prometheus' && sm.spec.endpoints[0].port === 'http', 'ServiceMonitor scrapes /actuator/prometheus');
      const rule = of('PrometheusRule')[0];
      const alerts = rule?.spec.groups.flatMap((g) => g.rules.map((r) => r.alert)) ?? [];
      for (const a of ['IntuneWorkerCircuitOpen', 'IntuneWorkerFailureRatioHigh', 'IntuneWorkerConsumerLagGrowing',
        'IntuneWorkerThrottledSustained', 'IntuneWorkerNoProgress']) {
        check(alerts.includes(a), `PrometheusRule has ${a}`);
      }
      check(sm?.metadata.labels.release === 'kube-prometheus-stack', 'ServiceMonitor labels from values');
      break;
    }
    case 'certificate':
      check(!env.AZURE_CLIENT_SECRET && of('Secret').length === 0, 'no client secret with a certificate');
      check(env.AZURE_CLIENT_CERTIFICATE_PATH?.value, 'AZURE_CLIENT_CERTIFICATE_PATH set');
      check(env.AZURE_CLIENT_CERTIFICATE_PASSWORD?.valueFrom?.secretKeyRef?.name === 'intune-worker-certificate',
        'certificate password from the certificate\'s Secret');
      break;
    case 'full-config': {
      const tenants = c.env.filter((e) => /^WORKER_AUTH_TENANTS_\d+_TENANT_ID$/.test(e.name));
      check(tenants.length === 4, `four more tenants (${tenants.length})`);
      check(env.WORKER_AUTH_TENANTS_0_CLIENT_SECRET?.valueFrom?.secretKeyRef?.name === 'fabrikam-app',
        "tenant 0's secret from its own Secret");
      check(!Object.keys(env).some((n) => /^WORKER_AUTH_TENANTS_3_(CLIENT|CERT|FED)/.test(n)),
        'tenant 3 without a credential uses the default one');
      const json = JSON.parse(env.SPRING_APPLICATION_JSON?.value ?? '{}');
      check(json.worker?.scheduling?.tenants?.['22222222-3333-4444-8555-666666666666']?.['write-budget'] === 40,
        'per-tenant write budget in SPRING_APPLICATION_JSON');
      check(json.worker?.graph?.['tenant-strategies']?.['11111111-2222-4333-8444-555555555555'] === 'create',
        'per-tenant strategy in SPRING_APPLICATION_JSON');
      check(!of('Secret').length && !of('ConfigMap').some((m) => /secret|password/i.test(JSON.stringify(m.data))),
        'no secret in a rendered Secret or ConfigMap');
      break;
    }
    default:
      check(false, `unknown case ${name}`);
  }
  finish();
} else if (cmd === 'dashboard') {
  const [file, scraped, expected] = args;
  const d = JSON.parse(fs.readFileSync(file, 'utf8'));
  check(d.uid && d.title, 'uid and title');
  const ids = d.panels.map((p) => p.id);
  check(new Set(ids).size === ids.length, 'unique panel ids');
  check(d.templating.list.some((v) => v.type === 'datasource' && v.name === 'datasource'), 'datasource variable');
  const exprs = [];
  for (const p of d.panels) {
    check(p.gridPos && p.gridPos.w > 0 && p.gridPos.x + p.gridPos.w <= 24, `panel "${p.title}" fits the grid`);
    check(p.datasource?.uid === '${datasource}', `panel "${p.title}" uses the datasource variable`);
    check(p.targets?.length > 0, `panel "${p.title}" has queries`);
    for (const t of p.targets ?? []) exprs.push([t.expr, `panel "${p.title}"`]);
  }
  // Panels must not overlap.
  const cells = new Map();
  for (const p of d.panels) {
    for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
      for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
        const k = `${x},${y}`;
        check(!cells.has(k), `panels "${cells.get(k)}" and "${p.title}" overlap`);
        cells.set(k, p.title);
      }
    }
  }
  const text = JSON.stringify(d);
  for (const topic of ['throughput', 'error category', 'throttl', 'cool-down', 'pace', 'latency', 'lag', 'in flight',
    'circuit', 'token', 'retries']) {
    check(d.panels.some((p) => p.title.toLowerCase().includes(topic)), `a panel about ${topic}`);
  }
  checkNames(exprs, scraped, expected, 'dashboard');
  finish(`${d.panels.length} panels, ${exprs.length} queries, metric names known`);
} else if (cmd === 'rules') {
  const [file, scraped, expected] = args;
  const doc = yaml.load(fs.readFileSync(file, 'utf8'));
  const exprs = doc.groups.flatMap((g) => g.rules.map((r) => [r.expr, `alert ${r.alert}`]));
  for (const g of doc.groups) {
    for (const r of g.rules) {
      check(r.labels?.severity, `${r.alert} has a severity`);
      // Each alert its own section, named after it, that says what to do (more than a line).
      check(r.annotations?.runbook === `docs/operations.md#${r.alert.toLowerCase()}`,
        `${r.alert} links its own runbook section docs/operations.md#${r.alert.toLowerCase()} (${r.annotations?.runbook})`);
      const body = runbookSection(r.alert);
      check(body !== undefined, `${r.alert}: docs/operations.md has no section "### ${r.alert}"`);
      check(body === undefined || body.replace(/\s+/g, ' ').trim().length >= 200,
        `${r.alert}: its runbook section is too short to say what to do`);
    }
  }
  checkNames(exprs, scraped, expected, 'alerts');
  finish(`${exprs.length} alert rules use known metric names and have runbooks`);
} else {
  console.error(`unknown command ${cmd}`);
  process.exit(2);
}
