// Shared harness of the "prove it" suites: the seeded shared load balancer, engine clients pointed at an
// emulator, seeded scenario generators and the invariant checks every fault run must pass.
import { readFileSync } from 'node:fs'
import type { EmulatorState, MutationEvent } from '../../src/emulator/server.js'
import type { Resource } from '../../src/emulator/types.js'
import type { RouteTestCase } from '../../src/core/plan/route-tests.js'
import { evaluateUrlMap } from '../../src/core/google-semantics/evaluate.js'
import { canonicalRef } from '../../src/core/google-semantics/refs.js'
import type { UrlMap } from '../../src/core/compute.js'
import { applyRoutes, type ApplyRoutesResult } from '../../src/shell/engine/apply-routes.js'
import { parseForPlan, planRoutesFile, type PlanRoutesResult } from '../../src/shell/engine/plan-routes.js'
import type { GoogleClients } from '../../src/shell/engine/read-live-state.js'
import { ComputeClient } from '../../src/shell/google/compute-client.js'
import { staticTokenCredentials } from '../../src/shell/google/credentials.js'
import { RunClient } from '../../src/shell/google/run-client.js'

export { prng } from '../emulator/helpers.js'

/** LONG=1 runs the longer variants (more seeds and iterations). */
export const LONG = process.env.LB_ROUTES_LONG === '1'

/** report prints a suite's statistics on long runs only (LB_ROUTES_LONG=1): a passing default run is silent. */
export function report(line: string): void {
  if (LONG) process.stderr.write(line + '\n')
}

export const LB_PROJECT = 'edge-prod'
export const URL_MAP = 'edge'
export const NOW = new Date('2026-11-26T12:00:00Z')

/** The seeded shared load balancer of the demo: team-shop's routes, team-web's default, an unmanaged legacy host. */
export function seededState(): EmulatorState {
  return JSON.parse(readFileSync(new URL('../../examples/emulator-state.json', import.meta.url), 'utf8'))
}

/** clientsFor points fast-retrying engine clients at an emulator (`token` is the static bearer token). */
export function clientsFor(url: string, token = 't'): GoogleClients {
  // Fast retries, and rate limits (which wait for the next minute) cut short too.
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 5)))
  const common = { credentials: staticTokenCredentials(token), retry: { baseMs: 1, capMs: 5, sleep } }
  return {
    compute: new ComputeClient({ endpoint: url + '/compute/v1/', ...common }),
    run: new RunClient({ endpoint: url + '/v2/', ...common })
  }
}

/** apply runs the engine's apply for a routes document. */
export async function apply(clients: GoogleClients, doc: unknown): Promise<ApplyRoutesResult> {
  const parsed = parseForPlan({ file: 'routes.json', bytes: JSON.stringify(doc) })
  if (!parsed.config) return { diagnostics: parsed.diagnostics }
  const out = await applyRoutes({ file: 'routes.json', config: parsed.config, clients, now: NOW })
  return { ...out, diagnostics: [...parsed.diagnostics, ...out.diagnostics] }
}

/** plan runs the engine's plan for a routes document. */
export function plan(clients: GoogleClients, doc: unknown): Promise<PlanRoutesResult> {
  return planRoutesFile({ file: 'routes.json', bytes: JSON.stringify(doc), clients, now: NOW })
}

/** errorsOf lists a result's error diagnostics and apply message, for failure output. */
export function errorsOf(r: PlanRoutesResult & { result?: { message?: string } }): string {
  return [
    ...r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message),
    r.result?.message ?? ''
  ]
    .filter(Boolean)
    .join('\n')
}

// ---- scenario generation ----

export interface RouteDoc {
  name: string
  hosts?: string[]
  paths?: string[]
  prefix?: string
  default?: boolean
  rewrite?: { pathPrefix: string }
  to: Record<string, unknown>
}

export interface RoutesDoc {
  version: 1
  owner: string
  loadBalancer: { project: string; urlMap: string; scheme: 'EXTERNAL_MANAGED' }
  allowedInternetHosts: string[]
  routes: RouteDoc[]
}

const REGIONS = ['europe-west1', 'us-central1', 'asia-east1']

/** target draws a cloudRun-by-url, internet or serverless target (serverless = team-a's api, a region subset). */
function target(rnd: () => number, tag: string): Record<string, unknown> {
  const k = rnd()
  if (k < 0.4)
    return { cloudRun: { url: `https://${tag}-${Math.floor(rnd() * 1e6).toString(36)}-ew.a.run.app` } }
  if (k < 0.7) {
    const fqdn = `origin-${Math.floor(rnd() * 4)}.example.net`
    return { internet: { fqdn, port: 443, ...(rnd() < 0.5 ? { hostHeader: `${tag}.example.org` } : {}) } }
  }
  const regions = REGIONS.filter(() => rnd() < 0.6)
  return {
    serverless: { project: 'team-a', service: 'api', regions: regions.length ? regions : ['us-central1'] }
  }
}

