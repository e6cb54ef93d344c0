// `npm run bench`: measures lb-routes against the bundled emulator and exits non-zero when a budget is exceeded.
// Not a test: it prints tables (and JSON with --json). Every bound is derived from the scenario, not from
// what the code happens to do:
//   - an apply's critical path is the dependency depth of its plan (core/plan/apply-graph.ts) × the
//     operation time; it does not depend on concurrency, and applies run at the shipped default concurrency;
//   - the least calls of a plan come from the emulator's state: the URL map, then one list page (500 items)
//     per collection and project (backend services; NEGs through one aggregated list), and per (project,
//     region) the routes name for Cloud Run services.
//
//   npm run bench -- [--latency-ms 20] [--operation-ms 400] [--json out.json]
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { benchTraffic } from './bench-traffic.mjs'
import { applyGraph, graphDepth } from '../.bench-build/core/plan/apply-graph.js'
import { offlineView } from '../.bench-build/core/plan/offline.js'
import { parseRoutes } from '../.bench-build/core/routes/parse.js'
import { applyRoutes } from '../.bench-build/shell/engine/apply-routes.js'
import { parseForPlan, planRoutes } from '../.bench-build/shell/engine/plan-routes.js'
import { DEFAULT_CONCURRENCY } from '../.bench-build/shell/engine/schedule.js'
import { ComputeClient } from '../.bench-build/shell/google/compute-client.js'
import { staticTokenCredentials } from '../.bench-build/shell/google/credentials.js'
import { RunClient } from '../.bench-build/shell/google/run-client.js'

const { values: flags } = parseArgs({
  options: {
    'latency-ms': { type: 'string', default: '20' },
    'operation-ms': { type: 'string', default: '400' },
    json: { type: 'string' }
  }
})
const latencyMs = Number(flags['latency-ms'])
const operationMs = Number(flags['operation-ms'])
const LB = 'edge-prod'
const B = `https://www.googleapis.com/compute/v1/projects/${LB}/global/`
const NOW = new Date('2026-11-26T12:00:00Z')
const budgets = []
const check = (what, ok) => budgets.push([what, ok])

/** startEmulator runs `lb-routes emulator` from the build in its own process (its CPU is not ours). */
async function startEmulator(extra) {
  const child = spawn(process.execPath, ['.bench-build/entry/cli.js', 'emulator', '--port', '0', ...extra], {
    stdio: ['ignore', 'pipe', 'inherit']
  })
  const url = await new Promise((resolve, reject) => {
    let buf = ''
    child.stdout.on('data', (d) => {
      buf += d
      const m = /listening on (http:\/\/\S+)/.exec(buf)
      if (m) resolve(m[1])
    })
    child.on('exit', (code) => reject(new Error(`emulator exited ${code}`)))
  })
  const admin = async (method, path, body) => {
    const res = await fetch(`${url}/_emulator/${path}`, {
      method,
      ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {})
    })
    return res.json()
  }
  return { url, admin, stop: () => child.kill('SIGTERM') }
}

function clients(url) {
  const credentials = staticTokenCredentials('bench')
  return {
    compute: new ComputeClient({ endpoint: `${url}/compute/v1/`, credentials }),
    run: new RunClient({ endpoint: `${url}/v2/`, credentials })
  }
}

// ---- scenarios: state and routes ----

const REGIONS = ['europe-west1', 'us-central1', 'asia-east1']
const runService = (name) => ({ name, ingress: 'INGRESS_TRAFFIC_ALL', invokerMembers: ['allUsers'] })

/** A route target: cloudRun by service, serverless (one NEG per region) or cloudRun by URL. */
function target(kind, i, project, regions) {
  if (kind === 'run') return { cloudRun: { project, region: regions[0], service: `svc${i}` } }
  if (kind === 'serverless') return { serverless: { project, service: `svc${i}`, regions } }
  return { cloudRun: { url: `https://svc${i}-x7k2-ew.a.run.app` } }
}

/**
 * scenario builds the seeded state (the shared map with an unmanaged default, and every Cloud Run service the
 * routes name, public and serving) and the routes file: `n` routes over hosts of 50 paths, `kinds(i)` the
 * target of route i, `projects` target projects, each in `regionsOf(p)`.
 */
