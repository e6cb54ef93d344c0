// buildPlan: the pure heart of `lb-routes plan`. Live state and compiled routes in, a Plan value out.
import { createHash } from 'node:crypto'
import type { UrlMap } from '../compute.js'
import type { CompileResult } from '../compile/compile-desired.js'
import { markerOwner, markerRoutes } from '../compile/markers.js'
import type { Route, RoutesConfig, SourceRef, Target } from '../routes/model.js'
import { canonicalRef, refName } from '../urlmap/refs.js'
import { validateUrlMapStructure } from '../urlmap/validate.js'
import type { LiveState } from './live.js'
import { mergeUrlMap, ownedRuleView, urlMapsEquivalent } from './merge-url-map.js'
import {
  changeKey,
  type Plan,
  type PlanCheck,
  type ResourceChange,
  type RouteSummary,
  type TrafficMove
} from './model.js'
import { trafficStep } from '../traffic/plan-check.js'
import { diffFrontend } from './frontend.js'
import { bindExisting } from './adopt.js'
import { diffResources, locate } from './resources.js'
import { routeTestCases, runRouteTests, type RouteTestCase } from './route-tests.js'

/** The `route` of a PlanProblem about the frontend block (points the diagnostic at `frontend`). */
export const FRONTEND = '(frontend)'

/** A plan-time error; `route` lets the shell point the diagnostic at that route in routes.json. */
export interface PlanProblem {
  readonly message: string
  readonly route?: string
  /** Where in routes.json the problem is (a declared test); else the route's position, else loadBalancer's. */
  readonly at?: SourceRef
}

export interface BuildPlanInput {
  readonly config: RoutesConfig
  readonly compiled: CompileResult
  readonly live: LiveState
  readonly now: Date
  /** Take over equivalent hand-built resources in place (plan --adopt, adopt.ts). */
  readonly adopt?: boolean
}

export interface BuildPlanResult {
  /** Present even with problems (for display); never apply a plan that has problems. */
  readonly plan?: Plan
  readonly problems: readonly PlanProblem[]
  /** The merged URL map and the tests to validate it with server-side. */
  readonly mergedMap?: UrlMap
  readonly testCases: readonly RouteTestCase[]
}

/** Network hops from the load balancer to the service: chained load balancers and run.app front ends add one. */
export function hopsOf(target: Target): number {
  switch (target.kind) {
    case 'serverless':
    case 'internet':
      return 1
    case 'cloudRun':
    case 'loadBalancer':
      return 2
  }
}

/** describeTarget says where a route goes, in words. */
export function describeTarget(target: Target): string {
  switch (target.kind) {
    case 'cloudRun':
      return 'url' in target
        ? `Cloud Run ${new URL(target.url).hostname}`
        : `Cloud Run ${target.service} (${target.project}, ${target.region})`
    case 'serverless':
      return `Cloud Run ${target.service} in ${target.regions.join(', ')} (${target.project}, serverless NEGs)`
    case 'internet':
      return `${target.fqdn ?? target.ip}:${target.port} (${target.protocol})`
    case 'loadBalancer':
      return 'domain' in target
        ? `load balancer ${target.domain}`
        : `load balancer ${target.project}/${target.forwardingRule}`
  }
}

function targetProject(target: Target): string | undefined {
  if (target.kind === 'serverless') return target.project
  if (target.kind === 'cloudRun' && 'project' in target) return target.project
  if (target.kind === 'loadBalancer' && 'project' in target) return target.project
  return undefined
}

/** computePlanId hashes the owner's intended changes only (no fingerprints, no other owners' rules). */
export function computePlanId(
  owner: string,
  changes: readonly ResourceChange[],
  ruleChanges: readonly unknown[],
  trafficMoves: readonly TrafficMove[] = []
): string {
  const intent = {
    owner,
    changes: changes
      .filter((c) => c.address.kind !== 'urlMap')
      .map((c) => ({ key: c.key, action: c.action, after: c.after ?? null }))
      .sort((a, b) => (a.key < b.key ? -1 : 1)),
    rules: ruleChanges,
    moves: trafficMoves
  }
  return createHash('sha256').update(JSON.stringify(intent)).digest('hex').slice(0, 16)
}

const is =
  (kinds: readonly string[], deleting: boolean) =>
  (c: ResourceChange): boolean =>
    (c.action === 'delete') === deleting && kinds.some((k) => c.address.kind.endsWith(k))