/** newRoute draws a route on the owner's own host(s) or on a shared host under a unique path. */
function newRoute(rnd: () => number, owner: string, i: number, usedDefaults: Set<string>): RouteDoc {
  const name = `r${i}`
  const ownHost = `${owner}-${Math.floor(rnd() * 2)}.example.com`
  const shared = rnd() < 0.5
  // A shared host rather than `*`: a `*` path rule lands on every host (issue 12), where the seeded
  // team-shop's host default would make it a conflict.
  const hosts = shared ? ['shared.example.com'] : [ownHost]
  const route: RouteDoc = { name, hosts, to: target(rnd, `${owner}-${name}`) }
  if (!shared && !usedDefaults.has(ownHost) && rnd() < 0.3) {
    usedDefaults.add(ownHost)
    route.default = true
    return route
  }
  const base = `/${owner}-${name}`
  if (rnd() < 0.5) route.prefix = base
  else route.paths = [`${base}/*`, ...(rnd() < 0.5 ? [`${base}-x`] : [])]
  if (rnd() < 0.3) route.rewrite = { pathPrefix: '/' }
  return route
}

/** routesDoc wraps routes in a routes.json document for `owner` on the shared edge map. */
export function routesDoc(owner: string, routes: RouteDoc[]): RoutesDoc {
  return {
    version: 1,
    owner,
    loadBalancer: { project: LB_PROJECT, urlMap: URL_MAP, scheme: 'EXTERNAL_MANAGED' },
    allowedInternetHosts: ['*.example.net'],
    routes
  }
}

/** scenario draws a first routes file (2–5 routes) and a second one that removes, changes and adds routes. */
export function scenario(
  seed: number,
  rnd: () => number,
  owner = 'team-gen'
): { a: RoutesDoc; b: RoutesDoc } {
  const defaults = new Set<string>()
  const n = 2 + Math.floor(rnd() * 4)
  const a = Array.from({ length: n }, (_, i) => newRoute(rnd, owner, i, defaults))
  const b: RouteDoc[] = []
  for (const r of a) {
    const x = rnd()
    if (x < 0.25) {
      if (r.default && r.hosts) defaults.delete(r.hosts[0]!)
      continue // removed
    }
    if (x < 0.55)
      b.push({ ...r, to: target(rnd, `${owner}-${r.name}-v${seed}`) }) // new target
    else if (x < 0.65 && !r.default)
      b.push({ ...r, rewrite: { pathPrefix: '/v2/' } }) // changed rule
    else b.push(r)
  }
  if (rnd() < 0.6) b.push(newRoute(rnd, owner, n, defaults))
  return { a: routesDoc(owner, a), b: routesDoc(owner, b) }
}

// ---- invariants ----

const isMarked = (d: unknown, owners: readonly string[]) =>
  typeof d === 'string' && owners.some((o) => d.includes(`lb-routes owner=${o} `))

/**
 * othersView is every part of the state that `owner` must never change: the other owners' and unmanaged
 * backend services and NEGs (byte for byte) and the URL map without this owner's host rules, matchers
 * and path rules (their order included).
 */
export function othersView(state: EmulatorState, owner: string | readonly string[]): string {
  const owners = typeof owner === 'string' ? [owner] : owner
  const mine = (ref: unknown) =>
    typeof ref === 'string' && owners.some((o) => ref.includes(`/backendServices/lbr-${o}-`))
  const out: Record<string, unknown> = {}
  for (const [project, p] of Object.entries(state.projects)) {
    const keep = (xs: Resource[] | undefined) => (xs ?? []).filter((x) => !isMarked(x.description, owners))
    const maps = (p.urlMaps ?? []).map((m) => ({
      ...m,
      fingerprint: undefined,
      hostRules: (m.hostRules ?? []).filter((h: Resource) => !isMarked(h.description, owners)),
      pathMatchers: (m.pathMatchers ?? [])
        .filter((pm: Resource) => !isMarked(pm.description, owners))
        .map((pm: Resource) => ({
          ...pm,
          pathRules: (pm.pathRules ?? []).filter((r: Resource) => !mine(r.service))
        }))
    }))
    out[project] = {
      urlMaps: maps,
      backendServices: keep(p.backendServices),
      globalNegs: keep(p.globalNetworkEndpointGroups),
      regionNegs: Object.fromEntries(
        Object.entries(p.regionNetworkEndpointGroups ?? {})
          .map(([r, xs]) => [r, keep(xs)] as const)
          .filter(([, xs]) => xs.length > 0)
      ),
      runServices: p.runServices ?? {}
    }
  }
  return JSON.stringify(out, null, 1)
}

/** Requests served by other owners' and unmanaged rules of the seeded map, and the URL map default. */
export const OTHER_PROBES: readonly { host: string; path: string }[] = [
  { host: 'shop.example.com', path: '/' },
  { host: 'shop.example.com', path: '/cart' },
  { host: 'shop.example.com', path: '/cart/items' },
  { host: 'legacy.example.com', path: '/' },
  { host: 'legacy.example.com', path: '/old/page' },
  { host: 'www.example.com', path: '/shop' },
  { host: 'www.example.com', path: '/shop/x' },
  { host: 'www.example.com', path: '/' },
  { host: 'unknown.example.org', path: '/anything' }
]

