// Check: the declared and generated route tests, run offline on the merged map with the evaluator.
import { runRouteTests } from '../route-tests.js'
import type { PlanProblem } from '../problems.js'
import type { PlanCheckStep } from './check.js'

/** routeTestsCheck fails on every test the merged map does not route as routes.json says. */
export const routeTestsCheck: PlanCheckStep = (ctx) => {
  if (!ctx.mergedMap) return undefined
  const cases = ctx.testCases
  const failures = runRouteTests(ctx.mergedMap, cases, ctx.config.loadBalancer.project)
  // A route that claims someone else's path already has a conflict error; its generated tests fail for
  // the same reason and would only repeat it.
  const conflicted = new Set(ctx.merged.conflicts.map((c) => c.route))
  const problems: PlanProblem[] = failures
    .filter((f) => !(f.test.origin === 'generated' && conflicted.has(f.test.route)))
    .map((f) =>
      f.test.origin === 'declared'
        ? { message: `route test failed: ${f.message}`, route: f.test.route, at: f.test.at }
        : {
            message: `generated route test failed (another rule shadows this route): ${f.message}`,
            route: f.test.route
          }
    )
  const declared = cases.filter((t) => t.origin === 'declared').length
  return {
    check: {
      name: 'Route tests (offline)',
      status: failures.length > 0 ? 'fail' : 'pass',
      detail:
        failures.length > 0
          ? failures.map((f) => f.message).join('; ')
          : `${cases.length} passed (${declared} declared, ${cases.length - declared} generated)`
    },
    problems
  }
}
