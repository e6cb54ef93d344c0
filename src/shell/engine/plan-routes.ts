// The plan pipeline end to end (DESIGN.md §5): parse → read live → compile → build plan → server-side
// validate. Shared by the CLI and the action; all I/O comes in through `clients` and `input`.
import { compileDesired } from '../../core/compile/compile-desired.js'
import type { UrlMap } from '../../core/compute.js'
import { hasErrors, type Diagnostic } from '../../core/diagnostics.js'
import { buildPlan, FRONTEND, type PlanProblem } from '../../core/plan/build-plan.js'
import type { Plan, PlanCheck } from '../../core/plan/model.js'
import { toUrlMapTests, type RouteTestCase } from '../../core/plan/route-tests.js'
import { parseRoutes, type ParseRoutesResult } from '../../core/routes/parse.js'
import type { LoadBalancerRef, RoutesConfig } from '../../core/routes/model.js'
import { matchHostRule } from '../../core/urlmap/evaluate.js'
import { sliceUrlMap } from '../../core/urlmap/slice.js'
import { formatTestFailure } from '../../core/urlmap/tests.js'
import type { ComputeClient } from '../google/compute-client.js'
import { readLiveState, type GoogleClients } from './read-live-state.js'

/** The API caps UrlMap tests at 100 per map for global external ALBs, so validation goes in batches (§6.4). */
export const VALIDATE_BATCH = 100

export interface PlanRoutesInput {
  readonly file: string
  readonly bytes: Uint8Array | string
  readonly clients: GoogleClients
  readonly now: Date
  /** The load balancer owner's policy for internet hosts (CLI flag / action input). */
  readonly policyAllowedInternetHosts?: readonly string[]
  /** `bytes` already parsed with the same file and policy (the action parses first, to annotate). */
  readonly parsed?: ParseRoutesResult
  /** Take over equivalent hand-built resources in place (plan --adopt, lb-routes adopt). */
  readonly adopt?: boolean
}

export interface PlanRoutesResult {
  readonly diagnostics: readonly Diagnostic[]
  readonly config?: RoutesConfig
  /** Present when the plan could be computed; apply only when diagnostics have no errors. */
  readonly plan?: Plan
  readonly mergedMap?: UrlMap
  readonly testCases?: readonly RouteTestCase[]
}

/** problemDiagnostic points a plan problem at its place in routes.json: the test, the route, else loadBalancer. */
export function problemDiagnostic(file: string, config: RoutesConfig, p: PlanProblem): Diagnostic {
  const at = p.at ??
    (p.route === FRONTEND ? config.frontend?.at : config.routes.find((r) => r.name === p.route)?.at) ??
    config.loadBalancerAt ?? { line: 1, column: 1 }
  return { severity: 'error', file, line: at.line, column: at.column, message: p.message }
}

/**
 * validateServerSide runs urlMaps.validate on the map with the tests in batches of 100; returns failures in
 * words. The first call sends the whole map (does it load, and its tests); the others send only the slice
 * of the map their tests route through (sliceUrlMap: same answers), grouped by host rule so each slice is
 * small — at 5,000 routes that is ~10 KB per call instead of ~1 MB.
 */
export async function validateServerSide(
  compute: ComputeClient,
  lb: LoadBalancerRef,
  map: UrlMap,
  cases: readonly RouteTestCase[]
): Promise<PlanProblem[]> {
  const hostRule = new Map<string, number>()
  for (const c of cases) {
    if (!hostRule.has(c.host)) hostRule.set(c.host, matchHostRule(map, c.host, lb.scheme) ?? -1)
  }
  const tests = toUrlMapTests(cases).sort((a, b) => hostRule.get(a.host!)! - hostRule.get(b.host!)!)
  const batches: (typeof tests)[] = []
  for (let i = 0; i < Math.max(1, tests.length); i += VALIDATE_BATCH)
    batches.push(tests.slice(i, i + VALIDATE_BATCH))
  const { fingerprint: _fp, tests: _liveTests, ...resource } = map
  const results = await Promise.all(
    batches.map((batch, i) => {
      const body =
        i === 0
          ? resource
          : sliceUrlMap(
              resource,
              batch.map((t) => ({ host: t.host!, path: t.path! })),
              lb.scheme
            )
      return compute.validateUrlMap(lb.project, lb.urlMap, { ...body, tests: batch }, [lb.scheme])
    })
  )
  // A failure names host and path; the case it came from says where in routes.json to look.
  const caseOf = new Map(cases.map((c) => [`${c.host}\0${c.path}`, c]))
  const problems = new Map<string, PlanProblem>()
  for (const r of results) {
    if (r.loadSucceeded === false) for (const e of r.loadErrors ?? []) problems.set(e, { message: e })
    for (const f of r.testFailures ?? []) {
      const message = `urlMaps.validate: ${formatTestFailure(f)}`
      const c = caseOf.get(`${f.host}\0${f.path}`)
      problems.set(message, { message, ...(c ? { route: c.route, at: c.at } : {}) })
    }
  }
  return [...problems.values()]
}

