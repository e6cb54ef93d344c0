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
  if (plan.routes.length === 0) return ['flowchart LR', `  empty[${mermaidLabel('no routes')}]`].join('\n')
  const diagram = new Diagram()
  plan.routes.forEach((route, i) => diagram.addRoute(route, `r${i + 1}`))
  return diagram.render().join('\n')
}

// The diagram being built: node declarations, project subgraphs, edges and status classes, each in
// first-use order.
class Diagram {
  readonly #hostIds = new Ids('h')
  readonly #backendIds = new Ids('b')
  readonly #targetIds = new Ids('t')
  readonly #projectIds = new Ids('p')
  readonly #nodes: string[] = []
  readonly #edges = new Map<string, { from: string; to: string; dashed: boolean; label?: string }>()
  readonly #classes: string[] = []
  // Project id → node declarations inside its subgraph, in first-use order.
  readonly #projects = new Map<string, { label: string; members: string[] }>()

  addRoute(route: RouteSummary, routeId: string): void {
    const removed = route.status === 'removed'
    const paths = route.paths.length > 0 ? listShort(route.paths, 3) : ''
    const extra = [route.default ? 'default' : '', route.rewrite ? `rewrite ${route.rewrite}` : '']
      .filter((s) => s !== '')
      .join(', ')
    const title = removed ? `removed: ${route.name}` : route.name
    const label = [title, paths, extra].filter((s) => s !== '')
    this.#nodes.push(`${routeId}[${mermaidLabel(...label)}]`)
    const cls = STATUS_CLASS[route.status]
    if (cls !== undefined) this.#classes.push(`class ${routeId} ${cls}`)

    for (const host of route.hosts.length > 0 ? route.hosts : ['*']) {
      const known = this.#hostIds.has(host)
      const hostId = this.#hostIds.get(host)
      if (!known) this.#nodes.push(`${hostId}(${mermaidLabel(host === '*' ? 'any host *' : host)})`)
      this.#edge(hostId, routeId, removed)
    }
    const backendId = this.#addBackend(route)
    this.#edge(routeId, backendId, removed)
    const targetId = this.#addTarget(route)
    this.#edge(backendId, targetId, removed, route.hops > 1 ? `${route.hops} hops` : undefined)
  }

  #addBackend(route: RouteSummary): string {
    const key = `${route.backendProject}\n${route.backend}`
    const known = this.#backendIds.has(key)
    const id = this.#backendIds.get(key)
    if (!known) this.#inProject(route.backendProject, `${id}[[${mermaidLabel(route.backend)}]]`)
    return id
  }

  #addTarget(route: RouteSummary): string {
    const project = route.targetProject ?? route.backendProject
    const key = `${project}\n${route.target}`
    const known = this.#targetIds.has(key)
    const id = this.#targetIds.get(key)
    // More than one hop means another load balancer sits in between (chained LB): a hexagon.
    if (!known) {
      const label = mermaidLabel(route.target)
      this.#inProject(project, route.hops > 1 ? `${id}{{${label}}}` : `${id}([${label}])`)
    }
    return id
  }

  #inProject(project: string, decl: string): void {
    const id = this.#projectIds.get(project)
    let group = this.#projects.get(id)
    if (group === undefined) {
      group = { label: mermaidLabel(`project ${project}`), members: [] }
      this.#projects.set(id, group)
    }
    group.members.push(decl)
  }

  #edge(from: string, to: string, dashed: boolean, label?: string): void {
    // One edge per node pair; a solid edge wins over a dashed one (a live route shares the backend).
    const key = `${from}>${to}`
    const seen = this.#edges.get(key)
    if (seen === undefined || (seen.dashed && !dashed)) this.#edges.set(key, { from, to, dashed, label })
  }

  render(): string[] {
    const lines = ['flowchart LR']
    for (const n of this.#nodes) lines.push(`  ${n}`)
    for (const [id, group] of this.#projects) {
      lines.push(`  subgraph ${id}[${group.label}]`)
      for (const m of group.members) lines.push(`    ${m}`)
      lines.push('  end')
    }
    for (const e of this.#edges.values()) {
      const label = e.label === undefined ? '' : `|${mermaidLabel(e.label)}|`
      lines.push(`  ${e.from} ${e.dashed ? '-.->' : '-->'}${label} ${e.to}`)
    }
    if (this.#classes.length > 0) {
      lines.push('  classDef added stroke:#1a7f37,stroke-width:2px')
      lines.push('  classDef changed stroke:#9a6700,stroke-width:2px')
      lines.push('  classDef removed stroke:#cf222e,stroke-dasharray:5 5,color:#6e7781')
      for (const c of this.#classes) lines.push(`  ${c}`)
    }
    return lines
  }
}
