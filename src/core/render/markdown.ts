// The sticky PR comment and job summary (DESIGN.md §9), a decision in ten seconds: the verdict first, then
// every error, the traffic that moves, the route table with what changed and what each hop costs, a diagram
// of the changed routes, the rule diff, resources, checks and what happens next; resource JSON collapsed.
// The first line is the hidden plan marker (src/core/review/markers.ts) the action uses to find and update
// its own comment and to read the reviewed planId on merge. The body must fit GitHub's caps (comment
// 65,536 characters, step summary 1 MiB): the renderer degrades step by step and never returns more than
// maxLength, always keeping marker, verdict, counts, errors, checks and a pointer to the full plan.
import type {
  FrontendSummary,
  Plan,
  ResourceChange,
  RouteStatus,
  RouteSummary,
  RuleChange
} from '../plan/model.js'
import { planMarkerLine } from '../review/markers.js'
import { cellCode, codeBlock, escapeMarkdown, inlineCode, safeUrl, utf8Length } from './escape.js'
import { diagramRoutes, MAX_DIAGRAM_ROUTES, renderPlanMermaid } from './mermaid.js'
import { nextSteps } from './next-steps.js'
import { fullValues, hopNotes, PLAN_TABLE_HEAD, planRouteRow, whatChanged } from './route-table.js'
import { trafficSection, whereTrafficGoes } from './traffic.js'
import {
  checkIcon,
  checksLine,
  countsLine,
  errorsSection,
  planErrors,
  verdictOf,
  type Verdict
} from './verdict.js'
import {
  ACTION_SYMBOL,
  changesByAction,
  countChanges,
  kindLabel,
  plural,
  ruleLine,
  sortRoutes,
  type ChangeCounts
} from './summary.js'

/** GitHub rejects issue / PR comment bodies longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536
/** GitHub drops (does not truncate) a step summary larger than 1 MiB; pass it as maxBytes. */
export const STEP_SUMMARY_LIMIT = 1_048_576
/** Default maxLength: the comment limit minus a margin for whatever the shell appends. */
export const DEFAULT_MAX_LENGTH = GITHUB_COMMENT_LIMIT - 536

export interface PlanMarkdownOptions {
  /** Link to the workflow run, shown in the footer and the "full plan" pointer. */
  readonly runUrl?: string
  /** Never return more characters (UTF-16 code units, GitHub's measure) than this. */
  readonly maxLength?: number
  /** Optionally also cap UTF-8 bytes (the step summary limit is in bytes). */
  readonly maxBytes?: number
  /** Heading text; defaults to "lb-routes plan". */
  readonly title?: string
  /** The GitHub environment whose approval gates the apply (for "What happens next"). */
  readonly environment?: string
}

function markerLine(plan: Plan): string {
  return planMarkerLine(plan.owner, plan.loadBalancer, plan.planId)
}

/** What the current attempt renders; each degradation step turns one knob down. */
interface Layout {
  readonly details: boolean
  readonly diagram: boolean
  /** Route table rows shown. */
  readonly routeLimit: number
  /** Resource entries, then URL map rule lines, shown. */
  readonly resourceLimit: number
  /** Cap warnings and check details. */
  readonly compact: boolean
}

interface Context {
  readonly plan: Plan
  readonly verdict: Verdict
  /** Set on a plan with errors: the routes an error names (their rows say ❌ error, the others blocked). */
  readonly blocked?: ReadonlySet<string>
  readonly environment?: string
  readonly counts: ChangeCounts
  readonly title: string
  readonly runUrl?: string
  readonly maxLength: number
  readonly routes: readonly RouteSummary[]
  readonly changes: readonly ResourceChange[]
  readonly ruleCount: number
  /** Rendered route rows and resource lines, memoised: the size search renders the body many times. */
  readonly memo: Map<object, unknown>
}

function memo<T extends object, R>(ctx: Context, item: T, render: (item: T) => R): R {
  if (ctx.memo.has(item)) return ctx.memo.get(item) as R
  const s = render(item)
  ctx.memo.set(item, s)
  return s
}

/** The badges of the legacy route table (drift reports use it with their own words). */
const STATUS_BADGE: Readonly<Record<RouteStatus, string>> = {
  new: '🟢 new',
  changed: '🟡 changed',
  removed: '🔴 removed',
  unchanged: '⚪ unchanged'
}

