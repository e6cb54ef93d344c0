// `npm run bench`: plan and apply generated route sets against the bundled emulator with realistic timing,
// and report API calls, wall time, CPU, waves vs critical path, peak memory, the action's cold start and
// the bundle size. Not a test: it prints a table (and JSON with --json) and says which budgets hold.
//
//   npm run bench -- [--sizes 10,100,1000,5000] [--projects 1,10,50] [--latency-ms 20] [--operation-ms 200]
//                    [--concurrency 256] [--json out.json]
import { spawn } from 'node:child_process'
import { mkdtempSync, statSync, writeFileSync, readdirSync } from 'node:fs'
import { tmpdir, cpus, totalmem } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { planRoutes } from '../.bench-build/shell/engine/plan-routes.js'
import { applyRoutes } from '../.bench-build/shell/engine/apply-routes.js'
import { ComputeClient } from '../.bench-build/shell/google/compute-client.js'
import { RunClient } from '../.bench-build/shell/google/run-client.js'
import { staticTokenCredentials } from '../.bench-build/shell/google/credentials.js'

const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10,100,1000,5000' },
    projects: { type: 'string', default: '1,10,50' },
    'latency-ms': { type: 'string', default: '20' },
    'operation-ms': { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '256' },
    json: { type: 'string' }
  }
})
const sizes = flags.sizes.split(',').map(Number)
const projectCounts = flags.projects.split(',').map(Number)
const latencyMs = Number(flags['latency-ms'])
const operationMs = Number(flags['operation-ms'])
const concurrency = Number(flags.concurrency)
const LB = 'edge-prod'
const B = 'https://www.googleapis.com/compute/v1/projects/edge-prod/global/'

/** startEmulator runs `lb-routes emulator` from the bundle in its own process (its CPU is not ours). */
async function startEmulator(extra) {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_EMULATOR_PROF
        ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_EMULATOR_PROF]
        : []),
      '.bench-build/entry/cli.js',
      'emulator',
      '--port',
      '0',
      ...extra
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit']
    }
  )
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

/** seed: the shared map with an unmanaged default, and the target projects (with Cloud Run services). */
function seedState(projects) {
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
  for (let p = 0; p < projects; p++) state.projects[`team-${p}`] = { runServices: { 'europe-west1': [] } }
  return state
}

/**
 * routesFile: n routes over hosts of 50 paths; half Cloud Run by URL, half serverless in the target
 * projects — above 1,000 routes 3 in 5 are Cloud Run (on the shared backend) so the map stays under its
 * limit of 2,500 backend services.
 */
function routesFile(n, projects) {
  const routes = []
  for (let i = 0; i < n; i++) {
    const host = `h${Math.floor(i / 50)}.example.com`
    const cloudRun = n > 1000 ? i % 5 < 3 : i % 2 === 0
    const to = cloudRun
      ? { cloudRun: { url: `https://svc${i}-x7k2-ew.a.run.app` } }
      : { serverless: { project: `team-${i % projects}`, service: `svc${i}`, regions: ['europe-west1'] } }
    routes.push({ name: `r${i}`, hosts: [host], prefix: `/r${i}`, to })
  }
  // Above ~2,500 distinct backend services a URL map hits its limit; share the Cloud Run backend then (DESIGN.md §3).
  return JSON.stringify({
    version: 1,
    owner: 'bench',
    loadBalancer: { project: LB, urlMap: 'edge', scheme: 'EXTERNAL_MANAGED' },
    ...(n > 1000 ? { options: { sharedCloudRunBackend: true } } : {}),
    routes
  })
}

const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0)
const reads = (c) =>
  sum(
    Object.fromEntries(Object.entries(c).filter(([k]) => /\.(get|list|aggregatedList|getIamPolicy)$/.test(k)))
  )

async function measure(fn) {
  let peak = process.memoryUsage().rss
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10)
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const value = await fn()
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  clearInterval(timer)
  return {
    value,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: Math.max(peak, process.memoryUsage().rss) / 2 ** 20
  }
}

function clients(url) {
  const credentials = staticTokenCredentials('bench')
  return {
    compute: new ComputeClient({ endpoint: `${url}/compute/v1/`, credentials, retry: { baseMs: 20 } }),
    run: new RunClient({ endpoint: `${url}/v2/`, credentials })
  }
}

/** Sequential operations each change needs within its wave (a global NEG is inserted, then its endpoint attached). */
const stepsOf = (c) =>
  c.address.kind === 'globalNetworkEndpointGroup' && c.action === 'create'
    ? 2
    : c.after?.securityPolicy && c.action === 'create'
      ? 2
      : 1

