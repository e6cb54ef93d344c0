// The diagram of what the plan changes (DESIGN.md §9): the changed routes only — host → route → target —
// and, on their hosts, the other holders' rules they share a path matcher with, so a reviewer sees who
// else is on the host. A changed target is drawn before (dashed, "before") and after; a removed route
// points at where its requests go now. Node ids are synthetic (h1, r1, t1, o1) in order of first use, so
// user text never becomes mermaid syntax, and the output is deterministic.
import type { UrlMap } from '../compute.js'
import type { Plan, RouteSummary } from '../plan/model.js'
import { mermaidLabel } from './escape.js'

/** Changed routes above this count make an unreadable diagram; the markdown renderer shows a note instead. */
export const MAX_DIAGRAM_ROUTES = 40

const STATUS_CLASS: Readonly<Record<RouteSummary['status'], string>> = {
  new: 'added',
  changed: 'changed',
  removed: 'removed',
  unchanged: 'same'
}

const CLASS_DEFS = [
  '  classDef added stroke:#1a7f37,stroke-width:2px',
  '  classDef changed stroke:#9a6700,stroke-width:2px',
  '  classDef removed stroke:#cf222e,stroke-dasharray:5 5,color:#6e7781',
  '  classDef same stroke:#8c959f',
  '  classDef blocked stroke:#8c959f,stroke-dasharray:3 3',
  '  classDef other fill:#f6f8fa,stroke:#8c959f,color:#57606a'
]

/** Ids handed out in order of first use for each distinct key, with the node declared on first use. */
class Nodes {
  readonly #ids = new Map<string, string>()
  readonly lines: string[] = []
  id(prefix: string, key: string, declare: (id: string) => string): string {
    let id = this.#ids.get(`${prefix}\0${key}`)
    if (id === undefined) {
      id = `${prefix}${[...this.#ids.keys()].filter((k) => k.startsWith(`${prefix}\0`)).length + 1}`
      this.#ids.set(`${prefix}\0${key}`, id)
      this.lines.push(`  ${declare(id)}`)
    }
    return id
  }
}

/** diagramRoutes: the routes the diagram draws (every route that is not unchanged). */
export function diagramRoutes(plan: Plan): RouteSummary[] {
  return plan.routes.filter((r) => r.status !== 'unchanged')
}

const listShort = (items: readonly string[], max: number): string =>
  items.slice(0, max).join(', ') + (items.length > max ? ` +${items.length - max}` : '')

/** Other holders' rules on a host in the map after the plan: "path, path → backend" per backend. */
function neighbours(map: UrlMap | undefined, host: string, ours: ReadonlySet<string>): string[] {
  if (!map) return []
  const name = (ref: string | null | undefined) => (ref ?? '').split('/').pop() ?? ''
  const hr = (map.hostRules ?? []).find((h) => (h.hosts ?? []).includes(host))
  const pm = (map.pathMatchers ?? []).find((m) => m.name === hr?.pathMatcher)
  const byBackend = new Map<string, string[]>()
  for (const rule of pm?.pathRules ?? []) {
    const b = name(rule.service)
    if (!b || ours.has(b)) continue
    byBackend.set(b, [...(byBackend.get(b) ?? []), ...(rule.paths ?? [])])
  }
  // A matcher default that is the URL map default is inherited, not held on this host (DESIGN.md §4).
  const own = pm?.defaultService && name(pm.defaultService) !== name(map.defaultService)
  const d = own ? name(pm.defaultService) : host === '*' ? name(map.defaultService) : ''
  if (d && !ours.has(d)) byBackend.set(d, [...(byBackend.get(d) ?? []), 'default'])
  return [...byBackend].map(([b, paths]) => `${listShort(paths, 3)} → ${b}`)
}

