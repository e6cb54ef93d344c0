// Check: how many routes reach their service directly and how many through an extra hop (display only).
import { hopsOf } from '../route-summaries.js'
import type { PlanCheckStep } from './check.js'

/** hopCountCheck counts routes by hops; it always passes (the route table shows each route's hops). */
export const hopCountCheck: PlanCheckStep = (ctx) => {
  const routes = ctx.config.routes
  const chained = routes.filter((r) => hopsOf(r.target) > 1).length
  return {
    check: {
      name: 'Hop count',
      status: 'pass',
      detail: `${routes.length - chained} route(s) direct, ${chained} through an extra hop (Cloud Run front end or another load balancer)`
    }
  }
}
