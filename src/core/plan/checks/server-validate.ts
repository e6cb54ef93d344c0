// Check: urlMaps.validate of the merged map, server-side (DESIGN.md §6). The one check that needs the
// network, so it runs after the offline plan: core says what to send (validateRequests) and reads the
// answers (validateProblems, serverValidateOutcome); the shell only makes the calls (plan-routes.ts).
import type { UrlMap, UrlMapValidationResult } from '../../compute.js'
import type { LoadBalancerRef } from '../../routes/model.js'
import { matchHostRule } from '../../google-semantics/evaluate.js'
import { sliceUrlMap } from '../../google-semantics/slice.js'
import { formatTestFailure } from '../../google-semantics/tests.js'
import type { Plan } from '../model.js'
import type { PlanProblem } from '../problems.js'
import { runRouteTests, toUrlMapTests, type RouteTestCase } from '../route-tests.js'
import type { CheckOutcome } from './check.js'

/** The API caps UrlMap tests at 100 per map for global external ALBs, so validation goes in batches (§6.4). */
export const VALIDATE_BATCH = 100

const CHECK_NAME = 'urlMaps.validate (server-side)'

/**
 * validateRequests builds the urlMaps.validate bodies for `map` with its tests, at most 100 per body. The
 * first body is the whole map (does it load, and its tests); the others are only the slice of the map
 * their tests route through (sliceUrlMap: same answers), grouped by host rule so each slice is small — at
 * 5,000 routes that is ~10 KB per call instead of ~1 MB. Always at least one body.
 */
export function validateRequests(
  lb: LoadBalancerRef,
  map: UrlMap,
  cases: readonly RouteTestCase[]
): UrlMap[] {
  const hostRule = new Map<string, number>()
  for (const c of cases) {
    if (!hostRule.has(c.host)) hostRule.set(c.host, matchHostRule(map, c.host, lb.scheme) ?? -1)
  }
  const tests = toUrlMapTests(cases).sort((a, b) => hostRule.get(a.host!)! - hostRule.get(b.host!)!)
  const batches: (typeof tests)[] = []
  for (let i = 0; i < Math.max(1, tests.length); i += VALIDATE_BATCH)
    batches.push(tests.slice(i, i + VALIDATE_BATCH))
  const { fingerprint: _fp, tests: _liveTests, ...resource } = map
  return batches.map((batch, i) => {
    const body =
      i === 0
        ? resource
        : sliceUrlMap(
            resource,
            batch.map((t) => ({ host: t.host!, path: t.path! })),
            lb.scheme
          )
    return { ...body, tests: batch }
  })
}

/** validateProblems turns the answers into problems in words, once each; a test failure points at its case. */
export function validateProblems(
  cases: readonly RouteTestCase[],
  results: readonly UrlMapValidationResult[]
): PlanProblem[] {
  const caseOf = new Map(cases.map((c) => [`${c.host}\0${c.path}`, c]))
  const problems = new Map<string, PlanProblem>()
  for (const r of results) {
    if (r.loadSucceeded === false) for (const e of r.loadErrors ?? []) problems.set(e, { message: e })
    for (const f of r.testFailures ?? []) {
      // Google's wording: the service when that differs, else the expected and actual output URLs.
      const message = `urlMaps.validate: ${formatTestFailure(f)}`
      const c = caseOf.get(`${f.host}\0${f.path}`)
      problems.set(message, { message, ...(c ? { route: c.route, at: c.at } : {}) })
    }
  }
  return [...problems.values()]
}

/**
 * serverValidateSkip says why validation cannot run yet, or undefined when it can: Compute resolves every
 * referenced backend service, so the merged map only loads once new backends exist (apply validates again
 * right before it writes the map).
 */
export function serverValidateSkip(plan: Plan): CheckOutcome | undefined {
  const missing = plan.changes.filter(
    (c) => c.address.kind === 'backendService' && c.action === 'create'
  ).length
  if (missing === 0) return undefined
  return {
    check: {
      name: CHECK_NAME,
      status: 'skip',
      detail: `${missing} new backend service(s) do not exist yet; apply validates the merged map before writing it`
    }
  }
}

/** serverValidateOutcome is the check row and the problems of a finished validation. */
export function serverValidateOutcome(failures: readonly PlanProblem[], tests: number): CheckOutcome {
  return {
    check: {
      name: CHECK_NAME,
      status: failures.length > 0 ? 'fail' : 'pass',
      detail:
        failures.length > 0
          ? failures.map((f) => f.message).join('; ')
          : `merged map loads; ${tests} test(s) pass`
    },
    problems: failures
  }
}

/** serverValidateUnchanged: the merged map equals the live one (no URL map change), so nothing is validated. */
export function serverValidateUnchanged(plan: Plan): CheckOutcome | undefined {
  if (plan.changes.some((c) => c.address.kind === 'urlMap')) return undefined
  return {
    check: { name: CHECK_NAME, status: 'skip', detail: 'the URL map does not change; nothing to validate' }
  }
}

/**
 * affectedCases picks the tests the change affects: those the live map does not already answer as expected
 * (all of them when there is no live map). A test the live map passes was true before this plan and stays
 * true offline; validating it again would spend a call per 100 such tests on every plan.
 */
export function affectedCases(
  live: UrlMap | undefined,
  cases: readonly RouteTestCase[],
  project: string
): RouteTestCase[] {
  if (!live) return [...cases]
  return runRouteTests(live, cases, project).map((f) => f.test)
}