function scenario(name, n, projects, kinds, regionsOf = (p) => [REGIONS[p % REGIONS.length]]) {
  const state = {
    projects: {
      [LB]: {
        urlMaps: [{ name: 'edge', defaultService: `${B}backendServices/lb-default` }],
        backendServices: [
          {
            name: 'lb-default',
            protocol: 'HTTPS',
            loadBalancingScheme: 'EXTERNAL_MANAGED',
            backends: [{ group: `${B}networkEndpointGroups/lb-default` }]
          }
        ],
        globalNetworkEndpointGroups: [
          {
            name: 'lb-default',
            networkEndpointType: 'INTERNET_FQDN_PORT',
            defaultPort: 443,
            networkEndpoints: [{ fqdn: 'default.example.org', port: 443 }]
          }
        ]
      }
    }
  }
  const routes = []
  for (let i = 0; i < n; i++) {
    const p = i % projects
    const project = `team-${p}`
    const regions = regionsOf(p)
    const kind = kinds(i)
    const run = ((state.projects[project] ??= {}).runServices ??= {})
    if (kind !== 'url')
      for (const r of kind === 'run' ? regions.slice(0, 1) : regions)
        (run[r] ??= []).push(runService(`svc${i}`))
    routes.push({
      name: `r${i}`,
      hosts: [`h${Math.floor(i / 50)}.example.com`],
      prefix: `/r${i}`,
      to: target(kind, i, project, regions)
    })
  }
  const doc = {
    version: 1,
    owner: 'bench',
    loadBalancer: { project: LB, urlMap: 'edge', scheme: 'EXTERNAL_MANAGED' },
    routes
  }
  return { name, n, projects, state, bytes: JSON.stringify(doc) }
}

// ---- what the state allows: the least calls of a steady-state plan ----

const pages = (k) => Math.max(1, Math.ceil(k / 500))

/**
 * leastCalls derives, from the emulator's state and the routes file, the fewest calls a plan can make: the URL
 * map; per project that holds the load balancer, a serverless target or a backend the map references, one
 * backend-service list and one aggregated NEG list (pages of 500); per (project, region) a route names, one
 * Cloud Run services list.
 */
