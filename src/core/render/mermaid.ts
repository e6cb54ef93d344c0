// The traffic diagram: hosts → routes (with their paths) → backend services → targets, targets and
// backends grouped by the project they live in. Node ids are synthetic (h1, r1, b1, t1, p1) in order of
// first appearance, so user text never becomes mermaid syntax and the output is deterministic.
import type { Plan, RouteSummary } from '../plan/model.js'
import { mermaidLabel } from './escape.js'

/** Routes above this count make an unreadable diagram; the markdown renderer shows a note instead. */
export const MAX_DIAGRAM_ROUTES = 40

const STATUS_CLASS: Readonly<Record<RouteSummary['status'], string | undefined>> = {
  new: 'added',
  changed: 'changed',
  removed: 'removed',
  unchanged: undefined
}

/** Ids handed out in order of first use for each distinct key. */
class Ids {
  readonly #ids = new Map<string, string>()
  readonly #prefix: string
  constructor(prefix: string) {
    this.#prefix = prefix
  }
  has(key: string): boolean {
    return this.#ids.has(key)
  }
  get(key: string): string {
    let id = this.#ids.get(key)
    if (id === undefined) {
      id = `${this.#prefix}${this.#ids.size + 1}`
      this.#ids.set(key, id)
    }
    return id
  }
}

function listShort(items: readonly string[], max: number): string {
  const shown = items.slice(0, max).join(', ')
  return items.length > max ? `${shown} +${items.length - max}` : shown
}

/** renderPlanMermaid renders the plan's routes as a `flowchart LR` (no fence); removed routes are dashed. */
export function renderPlanMermaid(plan: Plan): string {
  const lines = ['flowchart LR']
  if (plan.routes.length === 0) {
    lines.push(`  empty[${mermaidLabel('no routes')}]`)
    return lines.join('\n')
  }
  const hostIds = new Ids('h')
  const backendIds = new Ids('b')
  const targetIds = new Ids('t')
  const projectIds = new Ids('p')
  const nodes: string[] = []
  const edges = new Map<string, { from: string; to: string; dashed: boolean; label?: string }>()
  const classes: string[] = []
  // Project id → node declarations inside its subgraph, in first-use order.
  const projects = new Map<string, { label: string; members: string[] }>()
  const inProject = (project: string, decl: string): void => {
    const id = projectIds.get(project)
    let group = projects.get(id)
    if (group === undefined) {
      group = { label: mermaidLabel(`project ${project}`), members: [] }
      projects.set(id, group)
    }
    group.members.push(decl)
  }
  const edge = (from: string, to: string, dashed: boolean, label?: string): void => {
    // One edge per node pair; a solid edge wins over a dashed one (a live route shares the backend).
    const key = `${from}>${to}`
    const seen = edges.get(key)
    if (seen === undefined || (seen.dashed && !dashed)) edges.set(key, { from, to, dashed, label })
  }

  plan.routes.forEach((route, i) => {
    const removed = route.status === 'removed'
    const routeId = `r${i + 1}`
    const paths = route.paths.length > 0 ? listShort(route.paths, 3) : ''
    const extra = [route.default ? 'default' : '', route.rewrite ? `rewrite ${route.rewrite}` : '']
      .filter((s) => s !== '')
      .join(', ')
    const title = removed ? `removed: ${route.name}` : route.name
    const label = [title, paths, extra].filter((s) => s !== '')
    nodes.push(`${routeId}[${mermaidLabel(...label)}]`)
    const cls = STATUS_CLASS[route.status]
    if (cls !== undefined) classes.push(`class ${routeId} ${cls}`)

    for (const host of route.hosts.length > 0 ? route.hosts : ['*']) {
      const known = hostIds.has(host)
      const hostId = hostIds.get(host)
      if (!known) nodes.push(`${hostId}(${mermaidLabel(host === '*' ? 'any host *' : host)})`)
      edge(hostId, routeId, removed)
    }

    const backendKey = `${route.backendProject}\n${route.backend}`
    const backendKnown = backendIds.has(backendKey)
    const backendId = backendIds.get(backendKey)
    if (!backendKnown) inProject(route.backendProject, `${backendId}[[${mermaidLabel(route.backend)}]]`)
    edge(routeId, backendId, removed)

    const targetProject = route.targetProject ?? route.backendProject
    const targetKey = `${targetProject}\n${route.target}`
    const targetKnown = targetIds.has(targetKey)
    const targetId = targetIds.get(targetKey)
    // More than one hop means another load balancer sits in between (chained LB): a hexagon.
    if (!targetKnown) {
      const label = mermaidLabel(route.target)
      inProject(targetProject, route.hops > 1 ? `${targetId}{{${label}}}` : `${targetId}([${label}])`)
    }
    edge(backendId, targetId, removed, route.hops > 1 ? `${route.hops} hops` : undefined)
  })

  for (const n of nodes) lines.push(`  ${n}`)
  for (const [id, group] of projects) {
    lines.push(`  subgraph ${id}[${group.label}]`)
    for (const m of group.members) lines.push(`    ${m}`)
    lines.push('  end')
  }
  for (const e of edges.values()) {
    const label = e.label === undefined ? '' : `|${mermaidLabel(e.label)}|`
    lines.push(`  ${e.from} ${e.dashed ? '-.->' : '-->'}${label} ${e.to}`)
  }
  if (classes.length > 0) {
    lines.push('  classDef added stroke:#1a7f37,stroke-width:2px')
    lines.push('  classDef changed stroke:#9a6700,stroke-width:2px')
    lines.push('  classDef removed stroke:#cf222e,stroke-dasharray:5 5,color:#6e7781')
    for (const c of classes) lines.push(`  ${c}`)
  }
  return lines.join('\n')
}