const ACTION_HEADING: Readonly<Record<ResourceChange['action'], string>> = {
  delete: '🔴 Delete',
  replace: '🟠 Replace',
  create: '🟢 Create',
  update: '🟡 Update',
  adopt: '🔵 Adopt'
}

/** How many route rows / resource items to try to keep before giving up on the other section. */
const MIN_ROWS = 25
const MAX_LIST = 5

const num = (n: number): string => n.toLocaleString('en-US')

function codeList(items: readonly string[], max = MAX_LIST, cell = false): string {
  const code = cell ? cellCode : inlineCode
  const shown = items.slice(0, max).map((s) => code(s))
  if (items.length > max) shown.push(`+${items.length - max} more`)
  return shown.join(', ')
}

/** addressText: `backend service \`name\` in \`project\`` (+ region for regional resources). */
export function addressText(c: ResourceChange): string {
  const a = c.address
  const where =
    a.region === undefined ? inlineCode(a.project) : `${inlineCode(a.project)} (${inlineCode(a.region)})`
  return `${kindLabel(a.kind)} ${inlineCode(a.name)} in ${where}`
}

function top(ctx: Context): string {
  const { plan } = ctx
  const checks = checksLine(plan, ctx.blocked !== undefined)
  return [`### ${ctx.verdict.line}`, countsLine(plan, ctx.counts, ctx.title), checks]
    .filter((x) => x !== '')
    .join('\n\n')
}

/** removedNote says where a removed route's requests go instead (never just "stops"). */
function removedNote(ctx: Context, r: RouteSummary): string {
  const to = whereTrafficGoes(ctx.plan, r)
  return to
    ? `${inlineCode(r.name)}: its requests go to ${to}`
    : `${inlineCode(r.name)}: its requests fall to the next matching rule (the host's or the URL map's default)`
}

function callouts(ctx: Context): string {
  const { counts, plan } = ctx
  if (counts.delete + counts.replace === 0) return ''
  const what = [
    counts.delete > 0 ? `deletes ${plural(counts.delete, 'resource')}` : '',
    counts.replace > 0 ? `replaces ${plural(counts.replace, 'resource')}` : ''
  ]
    .filter((s) => s !== '')
    .join(' and ')
  const gone = plan.changes.filter((c) => c.action === 'delete' || c.action === 'replace')
  const names = gone.slice(0, MAX_LIST).map(addressText)
  if (gone.length > MAX_LIST) names.push(`and ${num(gone.length - MAX_LIST)} more`)
  const removed = plan.routes.filter((r) => r.status === 'removed')
  const shown = removed.slice(0, MAX_LIST).map((r) => removedNote(ctx, r))
  if (removed.length > MAX_LIST) shown.push(`and ${num(removed.length - MAX_LIST)} more removed routes`)
  const traffic = shown.length > 0 ? ` Removed ${shown.join('; ')}.` : ''
  return `> [!WARNING]\n> ⚠️ **This plan ${what}:** ${names.join(', ')}.${traffic}`
}

function pointer(ctx: Context): string {
  const url = safeUrl(ctx.runUrl)
  const where = url === undefined ? 'the workflow run' : `[the workflow run](${url})`
  return `the job summary and the \`plan.json\` artifact of ${where}`
}

function truncationNotice(ctx: Context, layout: Layout): string {
  const dropped: string[] = []
  if (!layout.details) dropped.push('resource details')
  if (!layout.diagram && diagramRoutes(ctx.plan).length <= MAX_DIAGRAM_ROUTES) dropped.push('the diagram')
  if (layout.routeLimit < ctx.routes.length) dropped.push('part of the route table')
  if (layout.resourceLimit < ctx.changes.length + ctx.ruleCount) dropped.push('part of the resource changes')
  if (layout.compact) dropped.push('some warnings')
  if (dropped.length === 0) return ''
  return (
    `> [!NOTE]\n> ℹ️ Shortened to fit ${num(ctx.maxLength)} characters (${dropped.join(', ')} left out). ` +
    `The full plan is in ${pointer(ctx)}.`
  )
}

function pathsCell(r: RouteSummary): string {
  const parts: string[] = []
  if (r.paths.length > 0) parts.push(codeList(r.paths, MAX_LIST, true))
  if (r.default) parts.push('_(default)_')
  if (r.rewrite !== undefined) parts.push(`rewrite → ${cellCode(r.rewrite)}`)
  return parts.join(' ') || '—'
}

