// The plan checks, in the order their rows appear in the plan. A new check is one module exporting a
// PlanCheckStep (check.ts) and one line here; it reads the PlanContext and returns its outcome.
import type { PlanContext } from '../context.js'
import { collectOutcomes, type CheckOutcomes, type PlanCheckStep } from './check.js'
import { hopCountCheck } from './hop-count.js'
import { policyCheck } from './policy.js'
import { preflightCheck } from './preflight.js'
import { quotaCheck } from './quota.js'
import { routeTestsCheck } from './route-tests.js'
import { structureCheck } from './structure.js'
import { trafficCheck } from './traffic.js'

/** Every offline plan check, in display order. urlMaps.validate runs later, in the shell (server-validate.ts). */
export const PLAN_CHECKS: readonly PlanCheckStep[] = [
  policyCheck,
  routeTestsCheck,
  structureCheck,
  quotaCheck,
  trafficCheck,
  preflightCheck,
  hopCountCheck
]

/** runPlanChecks runs the checks in order and concatenates their outcomes. */
export function runPlanChecks(
  ctx: PlanContext,
  checks: readonly PlanCheckStep[] = PLAN_CHECKS
): CheckOutcomes {
  return collectOutcomes(checks.map((check) => check(ctx)))
}
