// The plan pipeline end to end (DESIGN.md §5): read live → compile → build plan → server-side validate.
// Shared by the CLI and the action; all I/O comes in through `clients`. routes.json is parsed once, by the
// caller (parseRoutes, or planRoutesFile here, which parses and plans).
import { compileDesired } from '../../core/compile/compile-desired.js'
import type { UrlMap } from '../../core/compute.js'
import { hasErrors, type Diagnostic } from '../../core/diagnostics.js'
import { buildPlan, withCheck, type BuildPlanResult } from '../../core/plan/build-plan.js'
import { invokerReadsNeeded } from '../../core/plan/checks/preflight.js'
import {
  affectedCases,
  serverValidateOutcome,
  serverValidateSkip,
  serverValidateUnchanged,
  validateProblems,
  validateRequests
} from '../../core/plan/checks/server-validate.js'
import type { LiveState } from '../../core/plan/live.js'
import type { Plan, PlanError } from '../../core/plan/model.js'
import { problemDiagnostic, type PlanProblem } from '../../core/plan/problems.js'
import type { RouteTestCase } from '../../core/plan/route-tests.js'
import { parseRoutes } from '../../core/routes/parse.js'
import type { LoadBalancerRef, RoutesConfig } from '../../core/routes/model.js'
import type { ComputeClient } from '../google/compute-client.js'
import { readInvokers, readLiveState, type GoogleClients } from './read-live-state.js'

export interface PlanRoutesInput {
  /** The routes file's name, for diagnostics. */
  readonly file: string
  /** The parsed routes file (parseRoutes, without errors). */
  readonly config: RoutesConfig
  readonly clients: GoogleClients
  readonly now: Date
  /** Take over equivalent hand-built resources in place (plan --adopt, lb-routes adopt). */
  readonly adopt?: boolean
}

export interface PlanRoutesResult {
  /** The plan's diagnostics (not the file's own: the caller parsed it and has them). */
  readonly diagnostics: readonly Diagnostic[]
  readonly config?: RoutesConfig
  /** Present when the plan could be computed; apply only when diagnostics have no errors. */
  readonly plan?: Plan
  readonly mergedMap?: UrlMap
  readonly testCases?: readonly RouteTestCase[]
  /** The tests the URL map change affects: what urlMaps.validate checks (plan, and apply before writing). */
  readonly validateCases?: readonly RouteTestCase[]
}

/**
 * validateServerSide runs urlMaps.validate on the map with the tests, in the batches validateRequests
 * builds (100 tests per call), and returns the failures in words (validateProblems).
 */