function routeLabel(r: RouteSummary): string {
  const where = [...r.paths, ...(r.default ? ['default'] : [])]
  const rewrite = [r.rewrite ? `path → ${r.rewrite}` : '', r.hostRewrite ? `host → ${r.hostRewrite}` : '']
    .filter((s) => s !== '')
    .join(', ')
  const title = r.status === 'removed' ? `removed: ${r.name}` : `${r.name} (${r.status})`
  return mermaidLabel(...[title, listShort(where, 3), rewrite].filter((s) => s !== ''))
}

/** drawRoute adds one route: host edges, its target (and the old one when it changed), its class. */
function drawRoute(plan: Plan, r: RouteSummary, i: number, nodes: Nodes, edges: string[]): void {
  const routeId = `r${i + 1}`
  // A plan with errors applies nothing: its routes are drawn blocked (grey), never green.
  const cls = (plan.errors ?? []).length > 0 && r.status !== 'removed' ? 'blocked' : STATUS_CLASS[r.status]
  nodes.lines.push(`  ${routeId}[${routeLabel(r)}]`, `  class ${routeId} ${cls}`)
  const removed = r.status === 'removed'
  for (const host of r.hosts.length > 0 ? r.hosts : ['*']) {
    const h = nodes.id('h', host, (id) => `${id}(${mermaidLabel(host === '*' ? 'any host *' : host)})`)
    edges.push(`  ${h} ${removed ? '-.->' : '-->'} ${routeId}`)
  }
  if (removed) {
    const to = movedTo(plan, r)
    if (to) edges.push(`  ${routeId} -.->|${mermaidLabel('requests go to')}| r${plan.routes.indexOf(to) + 1}`)
    return
  }
  const target = (text: string) =>
    nodes.id(
      't',
      text,
      (id) => `${id}([${mermaidLabel(text, `project ${r.targetProject ?? r.backendProject}`)}])`
    )
  const hops = r.hops > 1 ? `|${mermaidLabel(`${r.hops} hops`)}|` : ''
  edges.push(`  ${routeId} -->${hops} ${target(r.target)}`)
  const old = r.changes?.find((c) => c.field === 'target')?.before
  if (old !== undefined) edges.push(`  ${routeId} -.->|${mermaidLabel('before')}| ${target(old)}`)
}

/** movedTo: the drawn route that takes over a removed route's requests (from the rule changes). */
function movedTo(plan: Plan, removed: RouteSummary): RouteSummary | undefined {
  const after = plan.changes
    .flatMap((c) => c.rules ?? [])
    .find((x) => x.action === 'change' && x.before === removed.backend)?.after
  const to = plan.routes.find((r) => r.backend === after && r.status !== 'unchanged')
  return to
}

/** renderPlanMermaid renders the changed routes and their hosts' other holders as a `flowchart LR` (no fence). */
export function renderPlanMermaid(plan: Plan): string {
  const drawn = diagramRoutes(plan)
  if (drawn.length === 0) return `flowchart LR\n  empty[${mermaidLabel('no route changes')}]`
  const nodes = new Nodes()
  const edges: string[] = []
  for (const r of drawn) drawRoute(plan, r, plan.routes.indexOf(r), nodes, edges)
  const map = plan.changes.find((c) => c.address.kind === 'urlMap')?.after as UrlMap | undefined
  const ours = new Set(plan.routes.map((r) => r.backend))
  for (const host of [...new Set(drawn.flatMap((r) => (r.hosts.length > 0 ? r.hosts : ['*'])))]) {
    const h = nodes.id('h', host, (id) => `${id}(${mermaidLabel(host)})`)
    for (const n of neighbours(map, host, ours)) {
      const who = plan.holders?.[n.split(' → ').pop() ?? ''] ?? 'other holder'
      const o = nodes.id('o', `${host}\0${n}`, (id) => `${id}[${mermaidLabel(who, n)}]`)
      edges.push(`  ${h} -.- ${o}`, `  class ${o} other`)
    }
  }
  return ['flowchart LR', ...nodes.lines, ...edges, ...CLASS_DEFS].join('\n')
}
