// The route table of the plan comment, built for scanning (DESIGN.md §9): status first, every cell capped
// (the full values follow, collapsed), generated backend names shortened with the project kept, hops next
// to what the extra hop costs; then what changed per changed route as a diff (`!` changed, `+` added,
// `-` removed: GitHub colours all three in a ```diff block, as tfcmt and dflook use them).
import {
  kindLabel,
  type Plan,
  type RouteFieldChange,
  type RouteStatus,
  type RouteSummary,
  type TargetKind
} from '../plan/model.js'
import { cellCode, cleanLine, codeBlock, escapeMarkdown, inlineCode } from './escape.js'
import { whereTrafficGoes } from './traffic.js'

/** A table cell shows at most this many characters of user text; the full value is in the details. */
export const CELL_MAX = 60

const BADGE: Readonly<Record<RouteStatus, string>> = {
  new: '🟢 new',
  changed: '🟡 changed',
  removed: '🔴 removed',
  unchanged: '⚪ unchanged'
}

/** On a plan with errors nothing applies: no green row, and routes named by an error say so. */
const BLOCKED: Readonly<Record<RouteStatus, string>> = {
  new: '⏸️ new (blocked)',
  changed: '⏸️ changed (blocked)',
  removed: '⏸️ removed (blocked)',
  unchanged: '⚪ unchanged'
}

/** What the hop costs, per target kind: a short cell and the sentence under the table. */
export const HOP_NOTES: Readonly<Record<TargetKind, { readonly cell: string; readonly note: string }>> = {
  serverless: {
    cell: 'direct',
    note: 'serverless NEG: the load balancer reaches Cloud Run directly — no extra hop, no internet egress.'
  },
  cloudRun: {
    cell: '+ Cloud Run front end',
    note:
      'Cloud Run through an Internet NEG: one extra TLS hop through the Cloud Run front end (`*.run.app`) — ' +
      'some added latency per request, internet NEG egress billed on every response, and the public run.app ' +
      'front end is one more place a request can fail; a serverless NEG (same project or cross-project) avoids it.'
  },
  loadBalancer: {
    cell: '+ another load balancer',
    note:
      "a chained load balancer: a second load balancer's latency, its own processing and egress cost, and a " +
      'second failure point (its certificate, URL map and backends) between users and the service.'
  },
  internet: {
    cell: 'internet endpoint',
    note:
      "internet NEG: requests leave Google's network for the endpoint — internet egress is billed, latency " +
      'depends on where it is, and its availability is outside Google Cloud.'
  }
}

/** shortBackend drops the `lbr-<owner>-` prefix and shortens the hash of a generated backend name. */
export function shortBackend(name: string, owner: string): string {
  const m = /^lbr-(.+)-(bs|sneg|neg)-([0-9a-f]{8})$/.exec(name)
  if (!m) return name
  const middle = m[1]!.startsWith(`${owner}-`) ? m[1]!.slice(owner.length + 1) : m[1]!
  return `${middle}-${m[2]}-${m[3]!.slice(0, 4)}…`
}

/** A capped cell and whether it lost anything. */
interface Cell {
  readonly text: string
  readonly capped: boolean
}

/** listCell shows items as code until CELL_MAX characters are used, then "+N more". */
function listCell(items: readonly string[], max = CELL_MAX): Cell {
  const shown: string[] = []
  let used = 0
  for (const item of items) {
    if (shown.length > 0 && used + item.length > max) break
    shown.push(cellCode(item, max))
    used += Math.min(item.length, max) + 2
  }
  const more = items.length - shown.length
  const capped = more > 0 || items.some((i) => i.length > max)
  return { text: shown.join(', ') + (more > 0 ? ` +${more} more` : ''), capped }
}

function whereCell(r: RouteSummary): Cell {
  const hosts = listCell(r.hosts, CELL_MAX / 2)
  const paths = listCell(r.default ? [...r.paths, '(default)'] : r.paths, CELL_MAX / 2)
  const rewrites = [
    r.rewrite === undefined ? '' : `path → ${cellCode(r.rewrite, 30)}`,
    r.hostRewrite === undefined ? '' : `host → ${cellCode(r.hostRewrite, 30)}`,
    r.hostHeader === undefined ? '' : `Host: ${cellCode(r.hostHeader, 30)}`
  ].filter((s) => s !== '')
  const text = [hosts.text || '—', paths.text, ...rewrites].filter((s) => s !== '').join(' ')
  return { text, capped: hosts.capped || paths.capped }
}

function targetCell(r: RouteSummary, plan: Plan): Cell {
  if (r.status === 'removed') {
    const to = whereTrafficGoes(plan, r)
    return { text: to ? `requests go to ${to}` : '_(removed)_', capped: false }
  }
  return { text: escapeMarkdown(r.target, CELL_MAX), capped: cleanLine(r.target).length > CELL_MAX }
}