/** ROUTE_TABLE_HEAD is the header of the route table whose rows routeRow renders. */
export const ROUTE_TABLE_HEAD =
  '| Route | Hosts | Paths | Target | Backend (project) | Hops | Status |\n' +
  '| --- | --- | --- | --- | --- | ---: | --- |'

/** routeRow renders one route as a table row; `badges` names the statuses (the drift issue words them its own way). */
export function routeRow(
  r: RouteSummary,
  badges: Readonly<Record<RouteStatus, string>> = STATUS_BADGE
): string {
  const cells = [
    cellCode(r.name),
    codeList(r.hosts, MAX_LIST, true) || '—',
    pathsCell(r),
    escapeMarkdown(r.target),
    `${cellCode(r.backend)} (${cellCode(r.backendProject)})`,
    String(r.hops),
    badges[r.status]
  ]
  return `| ${cells.join(' | ')} |`
}

function routeTable(ctx: Context, layout: Layout): string {
  const { routes, plan } = ctx
  if (routes.length === 0) return '#### Routes\n\n_This owner has no routes._'
  const limit = layout.routeLimit
  const rows = routes.slice(0, limit).map((r) => memo(ctx, r, (x) => planRouteRow(x, plan, ctx.blocked)))
  const out = ['#### Routes']
  if (rows.length > 0) out.push([PLAN_TABLE_HEAD, ...rows.map((x) => x.text)].join('\n'))
  const more = routes.length - rows.length
  if (more > 0) {
    const unchanged = routes.slice(limit).filter((r) => r.status === 'unchanged').length
    const note = unchanged > 0 ? ` (${num(unchanged)} unchanged)` : ''
    out.push(`… and ${num(more)} more ${more === 1 ? 'route' : 'routes'}${note}; see ${pointer(ctx)}.`)
  }
  if (!layout.compact) out.push(hopNotes(routes.slice(0, limit)))
  if (layout.details) out.push(fullValues(routes.slice(0, limit).filter((_, i) => rows[i]!.capped)))
  return out.filter((x) => x !== '').join('\n\n')
}

/** Past this many drawn routes the diagram is collapsed (it stays one click away). */
const OPEN_DIAGRAM_ROUTES = 10

function diagram(ctx: Context, layout: Layout): string {
  const n = diagramRoutes(ctx.plan).length
  if (n === 0) return ''
  if (n > MAX_DIAGRAM_ROUTES) {
    return `#### Diagram\n\n_No diagram: ${num(n)} changed routes are too many to draw legibly; the route table lists them._`
  }
  if (!layout.diagram) return `#### Diagram\n\n_Diagram left out to fit the size limit; see ${pointer(ctx)}._`
  const block = codeBlock(renderPlanMermaid(ctx.plan), 'mermaid', true)
  if (n <= OPEN_DIAGRAM_ROUTES) return `#### Diagram\n\n${block}`
  return `#### Diagram\n\n<details>\n<summary>Diagram of ${num(n)} changed routes and their neighbours</summary>\n\n${block}\n\n</details>`
}

/** resourceLine renders one resource change as a list item: address, reason, fields, routes. */
export function resourceLine(c: ResourceChange): string {
  const bits = [`- ${addressText(c)}`]
  if (c.reason) bits.push(` — ${escapeMarkdown(c.reason, 300)}`)
  if (c.fields && c.fields.length > 0) bits.push(` · fields: ${codeList(c.fields, 8)}`)
  if (c.routes && c.routes.length > 0) bits.push(` · routes: ${codeList(c.routes)}`)
  return bits.join('')
}

/** ruleDiffLine is a rule change as a diff line; changed rules get `!`, which GitHub colours (tfcmt, dflook). */
function ruleDiffLine(r: RuleChange): string {
  const line = ruleLine(r)
  return line.startsWith('~ ') ? `! ${line.slice(2)}` : line
}

/** ruleDiff renders the URL-map rule changes (ahead of the resource list), up to `budget` lines. */
function ruleDiff(ctx: Context, budget: number): { text: string; shown: number } {
  const parts: string[] = []
  let used = 0
  for (const c of ctx.changes) {
    if (!c.rules || c.rules.length === 0) continue
    const shown = c.rules.slice(0, Math.max(0, budget - used))
    used += shown.length
    if (shown.length === 0) continue
    const more = c.rules.length - shown.length
    const tail = more > 0 ? `\n… ${num(more)} more rule changes` : ''
    const title = `#### URL map ${inlineCode(c.address.name)} rule changes (${num(c.rules.length)})`
    parts.push(
      `${title}\n\n${codeBlock(shown.map((r) => memo(ctx, r, ruleDiffLine)).join('\n') + tail, 'diff')}`
    )
  }
  return { text: parts.join('\n\n'), shown: used }
}