function leastCalls(state, bytes) {
  const doc = JSON.parse(bytes)
  const mapText = JSON.stringify(state.projects[LB]?.urlMaps ?? [])
  const projects = new Set([
    LB,
    ...[...mapText.matchAll(/projects\/([^/]+)\/global\/backendServices\//g)].map((m) => m[1])
  ])
  const regions = new Set()
  for (const r of doc.routes) {
    const t = r.to.serverless ?? r.to.cloudRun
    if (r.to.serverless) projects.add(t.project)
    if (t.project) for (const region of t.regions ?? [t.region]) regions.add(`${t.project}/${region}`)
  }
  let calls = 1
  for (const p of projects) {
    const s = state.projects[p] ?? {}
    const negs =
      (s.globalNetworkEndpointGroups ?? []).length +
      Object.values(s.regionNetworkEndpointGroups ?? {}).reduce((a, l) => a + l.length, 0)
    calls += pages((s.backendServices ?? []).length) + pages(negs)
  }
  for (const pr of regions) {
    const [p, region] = pr.split('/')
    calls += pages((state.projects[p]?.runServices?.[region] ?? []).length)
  }
  return { calls, projectsTouched: new Set([...projects, ...[...regions].map((x) => x.split('/')[0])]).size }
}

// ---- measuring ----

const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0)
const diff = (a, b) =>
  Object.fromEntries(
    Object.entries(b)
      .map(([k, v]) => [k, v - (a[k] ?? 0)])
      .filter(([, v]) => v > 0)
  )

/** measureCalls runs `fn` and reports the API calls it made, per API method and per project. */
async function measureCalls(emu, fn) {
  const c0 = await emu.admin('GET', 'counters')
  const log0 = (await emu.admin('GET', 'requests')).length
  const t0 = performance.now()
  const value = await fn()
  const ms = performance.now() - t0
  const perApi = diff(c0, await emu.admin('GET', 'counters'))
  const perProject = {}
  for (const e of (await emu.admin('GET', 'requests')).slice(log0)) {
    const p = /\/projects\/([^/]+)\//.exec(e.path)?.[1]
    if (p && !e.path.startsWith('/_emulator')) perProject[p] = (perProject[p] ?? 0) + 1
  }
  return { value, ms, perApi, perProject, calls: sum(perApi) }
}

function failIfErrors(what, out) {
  const errors = (out.diagnostics ?? []).filter((d) => d.severity === 'error')
  if (errors.length || (out.result && !['applied', 'no-changes'].includes(out.result.status)))
    throw new Error(
      `${what}: ${errors
        .slice(0, 3)
        .map((d) => d.message)
        .join('; ')} ${out.result?.message ?? ''}`
    )
}

/** steady converges a scenario (setup, not measured: a raised mutation rate) and measures a plan with no changes. */
async function steady(emu, sc) {
  await emu.admin('POST', 'reset')
  await emu.admin('PUT', 'state', sc.state)
  const c = clients(emu.url)
  const config = parseForPlan({ file: 'routes.json', bytes: sc.bytes }).config
  const input = { file: 'routes.json', config, clients: c, now: NOW }
  failIfErrors(`${sc.name} setup apply`, await applyRoutes({ ...input, mutationsPerMinute: 1e9 }))
  const state = await emu.admin('GET', 'state')
  const m = await measureCalls(emu, () => planRoutes(input))
  failIfErrors(`${sc.name} plan`, m.value)
  if (m.value.plan.changes.length !== 0) throw new Error(`${sc.name}: the steady-state plan has changes`)
  const least = leastCalls(state, sc.bytes)
  return { ...m, least }
}

/** applyScenario applies a scenario from scratch at the default settings and compares with its critical path. */
async function applyScenario(emu, sc) {
  await emu.admin('POST', 'reset')
  await emu.admin('PUT', 'state', sc.state)
  const config = parseForPlan({ file: 'routes.json', bytes: sc.bytes }).config
  const input = { file: 'routes.json', config, clients: clients(emu.url), now: NOW }
  const first = await measureCalls(emu, () => planRoutes(input))
  failIfErrors(`${sc.name} plan`, first.value)
  const depth = graphDepth(applyGraph(first.value.plan.changes))
  const apply = await measureCalls(emu, () => applyRoutes(input))
  failIfErrors(`${sc.name} apply`, apply.value)
  return { first, apply, depth, criticalMs: depth * operationMs, changes: first.value.plan.changes.length }
}

/** validateMs times `lb-routes validate`'s work (parse, rules, offline route tests) on n generated routes. */
function validateMs(n) {
  const sc = scenario(`validate ${n}`, n, 10, (i) => (i % 5 < 3 ? 'url' : 'serverless'))
  const bytes = JSON.stringify({ ...JSON.parse(sc.bytes), options: { sharedCloudRunBackend: true } }, null, 2)
  const t0 = performance.now()
  const parsed = parseRoutes(bytes, { file: 'routes.json' })
  const view = offlineView(parsed.config)
  const ms = performance.now() - t0
  if (view.failures.length) throw new Error(`validate ${n}: ${view.failures[0].message}`)
  return ms
}

/** bundle builds the action into a temp dir (never dist/) and returns its directory and size. */
function bundle() {
  const dir = mkdtempSync(join(tmpdir(), 'lb-routes-bundle-'))
  execFileSync('npx', ['ncc', 'build', '.bench-build/entry/action.js', '-o', dir, '--minify', '-q'], {
    stdio: 'inherit'
  })
  const bytes = readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .reduce((a, f) => a + statSync(join(dir, f)).size, 0)
  return { dir, bytes }
}

/** coldStart: median ms from spawning the bundled action (a plan on a PR) to its first API request. */
async function coldStart(actionDir) {
  const emu = await startEmulator([])
  const sc = scenario('cold start', 10, 1, () => 'url')
  const dir = mkdtempSync(join(tmpdir(), 'lb-routes-bench-'))
  writeFileSync(join(dir, 'routes.json'), sc.bytes)
  const event = {
    pull_request: { number: 1, head: { repo: { full_name: 'o/r' } }, base: { repo: { full_name: 'o/r' } } }
  }
  writeFileSync(join(dir, 'event.json'), JSON.stringify(event))
  const times = []
  try {
    for (let i = 0; i < 11; i++) {
      await emu.admin('POST', 'reset')
      await emu.admin('PUT', 'state', sc.state)
      const t0 = Date.now()
      await new Promise((resolve) => {
        const child = spawn(process.execPath, [join(actionDir, 'index.js')], {
          stdio: 'ignore',
          env: {
            PATH: process.env.PATH,
            'INPUT_ROUTES-FILE': join(dir, 'routes.json'),
            INPUT_COMMAND: 'plan',
            INPUT_COMMENT: 'never',
            'INPUT_GITHUB-TOKEN': 'x',
            GITHUB_EVENT_NAME: 'pull_request',
            GITHUB_EVENT_PATH: join(dir, 'event.json'),
            GITHUB_REPOSITORY: 'o/r',
            RUNNER_TEMP: dir,
            GOOGLE_OAUTH_ACCESS_TOKEN: 'bench',
            GOOGLE_COMPUTE_CUSTOM_ENDPOINT: `${emu.url}/compute/v1/`,
            GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT: `${emu.url}/v2/`
          }
        })
        child.on('exit', resolve)
      })
      const first = (await emu.admin('GET', 'requests')).find((r) => !r.path.startsWith('/_emulator'))
      if (first) times.push(first.time - t0)
    }
  } finally {
    emu.stop()
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

// ---- run ----

const table = (header, rows) =>
  [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n')
const fmtCalls = (o, top = 8) => {
  const e = Object.entries(o).sort((a, b) => b[1] - a[1])
  const shown = e.slice(0, top).map(([k, v]) => `${k} ${v}`)
  return e.length > top ? `${shown.join(', ')}, … (${e.length} in all)` : shown.join(', ')
}

const out = []
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
out.push(`lb-routes bench — ${machine}`)

// 1. Applies at the shipped defaults on the timed emulator.
const timed = await startEmulator(['--latency-ms', String(latencyMs), '--operation-ms', String(operationMs)])
const applyRows = []
const applyResults = []
try {
  process.stderr.write('bench: warm-up apply (not reported)…\n')
  await applyScenario(
    timed,
    scenario('warm-up', 10, 2, (i) => (i % 2 ? 'run' : 'serverless'))
  )
  for (const sc of [
    scenario('60 new routes / 6 projects (cloudRun by service + serverless)', 60, 6, (i) =>
      i % 2 ? 'run' : 'serverless'
    ),
    scenario('60 new routes / 6 projects (cloudRun by service)', 60, 6, () => 'run')
  ]) {
    process.stderr.write(`bench: apply ${sc.name}…\n`)
    const r = await applyScenario(timed, sc)
    const wall = r.apply.ms
    const bound = 1.3 * r.criticalMs + 2500
    const ratio = wall / r.criticalMs
    check(
      `apply ${sc.name}: ${Math.round(wall)} ms ≤ 1.3 × ${r.criticalMs} ms + 2.5 s = ${Math.round(bound)} ms`,
      wall <= bound
    )
    applyResults.push({
      name: sc.name,
      changes: r.changes,
      depth: r.depth,
      criticalMs: r.criticalMs,
      applyMs: Math.round(wall),
      applyPhaseMs: r.apply.value.result.durationMs,
      calls: r.apply.perApi
    })
    applyRows.push([
      sc.name,
      r.changes,
      r.depth,
      r.criticalMs,
      Math.round(r.first.ms),
      Math.round(wall),
      r.apply.value.result.durationMs,
      `${ratio.toFixed(2)}×`,
      Math.round(bound),
      wall <= bound ? '✓' : '✗'
    ])
  }
} finally {
  timed.stop()
}
out.push(
  '',
  `Apply from scratch — emulator ${latencyMs} ms per call, ${operationMs} ms per operation; default concurrency ${DEFAULT_CONCURRENCY} per project and the default mutation rate; critical path = dependency depth × ${operationMs} ms`,
  '',
  table(
    [
      'scenario',
      'changes',
      'depth',
      'critical path ms',
      'first plan ms',
      'apply wall ms',
      'apply phase ms',
      'apply / critical',
      'bound ms (1.3 × critical + 2.5 s)',
      'ok'
    ],
    applyRows
  )
)

// 2. Steady-state plans on the zero-latency emulator: calls against the least the state allows.
const fast = await startEmulator([])
const steadyRows = []
const steadyResults = []
const callLines = []
try {
  const scenarios = [
    [
      'cloudRun by service',
      scenario('1,000 cloudRun-by-service routes / 50 projects', 1000, 50, () => 'run'),
      true
    ],
    [
      'cloudRun by service',
      scenario('100 cloudRun-by-service routes / 50 projects', 100, 50, () => 'run'),
      false
    ],
    [
      'serverless',
      scenario(
        '300 serverless routes / 10 projects, 3 regions',
        300,
        10,
        () => 'serverless',
        () => REGIONS
      ),
      false
    ],
    [
      'mixed',
      scenario(
        '1,000 mixed routes / 20 projects (by service, serverless, by URL)',
        1000,
        20,
        (i) => ['run', 'serverless', 'url'][i % 3]
      ),
      false
    ]
  ]
  for (const [, sc, acceptance] of scenarios) {
    process.stderr.write(`bench: steady-state plan ${sc.name}…\n`)
    const r = await steady(fast, sc)
    const bound = 2 * (r.least.projectsTouched + 5)
    const iam = r.perApi['run.services.getIamPolicy'] ?? 0
    const validate = r.perApi['compute.urlMaps.validate'] ?? 0
    const ok = r.calls <= r.least.calls && iam === 0 && validate === 0 && (!acceptance || r.calls <= bound)
    check(
      `steady plan ${sc.name}: ${r.calls} calls (least ${r.least.calls}${acceptance ? `, bound ${bound}` : ''}), ${iam} getIamPolicy, ${validate} urlMaps.validate`,
      ok
    )
    if (sc.n === 1000)
      check(`steady plan ${sc.name} < 2 s at zero latency (${Math.round(r.ms)} ms)`, r.ms < 2000)
    const perProject = Object.values(r.perProject)
    steadyRows.push([
      sc.name,
      sc.n,
      r.least.projectsTouched,
      r.calls,
      r.least.calls,
      acceptance ? bound : '—',
      iam,
      validate,
      `${Math.min(...perProject)}–${Math.max(...perProject)}`,
      Math.round(r.ms),
      ok ? '✓' : '✗'
    ])
    steadyResults.push({
      name: sc.name,
      routes: sc.n,
      calls: r.calls,
      least: r.least,
      perApi: r.perApi,
      perProject: r.perProject,
      planMs: Math.round(r.ms)
    })
    callLines.push(`- ${sc.name}: per API: ${fmtCalls(r.perApi)}; per project: ${fmtCalls(r.perProject, 4)}`)
  }
} finally {
  fast.stop()
}
out.push(
  '',
  'Steady-state plan (nothing to change) — zero-latency emulator; least = URL map + per project one list page (500) of backend services and of NEGs (aggregated) + per (project, region) one Cloud Run list page',
  '',
  table(
    [
      'scenario',
      'routes',
      'projects touched',
      'calls',
      'least (from state)',
      'bound 2 × (projects + 5)',
      'getIamPolicy',
      'urlMaps.validate',
      'calls per project',
      'plan ms',
      'ok'
    ],
    steadyRows
  ),
  '',
  'Calls of those plans:',
  ...callLines
)

// 3. Validation curve (no network).
const curve = []
validateMs(1000) // warm-up
for (const n of [1000, 3000, 10000, 30000]) {
  const ms = validateMs(n)
  curve.push([n, Math.round(ms), (ms / n).toFixed(3)])
  if (n === 10000) check(`validate 10,000 routes < 3 s (${Math.round(ms)} ms)`, ms < 3000)
}
out.push(
  '',
  'Validate (parse, rules, offline route tests; no network)',
  '',
  table(['routes', 'ms', 'ms per route'], curve)
)

// 3b. The traffic-ownership check alone (differential routing; it runs inside every plan above too).
const traffic = benchTraffic([1000, 5000])
for (const r of traffic.filter((t) => t.routes === 1000))
  check(`traffic check of a 1,000-route plan < 1 s (${r.ms} ms)`, r.ms < 1000)
out.push(
  '',
  'Traffic ownership check (differential routing of live vs merged map, 20 owners; median of 5)',
  '',
  table(
    ['routes', 'probes', 'moves', 'refused', 'ms'],
    traffic.map((t) => [t.routes, t.probes, t.moves, t.refused, t.ms])
  )
)

// 4. Bundle size and cold start of the action, built into a temp dir.
process.stderr.write('bench: bundling the action into a temp dir…\n')
const built = bundle()
let cold
try {
  cold = await coldStart(built.dir)
} finally {
  rmSync(built.dir, { recursive: true, force: true })
}
check(`action cold start < 300 ms (${cold} ms)`, cold < 300)
check(`action bundle < 3 MB (${(built.bytes / 2 ** 20).toFixed(2)} MB)`, built.bytes < 3 * 2 ** 20)
out.push(
  '',
  table(
    ['action', 'value'],
    [
      ['cold start (spawn → first API call, median of 11)', `${cold} ms`],
      ['bundle (index.js and chunks)', `${(built.bytes / 2 ** 20).toFixed(2)} MB`]
    ]
  )
)

out.push('', ...budgets.map(([what, ok]) => `${ok ? '✓' : '✗'} ${what}`))
process.stdout.write(out.join('\n') + '\n')
if (flags.json)
  writeFileSync(
    flags.json,
    JSON.stringify(
      {
        machine,
        latencyMs,
        operationMs,
        applies: applyResults,
        steady: steadyResults,
        validate: curve,
        traffic,
        coldStartMs: cold,
        bundleBytes: built.bytes,
        budgets: Object.fromEntries(budgets)
      },
      null,
      2
    ) + '\n'
  )
process.exitCode = budgets.every(([, ok]) => ok) ? 0 : 1
