// Check: headroom under the URL map limits that cannot be raised (DESIGN.md §6): warn at 80 %, fail over.
import type { UrlMap } from '../../compute.js'
import type { PlanCheck } from '../model.js'
import type { PlanCheckStep } from './check.js'

/** quotaHeadroom measures a map against the fixed URL map limits. */
export function quotaHeadroom(map: UrlMap): PlanCheck {
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
    { what: 'host rules', n: (map.hostRules ?? []).length, max: 1000 },
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

/** quotaCheck measures the merged map (a row only; the API rejects a map over a limit). */
export const quotaCheck: PlanCheckStep = (ctx) =>
  ctx.mergedMap ? { check: quotaHeadroom(ctx.mergedMap) } : undefined