/** Past this many changes of one action, the group opens with counts per kind (the lines look alike). */
const GROUP_COUNTS_OVER = 12

function groupCounts(group: readonly ResourceChange[]): string {
  const kinds = new Map<string, number>()
  for (const c of group) kinds.set(c.address.kind, (kinds.get(c.address.kind) ?? 0) + 1)
  return [...kinds].map(([k, n]) => `${num(n)} × ${kindLabel(k)}`).join(', ')
}

function resources(ctx: Context, limit: number): string {
  const { changes } = ctx
  if (changes.length === 0) return ''
  const rules = ruleDiff(ctx, limit)
  const out = [rules.text, '#### Resource changes']
  let budget = limit - rules.shown
  let hidden = 0
  for (const action of ['delete', 'replace', 'create', 'adopt', 'update'] as const) {
    const group = changes.filter((c) => c.action === action)
    if (group.length === 0) continue
    const shown = group.slice(0, Math.max(0, budget))
    budget -= shown.length
    hidden += group.length - shown.length
    // A blocked plan creates nothing: no green heading over it.
    const heading = ctx.blocked && action === 'create' ? '⏸️ Create' : ACTION_HEADING[action]
    const head = `**${heading} (${num(group.length)})**`
    const counts = group.length > GROUP_COUNTS_OVER ? `: ${groupCounts(group)}` : ''
    const lines = shown.map((c) => memo(ctx, c, resourceLine)).join('\n')
    out.push(lines ? `${head}${counts}\n\n${lines}` : `${head}${counts}`)
  }
  const hiddenRules = ctx.ruleCount - rules.shown
  if (hidden + hiddenRules > 0) {
    const what = [
      hidden > 0 ? `${num(hidden)} more resource changes` : '',
      hiddenRules > 0 ? `${num(hiddenRules)} more rule changes` : ''
    ]
      .filter((s) => s !== '')
      .join(' and ')
    out.push(`… and ${what}; see ${pointer(ctx)}.`)
  }
  return out.filter((x) => x !== '').join('\n\n')
}

/** frontendSection renders the frontend's address, certificate status and DNS advice ('' without one). */
export function frontendSection(f: FrontendSummary | undefined): string {
  if (!f) return ''
  const domains = f.domains.map((d) => inlineCode(d)).join(', ')
  const ip = f.ip === undefined ? undefined : inlineCode(f.ip)
  const perDomain = Object.entries(f.domainStatus ?? {})
    .map(([d, s]) => `${inlineCode(d)} ${escapeMarkdown(s, 60)}`)
    .join(', ')
  const status =
    f.certificateStatus === undefined
      ? '_created on apply_'
      : `**${escapeMarkdown(f.certificateStatus, 60)}**`
  const lines = [
    `- Address ${inlineCode(f.address)}: ${ip ?? '_allocated on apply_'}`,
    `- Certificate ${inlineCode(f.certificate)} for ${domains}: ${status}${perDomain ? ` (${perDomain})` : ''}`,
    `- HTTP→HTTPS redirect on port 80: ${f.httpRedirect ? 'on' : 'off'}`
  ]
  const dns =
    f.certificateStatus === 'ACTIVE'
      ? []
      : [
          `> [!IMPORTANT]\n> Point the A records of ${domains} at ${ip ?? 'the address (its IP is shown after apply)'}: the Google-managed certificate stays PROVISIONING until they resolve there (usually 15–60 minutes after).`
        ]
  return ['**Frontend**', '', ...lines, ...(dns.length ? ['', ...dns] : [])].join('\n')
}

function checks(ctx: Context, layout: Layout): string {
  const { checks } = ctx.plan
  if (checks.length === 0) return ''
  const max = layout.compact ? 200 : 1000
  const blocked = ctx.blocked !== undefined
  const lines = checks.map((c) => {
    const detail = c.detail ? `: ${escapeMarkdown(c.detail, max)}` : ''
    return `- ${checkIcon(c.status, blocked)} **${escapeMarkdown(c.name, 100)}**${detail}`
  })
  return `#### Checks\n\n${lines.join('\n')}`
}

