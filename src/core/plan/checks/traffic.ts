// Check: traffic ownership by differential routing (DESIGN.md §4.1, core/traffic). Every request class the
// plan moves goes into the plan, own moves included; moves of other owners' or unmanaged requests are
// errors at the route's line naming the holder.
import { trafficStep } from '../../traffic/plan-check.js'
import type { PlanCheckStep } from './check.js'

/** trafficCheck evaluates the live and the merged map on the probe set and judges every move. */
export const trafficCheck: PlanCheckStep = (ctx) => {
  if (!ctx.mergedMap) return undefined
  const lb = ctx.config.loadBalancer
  const step = trafficStep({
    owner: ctx.config.owner,
    project: lb.project,
    scheme: lb.scheme,
    live: ctx.live.urlMap,
    merged: ctx.mergedMap,
    serviceOwners: ctx.ownership.serviceOwners,
    ownedServices: ctx.ownership.ownedServices,
    routes: ctx.config.routes,
    routeServices: ctx.desired.routeServices,
    testHosts: ctx.config.tests.map((t) => t.host)
  })
  return {
    check: step.check,
    problems: step.conflicts.map((c) => ({ message: c.message, ...(c.route ? { route: c.route } : {}) })),
    trafficMoves: step.moves
  }
}