const NEG = 'NetworkEndpointGroup'
const WAVE_ORDER: ((c: ResourceChange) => boolean)[] = [
  is([NEG, 'globalAddress', 'sslCertificate', 'redirectUrlMap'], false),
  is(['backendService', 'targetHttpProxy'], false),
  (c) => c.address.kind === 'urlMap',
  // The HTTPS proxy needs the shared URL map; forwarding rules need their proxies and the address.
  is(['targetHttpsProxy'], false),
  is(['globalForwardingRule'], false),
  // Deletions in reverse: nothing is deleted while something still uses it.
  is(['backendService', 'globalForwardingRule'], true),
  is([NEG, 'targetHttpsProxy', 'targetHttpProxy'], true),
  is(['sslCertificate', 'redirectUrlMap'], true),
  is(['globalAddress'], true)
]

/**
 * applyWaves orders changes (DESIGN.md §6): NEGs, address, certificate, redirect map → backend services,
 * HTTP proxy → URL map → HTTPS proxy → forwarding rules → deletions in reverse (forwarding rules and
 * orphaned backends → proxies and NEGs → certificates and redirect map → address).
 */
export function applyWaves(changes: readonly ResourceChange[]): string[][] {
  return WAVE_ORDER.map((inWave) => changes.filter(inWave).map((c) => c.key)).filter((w) => w.length > 0)
}

function quotaCheck(map: UrlMap): PlanCheck {
  const hostRules = (map.hostRules ?? []).length
  const matchers = map.pathMatchers ?? []
  const maxRules = Math.max(
    0,
    ...matchers.map((m) => (m.pathRules ?? []).length + (m.routeRules ?? []).length)
  )
  const maxPredicates = Math.max(
    0,
    ...matchers.map((m) => (m.pathRules ?? []).reduce((n, r) => n + (r.paths ?? []).length, 0))
  )
  const services = new Set<string>()
  for (const m of matchers) for (const r of m.pathRules ?? []) if (r.service) services.add(r.service)
  const items = [
    { what: 'host rules', n: hostRules, max: 1000 },
    { what: 'path rules in one path matcher', n: maxRules, max: 1000 },
    { what: 'path predicates in one path matcher', n: maxPredicates, max: 1000 },
    { what: 'backend services referenced', n: services.size, max: 2500 }
  ]
  const tight = items.filter((i) => i.n >= i.max * 0.8)
  const detail = items.map((i) => `${i.what} ${i.n}/${i.max}`).join(', ')
  if (items.some((i) => i.n > i.max))
    return {
      name: 'Quota headroom',
      status: 'fail',
      detail: `over a URL map limit that cannot be raised: ${detail}`
    }
  return { name: 'Quota headroom', status: tight.length > 0 ? 'warn' : 'pass', detail }
}

function preflightCheck(config: RoutesConfig, live: LiveState): { check: PlanCheck; warnings: string[] } {
  const warnings: string[] = []
  let checked = 0
  for (const r of config.routes) {
    const t = r.target
    if (t.kind !== 'cloudRun' || !('project' in t)) continue
    checked++
    const f = live.runServices[`${t.project}/${t.region}/${t.service}`]
    if (!f || !f.found) continue // reported as a plan error (unresolved)
    const where = `route ${r.name}: Cloud Run service ${t.service} (${t.project}, ${t.region})`
    if (f.ingress && f.ingress !== 'INGRESS_TRAFFIC_ALL') {
      warnings.push(
        `${where} has ingress ${f.ingress}; an Internet NEG reaches it like any internet client, so set ingress to "all" (gcloud run services update ${t.service} --ingress=all) or use a serverless target`
      )
    }
    if (!f.publicInvoker && !f.invokerIamDisabled) {
      warnings.push(
        `${where} does not let allUsers invoke it; the load balancer sends no identity token, so requests will get 403 — grant roles/run.invoker to allUsers or disable the invoker IAM check`
      )
    }
    if (f.defaultUriDisabled) {
      warnings.push(
        `${where} has its default run.app URL disabled, so an Internet NEG cannot reach it; re-enable the default URL or use a serverless target`
      )
    }
  }
  const check: PlanCheck =
    checked === 0
      ? {
          name: 'Cloud Run preflight',
          status: 'skip',
          detail: 'no Cloud Run targets given by project/region/service'
        }
      : {
          name: 'Cloud Run preflight',
          status: warnings.length > 0 ? 'warn' : 'pass',
          detail:
            warnings.length > 0
              ? `${warnings.length} problem(s), see warnings`
              : `${checked} service(s): ingress all, public invoker, default URL enabled`
        }
  return { check, warnings }
}