function hopsCell(r: RouteSummary): string {
  if (r.status === 'removed') return '—'
  const note = r.kind === undefined ? '' : ` · ${HOP_NOTES[r.kind].cell}`
  return `${r.hops}${note}`
}

/** PLAN_TABLE_HEAD is the header of the plan's route table (status first). */
export const PLAN_TABLE_HEAD =
  '| Status | Route | Hosts and paths | Target | Backend | Hops |\n| --- | --- | --- | --- | --- | --- |'

/** planRouteRow renders one route row; `blocked` (a plan with errors) swaps the badges; capped says if cut. */
export function planRouteRow(
  r: RouteSummary,
  plan: Plan,
  blockedRoutes: ReadonlySet<string> | undefined
): Cell {
  const badge =
    blockedRoutes === undefined ? BADGE[r.status] : blockedRoutes.has(r.name) ? '❌ error' : BLOCKED[r.status]
  const where = whereCell(r)
  const target = targetCell(r, plan)
  const backend = `${cellCode(shortBackend(r.backend, plan.owner), CELL_MAX)} in ${cellCode(r.backendProject, 40)}`
  const cells = [badge, cellCode(r.name, CELL_MAX), where.text, target.text, backend, hopsCell(r)]
  const capped =
    where.capped ||
    target.capped ||
    r.name.length > CELL_MAX ||
    shortBackend(r.backend, plan.owner) !== r.backend
  return { text: `| ${cells.join(' | ')} |`, capped }
}

/** hopNotes: one sentence per target kind in the table, saying what its hop costs. */
export function hopNotes(routes: readonly RouteSummary[]): string {
  const kinds = [
    ...new Set(routes.filter((r) => r.status !== 'removed').flatMap((r) => (r.kind ? [r.kind] : [])))
  ]
  if (kinds.length === 0) return ''
  const order: readonly TargetKind[] = ['serverless', 'cloudRun', 'loadBalancer', 'internet']
  const lines = order
    .filter((k) => kinds.includes(k))
    .map((k) => `- **${HOP_NOTES[k].cell}** — ${HOP_NOTES[k].note}`)
  return `**What the hops cost**\n\n${lines.join('\n')}`
}

/** fullValues lists, collapsed, the full values of routes whose cells were capped. */
export function fullValues(routes: readonly RouteSummary[]): string {
  if (routes.length === 0) return ''
  const line = (r: RouteSummary): string =>
    `- ${inlineCode(r.name, 300)}: hosts ${r.hosts.map((h) => inlineCode(h, 300)).join(', ') || '—'}; paths ` +
    `${[...r.paths, ...(r.default ? ['(default)'] : [])].map((p) => inlineCode(p, 300)).join(', ') || '—'}; ` +
    `target ${escapeMarkdown(r.target, 500)}; backend ${inlineCode(r.backend, 300)} in ${inlineCode(r.backendProject)}`
  return `<details>\n<summary>Full values of shortened cells</summary>\n\n${routes.map(line).join('\n')}\n\n</details>`
}

/** changeLine: one diff line for one field of one route. */
function changeLine(route: string, c: RouteFieldChange): string {
  const name = cleanLine(route, 60)
  const v = (s: string | undefined): string => cleanLine(s ?? '', 200)
  if (c.before !== undefined && c.after !== undefined)
    return `! ${name}  ${c.field}: ${v(c.before)} → ${v(c.after)}`
  if (c.after !== undefined) return `+ ${name}  ${c.field}: ${v(c.after)}`
  return `- ${name}  ${c.field}: ${v(c.before)}`
}

/** fallbackLines: for a changed route without field changes, the resources that change for it. */
function fallbackLines(r: RouteSummary, plan: Plan): string[] {
  return plan.changes
    .filter((c) => c.routes?.includes(r.name) && c.address.kind !== 'urlMap')
    .map((c) => {
      const fields = c.fields && c.fields.length > 0 ? ` (${c.fields.join(', ')})` : ''
      return `! ${cleanLine(r.name, 60)}  ${kindLabel(c.address.kind)} ${cleanLine(c.address.name, 80)}: ${c.action}${cleanLine(fields, 200)}`
    })
}

/** whatChanged renders what changed per changed route, at most `limit` lines ('' when none changed). */
export function whatChanged(plan: Plan, routes: readonly RouteSummary[], limit: number): string {
  const lines = routes
    .filter((r) => r.status === 'changed')
    .flatMap((r) =>
      r.changes && r.changes.length > 0 ? r.changes.map((c) => changeLine(r.name, c)) : fallbackLines(r, plan)
    )
  if (lines.length === 0) return ''
  const shown = lines.slice(0, limit)
  const more = lines.length - shown.length
  const tail = more > 0 ? `\n… ${more.toLocaleString('en-US')} more changes` : ''
  return `#### What changed\n\n${codeBlock(shown.join('\n') + tail, 'diff')}`
}
