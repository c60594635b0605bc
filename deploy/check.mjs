// Checks what can be checked of deploy/ without a cluster: node deploy/check.mjs [--render-cmd <cmd>]
//  1. Chart.yaml, values.yaml and ci/*.yaml parse (duplicate keys are errors).
//  2. values.yaml, alone and merged with each ci/*.yaml, satisfies values.schema.json; known-bad values fail it.
//  3. The schema's config keys plus the ones the chart sets are exactly the server's configVariables.
//  4. The Grafana dashboard parses, panel ids are unique and every query names a metric the server exposes.
//  5. Every COPY source of the Dockerfile exists.
//  6. When a renderer is available (`helm` on PATH, HELM_BIN, or --render-cmd <cmd> called as
//     `<cmd> <chartDir> [valuesFile...]`), every scenario renders, each manifest parses, has apiVersion, kind
//     and metadata.name, and the server's env names only known variables. Without one, step 6 is skipped.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Ajv from 'ajv';
import { parse, parseAllDocuments, stringify } from 'yaml';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..');
const chartDir = join(here, 'helm/newhms');
const { values: args } = parseArgs({ options: { 'render-cmd': { type: 'string' } } });

let failures = 0;
let checks = 0;
function check(ok, message) {
  checks++;
  if (!ok) {
    failures++;
    console.error(`FAIL ${message}`);
  }
}
const readYaml = (path) => parse(readFileSync(path, 'utf8'), { uniqueKeys: true });

function mergeValues(base, override) {
  const out = { ...base };
  for (const [k, v] of Object.entries(override ?? {})) {
    const isMap = (x) => x !== null && typeof x === 'object' && !Array.isArray(x);
    out[k] = isMap(v) && isMap(out[k]) ? mergeValues(out[k], v) : v;
  }
  return out;
}