async function scenario(emu, n, projects) {
  await emu.admin('PUT', 'state', seedState(projects))
  await emu.admin('POST', 'reset')
  await emu.admin('PUT', 'state', seedState(projects))
  const c = clients(emu.url)
  const bytes = routesFile(n, projects)
  const input = { file: 'routes.json', bytes, clients: c, now: new Date() }
  const before = await emu.admin('GET', 'counters')
  const plan1 = await measure(() => planRoutes(input))
  const afterPlan = await emu.admin('GET', 'counters')
  const p = plan1.value.plan
  if (!p || plan1.value.diagnostics.some((d) => d.severity === 'error'))
    throw new Error(
      `plan failed: ${plan1.value.diagnostics
        .slice(0, 3)
        .map((d) => d.message)
        .join('; ')}`
    )
  const byKey = new Map(p.changes.map((ch) => [ch.key, ch]))
  // Critical path: the waves one after another, each as long as its longest chain of operations. An
  // operation as the client sees it takes its duration plus two API round trips (insert, then wait);
  // with at most `concurrency` in flight a wave of n changes needs ceil(n / concurrency) rounds; the URL
  // map write also reads the map and validates it first (two more round trips).
  const opMs = operationMs + 2 * latencyMs
  const waveSteps = p.waves.map((w) => Math.max(...w.map((k) => stepsOf(byKey.get(k)))))
  const boundedRounds = p.waves.map(
    (w) => Math.ceil(w.length / concurrency) * Math.max(...w.map((k) => stepsOf(byKey.get(k))))
  )
  const urlMapExtra = p.waves.some((w) => w.some((k) => k.startsWith('urlMap/'))) ? 2 * latencyMs : 0
  const apply = await measure(() => applyRoutes({ ...input, concurrency, reviewed: { planId: p.planId } }))
  if (apply.value.result?.status !== 'applied')
    throw new Error(`apply ${apply.value.result?.status}: ${apply.value.result?.message}`)
  const c0 = await emu.admin('GET', 'counters')
  const plan2 = await measure(() => planRoutes({ ...input, now: new Date() }))
  const c1 = await emu.admin('GET', 'counters')
  if (plan2.value.plan.changes.length !== 0) throw new Error('second plan is not empty')
  // Baseline: one GET per resource, as a Terraform refresh does (the map, every backend service, every NEG).
  // Least reads the state allows: the map, then per project the pages (500 items each, the API's maximum)
  // of one backend-service list and one aggregated NEG list, plus the LB project's global NEG list.
  const state = await emu.admin('GET', 'state')
  const pages = (k) => Math.max(1, Math.ceil(k / 500))
  let perResource = 0
  let least = 1
  for (const [project, ps] of Object.entries(state.projects)) {
    const bs = (ps.backendServices ?? []).length
    const globalNegs = (ps.globalNetworkEndpointGroups ?? []).length
    const regionNegs = Object.values(ps.regionNetworkEndpointGroups ?? {}).reduce((a, l) => a + l.length, 0)
    perResource += (ps.urlMaps ?? []).length + bs + globalNegs + regionNegs
    if (project === LB || bs + regionNegs > 0) least += pages(bs) + pages(globalNegs + regionNegs)
    if (project === LB) least += pages(globalNegs)
  }
  const steadyReads = reads(c1) - reads(c0)
  const validateCalls = (c1['compute.urlMaps.validate'] ?? 0) - (c0['compute.urlMaps.validate'] ?? 0)
  return {
    routes: n,
    projects,
    planCalls: reads(afterPlan) - reads(before),
    steadyPlanReads: steadyReads,
    steadyValidateCalls: validateCalls,
    leastReads: least,
    perResourceBaseline: perResource,
    ratio: +(perResource / steadyReads).toFixed(1),
    planMs: Math.round(plan1.ms),
    planCpuMs: Math.round(plan1.cpuMs),
    steadyPlanMs: Math.round(plan2.ms),
    waves: p.waves.length,
    changes: p.changes.length,
    // The apply phase itself (applyRoutes re-plans first; that part is measured as a plan above).
    applyMs: Math.round(apply.value.result.durationMs),
    criticalPathMs: waveSteps.reduce((a, b) => a + b, 0) * operationMs,
    boundedCriticalPathMs: boundedRounds.reduce((a, b) => a + b, 0) * opMs + urlMapExtra,
    peakRssMb: Math.round(Math.max(plan1.peakRssMb, apply.peakRssMb, plan2.peakRssMb))
  }
}