function warnings(ctx: Context, layout: Layout): string {
  const { warnings } = ctx.plan
  if (warnings.length === 0) return ''
  const limit = layout.compact ? 10 : warnings.length
  const lines = warnings.slice(0, limit).map((w) => `- ⚠️ ${escapeMarkdown(w, layout.compact ? 300 : 1000)}`)
  if (warnings.length > limit) lines.push(`- … and ${num(warnings.length - limit)} more warnings`)
  return `#### Warnings\n\n${lines.join('\n')}`
}

function jsonLines(value: unknown): string[] {
  return value === undefined ? [] : (JSON.stringify(value, null, 2) ?? 'null').split('\n')
}

/**
 * diffLines is a line diff (longest common subsequence) of two JSON renderings, as `+`/`-`/` ` lines.
 * Above a size cap it falls back to "all removed, all added" rather than spend quadratic time.
 */
export function diffLines(before: readonly string[], after: readonly string[]): string[] {
  const n = before.length
  const m = after.length
  if (n * m > 1_000_000) return [...before.map((l) => `- ${l}`), ...after.map((l) => `+ ${l}`)]
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] =
        before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
    }
  }
  const out: string[] = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (before[i] === after[j]) {
      out.push(`  ${before[i]}`)
      i++
      j++
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) out.push(`- ${before[i++]}`)
    else out.push(`+ ${after[j++]}`)
  }
  while (i < n) out.push(`- ${before[i++]}`)
  while (j < m) out.push(`+ ${after[j++]}`)
  return out
}

function details(ctx: Context): string {
  const { plan } = ctx
  if (ctx.changes.length === 0 && plan.waves.length === 0) return ''
  // GitHub renders markdown inside <details> only when separated from the HTML lines by a blank line.
  const parts = ['<details>\n<summary>Resource details and apply waves</summary>']
  for (const c of ctx.changes) {
    const diff = diffLines(jsonLines(c.before), jsonLines(c.after))
    parts.push(`**${ACTION_SYMBOL[c.action]} ${c.action} ${addressText(c)}**`)
    if (diff.length > 0) parts.push(codeBlock(diff.join('\n'), 'diff'))
    else if (c.rules && c.rules.length > 0) parts.push('_Rule changes are listed above._')
  }
  if (plan.waves.length > 0) {
    const waves = plan.waves.map((w, i) => `${i + 1}. ${w.map((k) => inlineCode(k, 300)).join(', ')}`)
    parts.push(`**Apply waves** (each wave runs concurrently):\n\n${waves.join('\n')}`)
  }
  parts.push('</details>')
  return parts.join('\n\n')
}

function footer(ctx: Context): string {
  const { plan } = ctx
  const fp =
    plan.urlMapFingerprint === null
      ? 'URL map does not exist yet'
      : `URL map fingerprint ${inlineCode(plan.urlMapFingerprint, 100)}`
  const bits = [
    `Plan ${inlineCode(plan.planId, 100)}`,
    `computed against ${fp}`,
    escapeMarkdown(plan.createdAt, 40)
  ]
  const url = safeUrl(ctx.runUrl)
  if (url !== undefined) bits.push(`[workflow run](${url})`)
  return `---\n\n${bits.join(' · ')}`
}

function assemble(ctx: Context, layout: Layout): string {
  const { plan } = ctx
  const parts = [
    markerLine(plan),
    top(ctx),
    callouts(ctx),
    truncationNotice(ctx, layout),
    errorsSection(plan, layout.compact ? 20 : 200, layout.compact),
    trafficSection(plan, layout.compact ? 10 : 100),
    routeTable(ctx, layout),
    whatChanged(plan, ctx.routes, layout.compact ? 20 : Math.max(20, layout.routeLimit)),
    diagram(ctx, layout),
    resources(ctx, layout.resourceLimit),
    frontendSection(plan.frontend),
    checks(ctx, layout),
    warnings(ctx, layout),
    nextSteps(plan, ctx.verdict.kind, ctx.environment ? { environment: ctx.environment } : {}),
    layout.details ? details(ctx) : '',
    footer(ctx)
  ]
  return parts.filter((p) => p !== '').join('\n\n') + '\n'
}