function urlMapOf(state: EmulatorState): UrlMap | undefined {
  return state.projects[LB_PROJECT]?.urlMaps?.find((m) => m.name === URL_MAP) as UrlMap | undefined
}

/** serves says where a request goes on the state's live URL map, or why it would be an error page. */
export function serves(
  state: EmulatorState,
  host: string,
  path: string
): { service?: string; error?: string } {
  const map = urlMapOf(state)
  if (!map) return { error: 'the URL map does not exist' }
  const r = evaluateUrlMap(map, { host, path })
  if (r.kind !== 'service')
    return { error: `${host}${path} ${r.kind === 'redirect' ? 'is redirected' : 'matches nothing'}` }
  const service = canonicalRef(r.service, LB_PROJECT)
  const m = /\/projects\/([^/]+)\/global\/backendServices\/([^/]+)$/.exec(service)
  const bs = m ? state.projects[m[1]!]?.backendServices?.find((b) => b.name === m[2]) : undefined
  if (!bs) return { service, error: `${host}${path} reaches ${service}, which does not exist` }
  for (const b of (bs.backends ?? []) as { group?: string }[]) {
    const g = /\/projects\/([^/]+)\/(?:global|regions\/([^/]+))\/networkEndpointGroups\/([^/]+)$/.exec(
      b.group ?? ''
    )
    const p = g ? state.projects[g[1]!] : undefined
    const negs = g?.[2] ? p?.regionNetworkEndpointGroups?.[g[2]] : p?.globalNetworkEndpointGroups
    if (!g || !negs?.some((n) => n.name === g[3]))
      return { service, error: `${host}${path} reaches ${service}, whose NEG ${b.group} does not exist` }
  }
  if ((bs.backends ?? []).length === 0)
    return { service, error: `${host}${path} reaches ${service}, which has no backends` }
  return { service }
}

/** A request of a route that exists before and after a change, and the backends it may reach meanwhile. */
export interface Probe {
  readonly host: string
  readonly path: string
  readonly route: string
  readonly allowed: ReadonlySet<string>
}

/** survivingProbes: the generated test requests common to both plans for routes present in both files. */
export function survivingProbes(before: readonly RouteTestCase[], after: readonly RouteTestCase[]): Probe[] {
  const probes: Probe[] = []
  for (const b of before) {
    const a = after.find((x) => x.route === b.route && x.host === b.host && x.path === b.path)
    if (a)
      probes.push({ host: b.host, path: b.path, route: b.route, allowed: new Set([b.service, a.service]) })
  }
  return probes
}

/**
 * Watcher checks, after every single mutation, that surviving routes and other owners' requests still
 * reach an existing backend service with existing NEGs (no 404 window). Violations are collected, not
 * thrown: the observer runs inside the emulator.
 */
export class Watcher {
  probes: Probe[] = []
  otherExpect = new Map<string, string | undefined>()
  violations: string[] = []
  mutations = 0
  /** Called after the `after`-th mutation of the current run (for simulated kills). */
  onCount?: (n: number) => void

  /** arm starts a run (forgetting earlier violations): the probes to keep serving and other owners' requests as they resolve in `state`. */
  arm(state: EmulatorState, probes: Probe[]): void {
    this.probes = probes
    this.mutations = 0
    this.violations = []
    this.otherExpect = new Map(
      OTHER_PROBES.map((p) => [`${p.host}${p.path}`, serves(state, p.host, p.path).service])
    )
  }

  readonly observe = (e: MutationEvent): void => {
    this.mutations++
    for (const p of this.probes) {
      const s = serves(e.state, p.host, p.path)
      if (s.error)
        this.violations.push(`after ${e.method} (#${this.mutations}): route ${p.route}: ${s.error}`)
      else if (!p.allowed.has(s.service!))
        this.violations.push(
          `after ${e.method} (#${this.mutations}): route ${p.route}: ${p.host}${p.path} reaches ${s.service}`
        )
    }
    for (const p of OTHER_PROBES) {
      const s = serves(e.state, p.host, p.path)
      const want = this.otherExpect.get(`${p.host}${p.path}`)
      if (s.error || s.service !== want)
        this.violations.push(
          `after ${e.method} (#${this.mutations}): other owner's ${p.host}${p.path}: ${s.error ?? s.service}, was ${want}`
        )
    }
    this.onCount?.(this.mutations)
  }
}

/** MUTATING lists the API methods that change state (counter names). */
export function mutatingCounts(counters: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counters).filter(([m]) =>
      /\.(insert|update|patch|delete|attachNetworkEndpoints|detachNetworkEndpoints|setSecurityPolicy|setUrlMap)$/.test(
        m
      )
    )
  )
}