async function coldStart() {
  const emu = await startEmulator([])
  await emu.admin('PUT', 'state', seedState(1))
  const dir = mkdtempSync(join(tmpdir(), 'lb-routes-bench-'))
  writeFileSync(join(dir, 'routes.json'), routesFile(10, 1))
  writeFileSync(
    join(dir, 'event.json'),
    JSON.stringify({
      pull_request: { number: 1, head: { repo: { full_name: 'o/r' } }, base: { repo: { full_name: 'o/r' } } }
    })
  )
  const times = []
  for (let i = 0; i < 11; i++) {
    await emu.admin('POST', 'reset')
    await emu.admin('PUT', 'state', seedState(1))
    const t0 = Date.now()
    await new Promise((resolve) => {
      const child = spawn(process.execPath, ['dist/index.js'], {
        cwd: process.cwd(),
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
    const log = await emu.admin('GET', 'requests')
    const first = log.find((r) => !r.path.startsWith('/_emulator'))
    if (first) times.push(first.time - t0)
  }
  emu.stop()
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

const distSize = readdirSync('dist')
  .filter((f) => f.endsWith('.js'))
  .reduce((a, f) => a + statSync(join('dist', f)).size, 0)
const results = []
const emu = await startEmulator(['--latency-ms', String(latencyMs), '--operation-ms', String(operationMs)])
try {
  // One unmeasured scenario first: Google's API is warm, the emulator's JIT is not, and the first scenarios
  // of a run otherwise pay for compiling the emulator's (and this process's) hot paths.
  process.stderr.write('bench: warm-up (100 routes, not reported)…\n')
  await scenario(emu, 100, 1)
  for (const projects of projectCounts) {
    for (const n of sizes) {
      process.stderr.write(`bench: ${n} routes over ${projects} project(s)…\n`)
      results.push(await scenario(emu, n, projects))
    }
  }
} finally {
  emu.stop()
}
// A 1,000-route plan against a zero-latency emulator (the budget is < 2 s).
const fast = await startEmulator([])
let plan1000ZeroLatencyMs
try {
  await fast.admin('PUT', 'state', seedState(10))
  const r = await measure(() =>
    planRoutes({
      file: 'routes.json',
      bytes: routesFile(1000, 10),
      clients: clients(fast.url),
      now: new Date()
    })
  )
  plan1000ZeroLatencyMs = Math.round(r.ms)
} finally {
  fast.stop()
}
const cold = await coldStart()

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`
const header = [
  'routes',
  'projects',
  'plan reads (1st)',
  'plan reads (steady)',
  'least',
  'validate calls',
  'GET-per-resource',
  'ratio',
  'plan ms',
  'plan CPU ms',
  'waves',
  'apply ms',
  'waves × op ms',
  'critical path ms',
  'apply / critical',
  'peak RSS MB'
]
const rows = results.map((r) => [
  r.routes,
  r.projects,
  r.planCalls,
  r.steadyPlanReads,
  r.leastReads,
  r.steadyValidateCalls,
  r.perResourceBaseline,
  `${r.ratio}×`,
  r.planMs,
  r.planCpuMs,
  r.waves,
  r.applyMs,
  r.criticalPathMs,
  r.boundedCriticalPathMs,
  `${(r.applyMs / r.boundedCriticalPathMs).toFixed(2)}×`,
  r.peakRssMb
])
const table = [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n')
const readsFlat = results.every((r) => r.steadyPlanReads === r.leastReads)
const budgets = [
  [`plan reads are the least the state allows (list pages; they grow only with 500-item pages)`, readsFlat],
  [
    `apply within 1.3× the critical path (${concurrency} operations in flight; an operation is its duration + 2 round trips)`,
    results.every((r) => r.applyMs <= 1.3 * r.boundedCriticalPathMs)
  ],
  [`1,000-route plan < 2 s at zero latency (${plan1000ZeroLatencyMs} ms)`, plan1000ZeroLatencyMs < 2000],
  [`action cold start < 300 ms (${cold} ms)`, cold < 300],
  [`dist/index.js and its chunks < 3 MB (${(distSize / 2 ** 20).toFixed(2)} MB)`, distSize < 3 * 2 ** 20]
]
const out = [
  `lb-routes bench — ${machine}; emulator latency ${latencyMs} ms per call, ${operationMs} ms per operation, apply concurrency ${concurrency}`,
  '',
  table,
  '',
  ...budgets.map(([what, ok]) => `${ok ? '✓' : '✗'} ${what}`)
].join('\n')
process.stdout.write(out + '\n')
if (flags.json)
  writeFileSync(
    flags.json,
    JSON.stringify(
      {
        machine,
        latencyMs,
        operationMs,
        concurrency,
        results,
        plan1000ZeroLatencyMs,
        coldStartMs: cold,
        distBytes: distSize,
        budgets: Object.fromEntries(budgets)
      },
      null,
      2
    ) + '\n'
  )