// 1. Plain YAML
const chart = readYaml(join(chartDir, 'Chart.yaml'));
check(chart.apiVersion === 'v2' && chart.name === 'newhms', 'Chart.yaml is a v2 chart named newhms');
check(
  chart.dependencies?.some((d) => d.name === 'nats' && d.condition === 'nats.enabled'),
  'Chart.yaml depends on the nats chart under the nats.enabled condition',
);
const values = readYaml(join(chartDir, 'values.yaml'));
const scenarioFiles = readdirSync(join(chartDir, 'ci'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join(chartDir, 'ci', f));
const scenarios = [
  { name: 'default', files: [], values },
  ...scenarioFiles.map((f) => ({
    name: f.slice(chartDir.length + 1),
    files: [f],
    values: mergeValues(values, readYaml(f)),
  })),
];

// 2. Values schema
const schema = JSON.parse(readFileSync(join(chartDir, 'values.schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, strictTypes: false });
const validate = ajv.compile(schema);
for (const s of scenarios) {
  const ok = validate(s.values);
  check(ok, `values (${s.name}) satisfy values.schema.json: ${ajv.errorsText(validate.errors)}`);
}
const mustFail = {
  'an unknown NEWHMS_ variable': { config: { NEWHMS_NO_SUCH_THING: 'x' } },
  'a chart-owned variable in config': { config: { DATABASE_URL: 'postgres://x' } },
  'a token secret under 32 characters': { secrets: { tokenSecret: 'short' } },
  'a non-postgres database URL': { secrets: { databaseUrl: 'mysql://x' } },
  'a five-field backup schedule': { cnpg: { backup: { scheduled: { schedule: '0 2 * * *' } } } },
  'a mistyped top-level key': { replicas: 3 },
};
for (const [what, override] of Object.entries(mustFail)) {
  check(!validate(mergeValues(values, override)), `values.schema.json refuses ${what}`);
}

// 3. Config variables: schema + chart-set == server
const chartSet = [
  'HOST',
  'PORT',
  'NEWHMS_DATA_DIR',
  'DATABASE_URL',
  'NATS_URL',
  'NEWHMS_TOKEN_SECRET',
  'NEWHMS_DATA_KEY',
  'NEWHMS_ADMIN_PASSWORD',
];
const configSource = readFileSync(join(root, 'apps/server/src/platform/config/config.ts'), 'utf8');
const serverVariables = [...configSource.matchAll(/^ {2}([A-Z][A-Z0-9_]+): \{/gm)].map((m) => m[1]).sort();
const chartVariables = [...Object.keys(schema.properties.config.properties), ...chartSet].sort();
check(
  serverVariables.length > 10,
  `found the server's configVariables in config.ts (${serverVariables.length})`,
);
check(
  JSON.stringify(serverVariables) === JSON.stringify(chartVariables),
  `chart config variables match the server's: missing in chart [${serverVariables.filter((v) => !chartVariables.includes(v))}], ` +
    `unknown to server [${chartVariables.filter((v) => !serverVariables.includes(v))}]`,
);

// 4. Grafana dashboard
const dashboard = JSON.parse(readFileSync(join(here, 'grafana/newhms-dashboard.json'), 'utf8'));
const panels = (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]);
const ids = panels.map((p) => p.id);
check(new Set(ids).size === ids.length, 'dashboard panel ids are unique');
// Metric names the server registers (prom-client `name: '...'`), their histogram series, and prom-client's
// default process metrics.
const serverSources = execFileSync('grep', ['-rhoE', "name: '[a-z_]+'", join(root, 'apps/server/src')], {
  encoding: 'utf8',
});
const registered = [...serverSources.matchAll(/name: '([a-z_]+)'/g)].map((m) => m[1]);
const knownMetrics = [
  ...registered.flatMap((n) => [n, `${n}_bucket`, `${n}_count`, `${n}_sum`]),
  'process_cpu_seconds_total',
  'process_resident_memory_bytes',
  'nodejs_eventloop_lag_p99_seconds',
  'nodejs_heap_size_used_bytes',
  'up',
];
for (const p of panels) {
  for (const t of p.targets ?? []) {
    const names = (t.expr ?? '').match(/\b[a-z_][a-z0-9_]*(?=\{|\[|\s*\))/g) ?? [];
    const metrics = names.filter((n) => /^(newhms|http|process|nodejs)_|^up$/.test(n));
    check(metrics.length > 0, `panel "${p.title}" queries a metric`);
    for (const m of metrics) check(knownMetrics.includes(m), `panel "${p.title}" uses known metric ${m}`);
  }
}

// 5. Dockerfile COPY sources
const dockerfile = readFileSync(join(here, 'Dockerfile'), 'utf8');
for (const line of dockerfile.split('\n')) {
  const m = /^COPY\s+(?!--from)(?:--\S+\s+)*(.+)$/.exec(line.trim());
  if (!m) continue;
  const parts = m[1].trim().split(/\s+/);
  for (const src of parts.slice(0, -1)) {
    check(src === '.' || existsSync(join(root, src)), `Dockerfile COPY source ${src} exists`);
  }
}

// 6. Rendering
function findHelm() {
  if (process.env.HELM_BIN) return process.env.HELM_BIN;
  try {
    execFileSync('helm', ['version', '--short'], { stdio: 'ignore' });
    return 'helm';
  } catch {
    return undefined;
  }
}
function renderWithHelm(helm, files) {
  // The nats subchart is fetched by `helm dependency build`; without it, render the chart's own templates.
  const dir = mkdtempSync(join(tmpdir(), 'newhms-chart-'));
  try {
    cpSync(chartDir, join(dir, 'newhms'), { recursive: true });
    const copied = join(dir, 'newhms');
    if (!existsSync(join(copied, 'charts')) || readdirSync(join(copied, 'charts')).length === 0) {
      const c = readYaml(join(copied, 'Chart.yaml'));
      delete c.dependencies;
      writeFileSync(join(copied, 'Chart.yaml'), stringify(c));
    }
    const fileArgs = files.flatMap((f) => ['-f', f]);
    return execFileSync(helm, ['template', 'newhms', copied, '--namespace', 'hospital', ...fileArgs], {
      encoding: 'utf8',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const helm = findHelm();
const renderCmd = args['render-cmd'];
if (!helm && !renderCmd) {
  console.log('SKIP rendering: no helm on PATH (set HELM_BIN, or pass --render-cmd <cmd>)');
} else {
  const expectedKinds = {
    default: [
      'Deployment',
      'Service',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
      'Cluster',
      'ScheduledBackup',
    ],
  };
  for (const s of scenarios) {
    let out = '';
    try {
      out = renderCmd
        ? execFileSync(renderCmd, [chartDir, ...s.files], {
            encoding: 'utf8',
            stdio: ['ignore', 'pipe', 'ignore'],
          })
        : renderWithHelm(helm, s.files);
    } catch (e) {
      check(false, `chart renders with ${s.name}: ${e.message}`);
      continue;
    }
    const docs = parseAllDocuments(out, { uniqueKeys: true }).filter((d) => d.contents !== null);
    const kinds = [];
    for (const d of docs) {
      check(
        d.errors.length === 0,
        `${s.name}: manifest parses: ${d.errors.map((e) => e.message).join('; ')}`,
      );
      const o = d.toJS();
      check(
        o?.apiVersion && o?.kind && o?.metadata?.name,
        `${s.name}: ${o?.kind} has apiVersion, kind and name`,
      );
      kinds.push(o.kind);
      if (o.kind === 'Deployment') {
        for (const e of o.spec.template.spec.containers[0].env ?? []) {
          check(serverVariables.includes(e.name), `${s.name}: Deployment env ${e.name} is a server variable`);
        }
      }
    }
    for (const k of expectedKinds[s.name] ?? ['Deployment', 'Service']) {
      check(kinds.includes(k), `${s.name}: renders a ${k}`);
    }
    console.log(`rendered ${s.name}: ${kinds.join(', ')}`);
  }
}

console.log(`${checks - failures} passed, ${failures} failed`);
process.exit(failures > 0 ? 1 : 0);
