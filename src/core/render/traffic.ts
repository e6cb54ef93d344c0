// "Traffic that moves" (DESIGN.md §4.1, §9): every request class whose destination the plan changes, as
// `host path: before → after`, grouped by who holds the requests today, other owners and catch-all
// defaults called out by name, refused moves marked with their holder. Plans without `trafficMoves`
// (made before the traffic check existed) show the moves their URL-map rule changes imply.
import type { UrlMap } from '../compute.js'
import type { Plan, RouteSummary, TrafficEndpoint, TrafficMove } from '../plan/model.js'
import { escapeMarkdown, inlineCode } from './escape.js'

/** The live URL map, when the plan changes it (the before side of the moves). */
function liveMap(plan: Plan): UrlMap | undefined {
  const c = plan.changes.find((x) => x.address.kind === 'urlMap')
  return c?.before as UrlMap | undefined
}

const nameOf = (ref: string | null | undefined): string => (ref ? (ref.split('/').pop() ?? ref) : '')

/** catchAllNames: backends that serve as the URL map default or a wildcard host's default, by name. */
function catchAllNames(map: UrlMap | undefined): Map<string, string> {
  const out = new Map<string, string>()
  if (!map) return out
  if (map.defaultService) out.set(nameOf(map.defaultService), 'the URL map default')
  for (const hr of map.hostRules ?? []) {
    const wild = (hr.hosts ?? []).filter((h) => h.startsWith('*'))
    const pm = (map.pathMatchers ?? []).find((m) => m.name === hr.pathMatcher)
    const d = nameOf(pm?.defaultService)
    if (wild.length > 0 && d && !out.has(d)) out.set(d, `the default for host ${wild.join(', ')}`)
  }
  return out
}

/** Derived moves for a plan without trafficMoves: each changed rule of this owner. */
function movesOf(plan: Plan): readonly TrafficMove[] {
  if (plan.trafficMoves) return plan.trafficMoves
  const own = (backend: string | undefined): TrafficEndpoint => ({
    owner: plan.owner,
    backend: backend ?? null
  })
  return plan.changes
    .flatMap((c) => c.rules ?? [])
    .filter((r) => r.action === 'change' && r.before !== r.after)
    .map((r) => ({
      host: r.host,
      path: r.path === '(default)' ? '/ (default)' : r.path,
      before: own(r.before),
      after: own(r.after)
    }))
}

/** endpointText: `team-web route hello` or `team-shop backend shop-bs…` or `nothing`. */
function endpointText(e: TrafficEndpoint, routes: readonly RouteSummary[], plan: Plan): string {
  if (e.backend === null) return 'nothing (404)'
  const name = nameOf(e.backend)
  const route = e.owner === plan.owner ? routes.find((r) => r.backend === name) : undefined
  const what = route ? `route ${inlineCode(route.name)}` : `backend ${inlineCode(name, 60)}`
  return `${escapeMarkdown(e.owner, 60)} ${what}`
}

function moveLine(m: TrafficMove, plan: Plan, catchAll: Map<string, string>): string {
  const before = endpointText(m.before, plan.routes, plan)
  const held = catchAll.get(nameOf(m.before.backend))
  const via = held ? ` (${held})` : ''
  const refused = m.conflict ? ` — ❌ refused: held by ${escapeMarkdown(m.conflict, 100)}` : ''
  return `- ${inlineCode(`${m.host} ${m.path}`, 120)}: ${before}${via} → ${endpointText(m.after, plan.routes, plan)}${refused}`
}

/** groupTitle names whose requests a group holds. */
function groupTitle(owner: string, plan: Plan, catchAll: boolean): string {
  if (catchAll) return `**Requests that fell to a catch-all default** (held by ${escapeMarkdown(owner, 60)})`
  if (owner === plan.owner) return `**${escapeMarkdown(owner, 60)}'s own requests**`
  return `**Requests held by ${escapeMarkdown(owner, 60)}** (another ${owner === 'unmanaged' ? 'holder' : 'owner'})`
}

/** trafficSection renders the moves grouped by holder, up to `limit` lines ('' when nothing moves). */
export function trafficSection(plan: Plan, limit: number, title = 'Traffic that moves'): string {
  const moves = movesOf(plan)
  if (moves.length === 0) return ''
  const catchAll = catchAllNames(liveMap(plan))
  const groups = new Map<string, { title: string; lines: TrafficMove[] }>()
  for (const m of moves) {
    const isCatchAll = catchAll.has(nameOf(m.before.backend)) && m.before.owner !== plan.owner
    const key = `${isCatchAll ? 'c' : m.before.owner === plan.owner ? 'a' : 'b'}\0${m.before.owner}`
    const g = groups.get(key) ?? { title: groupTitle(m.before.owner, plan, isCatchAll), lines: [] }
    g.lines.push(m)
    groups.set(key, g)
  }
  const out = [`#### ${title} (${moves.length.toLocaleString('en-US')})`]
  let budget = limit
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key)!
    // Refused moves first: they are what blocks the plan.
    const lines = [...g.lines].sort((a, b) => Number(Boolean(b.conflict)) - Number(Boolean(a.conflict)))
    const shown = lines.slice(0, Math.max(0, budget)).map((m) => moveLine(m, plan, catchAll))
    budget -= shown.length
    const more = lines.length - shown.length
    if (more > 0) shown.push(`- … and ${more.toLocaleString('en-US')} more (in plan.json, \`trafficMoves\`)`)
    out.push(`${g.title}\n\n${shown.join('\n')}`)
  }
  return out.join('\n\n')
}

/**
 * whereTrafficGoes says where a removed route's requests go instead, from the moves: `* / → team-web route
 * hello`; undefined when the plan does not say.
 */
export function whereTrafficGoes(plan: Plan, route: RouteSummary): string | undefined {
  const gone = movesOf(plan).filter((m) => nameOf(m.before.backend) === route.backend)
  if (gone.length === 0) return undefined
  const to = [...new Set(gone.map((m) => endpointText(m.after, plan.routes, plan)))]
  return to.length === 1 ? to[0] : `${to.slice(0, 3).join(', ')}${to.length > 3 ? ', …' : ''}`
}