export async function validateServerSide(
  compute: ComputeClient,
  lb: LoadBalancerRef,
  map: UrlMap,
  cases: readonly RouteTestCase[]
): Promise<PlanProblem[]> {
  const results = await Promise.all(
    validateRequests(lb, map, cases).map((body) =>
      compute.validateUrlMap(lb.project, lb.urlMap, body, [lb.scheme])
    )
  )
  return validateProblems(cases, results)
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

/**
 * withErrors puts the plan's errors into the plan (the same diagnostics the annotations carry), so plan JSON
 * and the comment show them; a plan without errors is returned as it is.
 */
export function withErrors(
  plan: Plan,
  problems: readonly PlanProblem[],
  diagnostics: readonly Diagnostic[]
): Plan {
  if (diagnostics.length === 0) return plan
  const errors: PlanError[] = diagnostics.map((d, i) => ({
    message: d.message,
    file: d.file,
    line: d.line,
    column: d.column,
    ...(problems[i]?.route ? { route: problems[i]!.route } : {})
  }))
  return { ...plan, errors }
}

/** How often a plan is recomputed when the live map changes under its server-side validation. */
const PLAN_ROUNDS = 3

/**
 * planWithInvokers builds the plan, then reads the IAM policies of the Cloud Run services behind the routes it
 * creates or changes (checks/preflight.ts) and, when it read any, builds it again with them: steady-state
 * plans read no IAM policy at all.
 */
async function planWithInvokers(
  input: PlanRoutesInput,
  live: LiveState,
  compiled: ReturnType<typeof compileDesired>
): Promise<{ built: BuildPlanResult; live: LiveState }> {
  const { config, now } = input
  const adopt = input.adopt ?? false
  const built = buildPlan({ config, compiled, live, now, adopt })
  const need = built.plan ? invokerReadsNeeded(config, built.plan.routes, live.runServices) : []
  if (need.length === 0) return { built, live }
  const runServices = await readInvokers(input.clients.run, live.runServices, need)
  const withIam = { ...live, runServices }
  return { built: buildPlan({ config, compiled, live: withIam, now, adopt }), live: withIam }
}

/** planRoutes computes the plan for a parsed routes file against live state. */
export async function planRoutes(input: PlanRoutesInput, round = 1): Promise<PlanRoutesResult> {
  const { config } = input
  const read = await readLiveState(config, input.clients, { adopt: input.adopt ?? false })
  const compiled = compileDesired(config, read.resolved)
  const planned = await planWithInvokers(input, read.live, compiled)
  const live = planned.live
  let built = planned.built
  const { plan, mergedMap, testCases } = built
  const lb = config.loadBalancer
  const validateCases = mergedMap ? affectedCases(live.urlMap, testCases, lb.project) : []
  // The server-side check runs only on a plan without errors, only when the map changes, and only once new
  // backends exist; it sends the tests the change affects (always at least one call, carrying the map).
  if (plan && mergedMap && built.problems.length === 0) {
    const skip = serverValidateUnchanged(plan) ?? serverValidateSkip(plan)
    if (skip) built = withCheck(built, skip)
    else {
      const failures = await validateServerSide(input.clients.compute, lb, mergedMap, validateCases)
      // Another owner may have changed the map (e.g. removed a backend it referenced) since it was read:
      // then the failure says nothing about this plan, so plan again from the new state.
      if (
        failures.length > 0 &&
        round < PLAN_ROUNDS &&
        (await urlMapMoved(input.clients.compute, config, live.urlMap?.fingerprint))
      )
        return planRoutes(input, round + 1)
      built = withCheck(built, serverValidateOutcome(failures, validateCases.length))
    }
  }
  const diagnostics = built.problems.map((p) => problemDiagnostic(input.file, config, p))
  return {
    diagnostics,
    config,
    ...(built.plan ? { plan: withErrors(built.plan, built.problems, diagnostics) } : {}),
    ...(mergedMap ? { mergedMap } : {}),
    testCases,
    validateCases
  }
}

/** routes.json as bytes, with the load balancer owner's policy for internet hosts (CLI flag / action input). */
export interface RoutesFile {
  readonly file: string
  readonly bytes: Uint8Array | string
  readonly policyAllowedInternetHosts?: readonly string[]
}

export interface ParsedForPlan {
  readonly diagnostics: readonly Diagnostic[]
  /** Set only when the file has no errors (planning can go on). */
  readonly config?: RoutesConfig
}

/** parseForPlan parses routes.json once, for planRoutes / applyRoutes / checkDrift. */
export function parseForPlan(input: RoutesFile): ParsedForPlan {
  const parsed = parseRoutes(input.bytes, {
    file: input.file,
    ...(input.policyAllowedInternetHosts
      ? { policyAllowedInternetHosts: input.policyAllowedInternetHosts }
      : {})
  })
  if (!parsed.config || hasErrors(parsed.diagnostics)) return { diagnostics: parsed.diagnostics }
  return { diagnostics: parsed.diagnostics, config: parsed.config }
}

export type PlanRoutesFileInput = RoutesFile & Omit<PlanRoutesInput, 'config'>

/** planRoutesFile parses routes.json and plans it: the file's diagnostics, then the plan's. */
export async function planRoutesFile(input: PlanRoutesFileInput): Promise<PlanRoutesResult> {
  const parsed = parseForPlan(input)
  if (!parsed.config) return { diagnostics: parsed.diagnostics }
  const { file, clients, now, adopt } = input
  const out = await planRoutes({ file, config: parsed.config, clients, now, ...(adopt ? { adopt } : {}) })
  return { ...out, diagnostics: [...parsed.diagnostics, ...out.diagnostics] }
}