/** buildPlan merges, diffs and checks; problems (conflicts, unresolved targets, name collisions) block apply. */
export function buildPlan(input: BuildPlanInput): BuildPlanResult {
  const { config, compiled, live, now } = input
  const adopt = input.adopt ?? false
  const binding = bindExisting(compiled.desired, live, adopt)
  const { desired } = binding
  const lb = config.loadBalancer
  const problems: PlanProblem[] = []
  for (const u of compiled.unresolved) {
    problems.push({
      route: u.route,
      message: `${u.what} was not found; check the project, region and name (and that the identity used can read it)`
    })
  }

  const ownedServices = new Set<string>()
  const serviceOwners: Record<string, string> = {}
  const liveRoutes = new Map<string, string>() // route name → backend URL, from live markers
  for (const bs of live.backendServices) {
    const owner = markerOwner(bs.description)
    if (!owner || !bs.selfLink) continue
    const url = canonicalRef(bs.selfLink, lb.project)
    serviceOwners[url] = owner
    if (owner === config.owner) {
      ownedServices.add(url)
      for (const r of markerRoutes(bs.description)) liveRoutes.set(r, url)
    }
  }
  for (const b of desired.backendServices)
    ownedServices.add(canonicalRef(`projects/${b.project}/global/backendServices/${b.name}`, lb.project))

  const merged = mergeUrlMap({
    owner: config.owner,
    project: lb.project,
    urlMapName: lb.urlMap,
    live: live.urlMap,
    rules: desired.rules,
    ownedServices,
    serviceOwners
  })
  for (const e of merged.errors) problems.push({ message: e })
  for (const c of merged.conflicts) {
    problems.push({
      ...(c.route ? { route: c.route } : {}),
      message: `${c.route ? `route ${c.route} claims` : 'claims'} host ${c.host} ${c.path === '(default)' ? 'default' : `path ${c.path}`}, which is held by ${c.holder}; pick another host or path, or agree with the holder to release it${c.holder.startsWith('an unmanaged rule') ? (adopt ? ' (adoption found no hand-built backend service with the same NEGs and Host header for this route)' : '; if that is your hand-built backend for this route, take it over in place with plan --adopt / lb-routes adopt') : ''}`
    })
  }
  const resources = diffResources(desired, live, { ...binding, requested: adopt })
  for (const e of resources.errors) problems.push({ message: e })
  const frontend = diffFrontend(config.owner, lb, desired.frontend, live.frontend)
  for (const e of frontend.errors) problems.push({ message: e, route: FRONTEND })

  const changes: ResourceChange[] = [...resources.changes, ...frontend.changes]
  const mergedMap = merged.map
  if (mergedMap) {
    const address = { kind: 'urlMap' as const, project: lb.project, name: lb.urlMap }
    const key = changeKey(address)
    if (!live.urlMap) {
      changes.push({
        key,
        address,
        action: 'create',
        reason: 'the shared URL map does not exist yet; this owner declares its default',
        after: mergedMap,
        rules: merged.ruleChanges
      })
    } else if (!urlMapsEquivalent(live.urlMap, mergedMap, lb.project)) {
      const n = merged.ruleChanges.length
      changes.push({
        key,
        address,
        action: 'update',
        reason:
          n > 0
            ? `${n} rule change(s) for owner ${config.owner}`
            : 'tidy: re-point defaults / drop empty lb-routes path matchers',
        before: live.urlMap,
        after: mergedMap,
        rules: merged.ruleChanges
      })
    }
  }

  // Checks.
  const checks: PlanCheck[] = []
  const warnings: string[] = [...compiled.notes, ...frontend.warnings]
  const testCases = mergedMap ? routeTestCases(config, desired) : []
  if (mergedMap) {
    const failures = runRouteTests(mergedMap, testCases, lb.project)
    // A route that claims someone else's path already has a conflict error; its generated tests fail for
    // the same reason and would only repeat it.
    const conflicted = new Set(merged.conflicts.map((c) => c.route))
    for (const f of failures) {
      if (f.test.origin === 'generated' && conflicted.has(f.test.route)) continue
      if (f.test.origin === 'declared')
        problems.push({ message: `route test failed: ${f.message}`, route: f.test.route, at: f.test.at })
      else
        problems.push({
          message: `generated route test failed (another rule shadows this route): ${f.message}`,
          route: f.test.route
        })
    }
    const declared = testCases.filter((t) => t.origin === 'declared').length
    checks.push({
      name: 'Route tests (offline)',
      status: failures.length > 0 ? 'fail' : 'pass',
      detail:
        failures.length > 0
          ? failures.map((f) => f.message).join('; ')
          : `${testCases.length} passed (${declared} declared, ${testCases.length - declared} generated)`
    })
    const structural = validateUrlMapStructure(mergedMap, { scheme: lb.scheme })
    for (const p of structural)
      problems.push({ message: `the merged URL map would be rejected: ${p.message}` })
    checks.push({
      name: 'URL map rules (offline)',
      status: structural.length > 0 ? 'fail' : 'pass',
      detail:
        structural.length > 0
          ? structural.map((p) => p.message).join('; ')
          : 'hosts, paths, matchers and defaults are valid'
    })
    checks.push(quotaCheck(mergedMap))
  }
  const traffic = mergedMap
    ? trafficStep({
        owner: config.owner,
        project: lb.project,
        scheme: lb.scheme,
        live: live.urlMap,
        merged: mergedMap,
        serviceOwners,
        ownedServices,
        routes: config.routes,
        routeServices: desired.routeServices,
        testHosts: config.tests.map((t) => t.host)
      })
    : undefined
  if (traffic) {
    checks.push(traffic.check)
    for (const c of traffic.conflicts)
      problems.push({ message: c.message, ...(c.route ? { route: c.route } : {}) })
  }
  const preflight = preflightCheck(config, live)
  checks.push(preflight.check)
  warnings.push(...preflight.warnings)
  const chained = config.routes.filter((r) => hopsOf(r.target) > 1)
  checks.push({
    name: 'Hop count',
    status: 'pass',
    detail: `${config.routes.length - chained.length} route(s) direct, ${chained.length} through an extra hop (Cloud Run front end or another load balancer)`
  })

  // Route table.
  const changedRoutes = new Set<string>()
  for (const c of changes) for (const r of c.routes ?? []) changedRoutes.add(r)
  const adoptedRoutes = new Set(
    changes
      .filter((c) => c.action === 'adopt' && c.address.kind === 'backendService')
      .flatMap((c) => c.routes ?? [])
  )
  const ruleRouteServices = new Set(merged.ruleChanges.flatMap((c) => [c.before, c.after]).filter(Boolean))
  const routes: RouteSummary[] = config.routes.map((r: Route) => {
    const service = desired.routeServices[r.name]!
    const backendName = refName(service)
    // A route existed when a live backend service of this owner lists it in its marker, or is being adopted.
    const status =
      !liveRoutes.has(r.name) && !adoptedRoutes.has(r.name)
        ? 'new'
        : changedRoutes.has(r.name) || ruleRouteServices.has(backendName)
          ? 'changed'
          : 'unchanged'
    const tp = targetProject(r.target)
    return {
      name: r.name,
      hosts: r.hosts,
      paths: r.paths,
      default: r.default,
      target: describeTarget(r.target),
      backend: backendName,
      backendProject: locate(service).project,
      ...(tp ? { targetProject: tp } : {}),
      hops: hopsOf(r.target),
      ...(r.rewrite?.pathPrefix !== undefined ? { rewrite: r.rewrite.pathPrefix } : {}),
      status
    }
  })
  const declaredNames = new Set(config.routes.map((r) => r.name))
  // The live rules of each owned backend (host, path), for the rows of removed routes.
  const rulesByService = new Map<string, [string, string][]>()
  for (const [k, svc] of ownedRuleView(live.urlMap, ownedServices, lb.project)) {
    const url = svc.split(' ')[0]!
    const rules = rulesByService.get(url) ?? []
    rules.push(k.split('\0') as [string, string])
    rulesByService.set(url, rules)
  }
  for (const [name, url] of liveRoutes) {
    if (declaredNames.has(name)) continue
    const keys = rulesByService.get(url) ?? []
    routes.push({
      name,
      hosts: [...new Set(keys.map(([h]) => h))],
      paths: [...new Set(keys.map(([, p]) => p).filter((p) => p !== '(default)'))],
      default: keys.some(([, p]) => p === '(default)'),
      target: '(removed)',
      backend: refName(url),
      backendProject: locate(url).project,
      hops: 0,
      status: 'removed'
    })
  }

  const plan: Plan = {
    formatVersion: 1,
    planId: computePlanId(config.owner, changes, merged.ruleIntent ?? merged.ruleChanges, traffic?.moves),
    createdAt: now.toISOString(),
    owner: config.owner,
    loadBalancer: lb,
    urlMapFingerprint: live.urlMap?.fingerprint ?? null,
    changes,
    waves: applyWaves(changes),
    routes,
    warnings,
    checks,
    ...(frontend.summary ? { frontend: frontend.summary } : {}),
    desired,
    ...(traffic ? { trafficMoves: traffic.moves } : {})
  }
  return { plan, problems, ...(mergedMap ? { mergedMap } : {}), testCases }
}