/** urlMapMoved tells whether the URL map's fingerprint differs from the one the plan was computed against. */
async function urlMapMoved(
  compute: ComputeClient,
  config: RoutesConfig,
  fingerprint: string | null | undefined
): Promise<boolean> {
  try {
    return (
      (await compute.getUrlMap(config.loadBalancer.project, config.loadBalancer.urlMap)).fingerprint !==
      fingerprint
    )
  } catch {
    return true
  }
}

/** How often a plan is recomputed when the live map changes under its server-side validation. */
const PLAN_ROUNDS = 3

/** planRoutes computes the plan for one routes file against live state. */
export async function planRoutes(input: PlanRoutesInput, round = 1): Promise<PlanRoutesResult> {
  const parsed =
    input.parsed ??
    parseRoutes(input.bytes, {
      file: input.file,
      ...(input.policyAllowedInternetHosts
        ? { policyAllowedInternetHosts: input.policyAllowedInternetHosts }
        : {})
    })
  if (!parsed.config || hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics }
  const config = parsed.config
  const adopt = input.adopt ?? false
  const { live, resolved } = await readLiveState(config, input.clients, { adopt })
  const compiled = compileDesired(config, resolved)
  const built = buildPlan({ config, compiled, live, now: input.now, adopt })
  const diagnostics: Diagnostic[] = [
    ...parsed.diagnostics,
    ...built.problems.map((p) => problemDiagnostic(input.file, config, p))
  ]
  let plan = built.plan!
  if (built.mergedMap && !hasErrors(diagnostics)) {
    // Compute resolves every referenced backend service, so the merged map can only be validated
    // server-side once new backends exist; apply validates again right before it writes the map.
    const missing = plan.changes.filter(
      (c) => c.address.kind === 'backendService' && c.action === 'create'
    ).length
    let check: PlanCheck
    if (missing > 0) {
      check = {
        name: 'urlMaps.validate (server-side)',
        status: 'skip',
        detail: `${missing} new backend service(s) do not exist yet; apply validates the merged map before writing it`
      }
    } else {
      const failures = await validateServerSide(
        input.clients.compute,
        config.loadBalancer,
        built.mergedMap,
        built.testCases
      )
      // Another owner may have changed the map (e.g. removed a backend it referenced) since it was read:
      // then the failure says nothing about this plan, so plan again from the new state.
      if (
        failures.length > 0 &&
        round < PLAN_ROUNDS &&
        (await urlMapMoved(input.clients.compute, config, live.urlMap?.fingerprint))
      ) {
        return planRoutes(input, round + 1)
      }
      for (const f of failures) diagnostics.push(problemDiagnostic(input.file, config, f))
      check = {
        name: 'urlMaps.validate (server-side)',
        status: failures.length > 0 ? 'fail' : 'pass',
        detail:
          failures.length > 0
            ? failures.map((f) => f.message).join('; ')
            : `merged map loads; ${built.testCases.length} test(s) pass`
      }
    }
    plan = { ...plan, checks: [...plan.checks, check] }
  }
  return {
    diagnostics,
    config,
    plan,
    ...(built.mergedMap ? { mergedMap: built.mergedMap } : {}),
    testCases: built.testCases
  }
}