/** bestFitting is the largest n in [0, max] for which render(n) fits (binary search), or -1 if none. */
function bestFitting(render: (n: number) => string, max: number, fits: (s: string) => boolean): number {
  if (!fits(render(0))) return -1
  let lo = 0
  let hi = Math.max(0, max)
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (fits(render(mid))) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** largestFitting renders with bestFitting's n; undefined when even render(0) does not fit. */
function largestFitting(
  render: (n: number) => string,
  max: number,
  fits: (s: string) => boolean
): string | undefined {
  const n = bestFitting(render, max, fits)
  return n < 0 ? undefined : render(n)
}

/**
 * hardCut is the last resort: whole lines up to the budget, then a pointer. Only used on the compact
 * layout, which has no fenced blocks to leave open.
 */
function hardCut(body: string, ctx: Context, fits: (s: string) => boolean): string {
  const tail = `\n… truncated. The full plan is in ${pointer(ctx)}.\n`
  const lines = body.split('\n')
  let out = ''
  for (const line of lines) {
    const next = `${out}${line}\n`
    if (!fits(next + tail)) break
    out = next
  }
  if (fits(out + tail)) return out + tail
  // Degenerate budgets (smaller than marker + pointer): cut characters, never exceeding the cap.
  let cut = body.slice(0, Math.max(0, ctx.maxLength))
  while (cut.length > 0 && !fits(cut)) cut = cut.slice(0, Math.floor(cut.length * 0.9))
  return cut
}

/** renderPlanMarkdown renders the PR comment / job summary body, never longer than opts.maxLength. */
export function renderPlanMarkdown(plan: Plan, opts: PlanMarkdownOptions = {}): string {
  const changes = changesByAction(plan)
  const counts = countChanges(plan)
  const verdict = verdictOf(plan, counts)
  const ctx: Context = {
    plan,
    verdict,
    ...(verdict.kind === 'blocked'
      ? { blocked: new Set(planErrors(plan).flatMap((e) => (e.route ? [e.route] : []))) }
      : {}),
    ...(opts.environment ? { environment: opts.environment } : {}),
    counts,
    title: opts.title ?? 'lb-routes plan',
    ...(opts.runUrl === undefined ? {} : { runUrl: opts.runUrl }),
    maxLength: opts.maxLength ?? DEFAULT_MAX_LENGTH,
    routes: sortRoutes(plan.routes),
    changes,
    ruleCount: changes.reduce((n, c) => n + (c.rules?.length ?? 0), 0),
    memo: new Map()
  }
  const maxBytes = opts.maxBytes
  const fits = (s: string): boolean =>
    s.length <= ctx.maxLength &&
    (maxBytes === undefined || s.length * 3 <= maxBytes || utf8Length(s) <= maxBytes)

  const allRoutes = ctx.routes.length
  const allItems = changes.length + ctx.ruleCount
  const full: Layout = {
    details: true,
    diagram: true,
    routeLimit: allRoutes,
    resourceLimit: allItems,
    compact: false
  }
  for (const layout of [full, { ...full, details: false }, { ...full, details: false, diagram: false }]) {
    const s = assemble(ctx, layout)
    if (fits(s)) return s
  }
  const lean: Layout = { ...full, details: false, diagram: false }
  const minRows = Math.min(MIN_ROWS, allRoutes)
  const minItems = Math.min(MIN_ROWS, allItems)
  const attempts: (() => string | undefined)[] = [
    // Shorten the route table down to a floor, keeping every resource change.
    () =>
      largestFitting((n) => assemble(ctx, { ...lean, routeLimit: minRows + n }), allRoutes - minRows, fits),
    // Then the resource list: cut it to a floor, give the route table what fits, and the resource list
    // the rest (the route table is what a team reviews; resource lines at this scale look alike).
    () => {
      const rows = (n: number): string =>
        assemble(ctx, { ...lean, routeLimit: minRows + n, resourceLimit: minItems })
      const extra = bestFitting(rows, allRoutes - minRows, fits)
      if (extra < 0) return undefined
      const routeLimit = minRows + extra
      return largestFitting(
        (n) => assemble(ctx, { ...lean, routeLimit, resourceLimit: minItems + n }),
        allItems - minItems,
        fits
      )
    },
    // Then both down to nothing but marker, heading, counts, checks and the pointer; then cap warnings.
    () => largestFitting((n) => assemble(ctx, { ...lean, routeLimit: n, resourceLimit: 0 }), minRows, fits),
    () =>
      largestFitting(
        (n) => assemble(ctx, { ...lean, routeLimit: n, resourceLimit: 0, compact: true }),
        0,
        fits
      )
  ]
  for (const attempt of attempts) {
    const s = attempt()
    if (s !== undefined) return s
  }
  return hardCut(assemble(ctx, { ...lean, routeLimit: 0, resourceLimit: 0, compact: true }), ctx, fits)
}
