// The drift report: the GitHub issue body, its "resolved" closing comment, the terminal text and JSON.
// The issue body is a pure function of the drift (no clock, no run id unless it had to be shortened), so
// an unchanged drift renders the same body and the issue is not edited run after run.
import { formatDiagnostic } from '../diagnostics.js'
import { driftMarker, type Drift } from '../drift/drift.js'
import type { ChangeAction, ResourceChange, RouteStatus } from '../plan/model.js'
import type { BackendService } from '../compute.js'
import { backendView } from '../diff/resources.js'
import { cleanLine, codeBlock, escapeMarkdown, inlineCode, safeUrl, terminalText } from './escape.js'
import { addressText, GITHUB_COMMENT_LIMIT, resourceLine, ROUTE_TABLE_HEAD, routeRow } from './markdown.js'
import { changesByAction, plural, ruleLine } from './summary.js'
import { painter, renderPlanText } from './text.js'

export interface DriftMarkdownOptions {
  /** The workflow run; linked only when the body had to be shortened (it changes every run). */
  readonly runUrl?: string
  /** Never return more characters than this (default: GitHub's issue body limit). */
  readonly maxLength?: number
}

// What each route status means when the live side is the one that moved.
const DRIFT_BADGE: Readonly<Record<RouteStatus, string>> = {
  new: '🟢 missing live',
  changed: '🟡 differs',
  removed: '🔴 live only',
  unchanged: '⚪ matches'
}

const WOULD: Readonly<Record<ChangeAction, string>> = {
  delete: '🔴 Apply would delete',
  replace: '🟠 Apply would replace',
  create: '🟢 Apply would create',
  update: '🟡 Apply would update',
  adopt: '🔵 Apply would adopt'
}

interface Layout {
  readonly details: boolean
  /** Items shown per list (errors, routes, resource changes, rule lines). */
  readonly limit: number
}

const more = (n: number, what: string): string =>
  n > 0 ? `\n… and ${n.toLocaleString('en-US')} more ${what}` : ''

function heading(d: Drift): string {
  return (
    `### ⚠️ lb-routes drift for ${inlineCode(d.owner)} on ` +
    `${inlineCode(d.loadBalancer.urlMap)} in ${inlineCode(d.loadBalancer.project)}`
  )
}

function intro(d: Drift): string {
  const changes = d.plan.changes.length
  const parts: string[] = []
  if (changes > 0) parts.push(`${plural(changes, 'resource change')} would restore it`)
  if (d.errors.length > 0)
    parts.push(`${plural(d.errors.length, 'error')} stop routes.json from being applied as it stands`)
  return (
    `The live load balancer no longer matches routes.json for ${inlineCode(d.owner)}: ${parts.join(', and ')}. ` +
    'This issue is kept up to date by a scheduled `lb-routes drift` run and closes itself once they match again.'
  )
}

function errorsSection(d: Drift, limit: number): string {
  if (d.errors.length === 0) return ''
  const shown = d.errors
    .slice(0, limit)
    .map((e) => `- ❌ ${inlineCode(`${e.file}:${e.line}:${e.column}`)} ${escapeMarkdown(e.message, 1000)}`)
  return `#### Errors: live state conflicts with routes.json\n\n${shown.join('\n')}${more(d.errors.length - shown.length, 'errors')}`
}

function routesSection(d: Drift, limit: number): string {
  const moved = d.plan.routes.filter((r) => r.status !== 'unchanged')
  if (moved.length === 0) return ''
  const rows = moved.slice(0, limit).map((r) => routeRow(r, DRIFT_BADGE))
  const table = rows.length > 0 ? [ROUTE_TABLE_HEAD, ...rows].join('\n') : ''
  const unchanged = d.plan.routes.length - moved.length
  const tail = more(moved.length - rows.length, 'routes').trim()
  return [
    `#### Routes that differ (${moved.length} of ${d.plan.routes.length}; ${unchanged} match)`,
    table,
    tail
  ]
    .filter((s) => s !== '')
    .join('\n\n')
}

function changesSection(changes: readonly ResourceChange[], limit: number): string {
  if (changes.length === 0) return ''
  const out = ['#### What differs']
  let budget = limit
  for (const action of ['delete', 'replace', 'create', 'adopt', 'update'] as const) {
    const group = changes.filter((c) => c.action === action)
    if (group.length === 0) continue
    const shown = group.slice(0, Math.max(0, budget))
    budget -= shown.length
    const lines = shown.map(resourceLine).join('\n') + more(group.length - shown.length, 'resources')
    out.push(`**${WOULD[action]} (${group.length})**\n\n${lines.trim()}`)
  }
  for (const c of changes) {
    if (!c.rules || c.rules.length === 0) continue
    const shown = c.rules.slice(0, limit)
    out.push(
      `URL map ${inlineCode(c.address.name)} rules that differ (${c.rules.length}):\n\n` +
        codeBlock(
          shown.map(ruleLine).join('\n') + more(c.rules.length - shown.length, 'rule changes'),
          'diff'
        )
    )
  }
  return out.join('\n\n')
}

/** fieldValues gives the live and wanted value of each differing field, as plan compared them. */
function fieldValues(c: ResourceChange): [string, unknown, unknown][] {
  const fields = c.fields ?? []
  const before = (c.before ?? {}) as BackendService & Record<string, unknown>
  const after = (c.after ?? {}) as BackendService & Record<string, unknown>
  if (c.address.kind === 'backendService' && c.before !== undefined) {
    // The plan compares normalised views (API defaults filled in, references canonical): show those.
    const serverless = (after.backends ?? []).some((b) => /\/regions\//.test(b.group ?? ''))
    const live = backendView(before, serverless, c.address.project)
    const want = backendView(after, serverless, c.address.project)
    return fields.map((f) => [f, live[f], want[f]])
  }
  return fields.map((f) => [f, before[f], after[f]])
}

const valueText = (v: unknown): string => cleanLine(v === undefined ? '(not set)' : JSON.stringify(v), 300)

function fieldsSection(changes: readonly ResourceChange[], limit: number): string {
  const blocks = changes
    .filter((c) => c.action === 'update' && (c.fields?.length ?? 0) > 0)
    .slice(0, limit)
    .map((c) => {
      const lines = fieldValues(c).flatMap(([f, live, want]) => [
        `- ${cleanLine(f, 100)}: ${valueText(live)}`,
        `+ ${cleanLine(f, 100)}: ${valueText(want)}`
      ])
      return `${addressText(c)}:\n\n${codeBlock(lines.join('\n'), 'diff')}`
    })
  if (blocks.length === 0) return ''
  return `#### Field by field (− live, + routes.json)\n\n${blocks.join('\n\n')}`
}

function fixSection(d: Drift): string {
  const lines: string[] = []
  if (d.plan.changes.length > 0) {
    lines.push(
      '- **Undo the hand edit:** run `lb-routes apply` (or the apply workflow) with this routes.json; it puts back exactly the changes listed above.',
      '- **Keep the live change:** describe it in routes.json in a pull request; once merged and applied, the next drift check closes this issue.'
    )
  }
  if (d.errors.length > 0)
    lines.push(
      '- **Errors:** each says what to fix; apply refuses until they are gone (nothing of anyone else is changed).'
    )
  return `#### How to fix\n\n${lines.join('\n')}`
}

function truncationNote(runUrl: string | undefined): string {
  const url = safeUrl(runUrl)
  const where = url
    ? `the job summary of [the workflow run that last updated this issue](${url})`
    : 'the job summary of the scheduled run'
  return `> [!NOTE]\n> ℹ️ Shortened to fit GitHub's issue size limit. The whole report is in ${where}, or run \`lb-routes drift\` locally.`
}

function assemble(d: Drift, layout: Layout, shortened: string): string {
  const changes = changesByAction(d.plan)
  return (
    [
      driftMarker(d.owner, d.loadBalancer),
      heading(d),
      intro(d),
      shortened,
      errorsSection(d, layout.limit),
      routesSection(d, layout.limit),
      changesSection(changes, layout.limit),
      layout.details ? fieldsSection(changes, layout.limit) : '',
      fixSection(d)
    ]
      .filter((p) => p !== '')
      .join('\n\n') + '\n'
  )
}

/** renderDriftMarkdown renders the drift issue body (also the job summary), never longer than maxLength. */
export function renderDriftMarkdown(d: Drift, opts: DriftMarkdownOptions = {}): string {
  const max = opts.maxLength ?? GITHUB_COMMENT_LIMIT
  const fits = (s: string): boolean => s.length <= max
  const all = Math.max(
    d.errors.length,
    d.plan.routes.length,
    d.plan.changes.length,
    ...d.plan.changes.map((c) => c.rules?.length ?? 0)
  )
  const full = assemble(d, { details: true, limit: all }, '')
  if (fits(full)) return full
  const note = truncationNote(opts.runUrl)
  const render = (limit: number): string => assemble(d, { details: false, limit }, note)
  if (!fits(render(0))) {
    // Degenerate budgets: whole lines of the smallest layout, never more than the cap.
    let out = ''
    for (const line of render(0).split('\n')) {
      if (!fits(`${out}${line}\n`)) break
      out += `${line}\n`
    }
    return out
  }
  let lo = 0
  let hi = all
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (fits(render(mid))) lo = mid
    else hi = mid - 1
  }
  return render(lo)
}

export interface ResolvedInfo {
  readonly owner: string
  readonly loadBalancer: Drift['loadBalancer']
  readonly now: Date
  readonly runUrl?: string
}

/** renderDriftResolved is the comment posted when closing the issue: live state matches routes.json again. */
export function renderDriftResolved(r: ResolvedInfo): string {
  const url = safeUrl(r.runUrl)
  const run = url ? ` ([workflow run](${url}))` : ''
  return (
    `✅ **Resolved.** The live load balancer matches routes.json again for ${inlineCode(r.owner)} on ` +
    `${inlineCode(r.loadBalancer.urlMap)} in ${inlineCode(r.loadBalancer.project)}: no changes, no errors ` +
    `(checked ${escapeMarkdown(r.now.toISOString(), 40)}${run}). Closing; lb-routes opens a new issue if it drifts again.\n`
  )
}

/** renderDriftText renders the drift for a terminal: a verdict line, then (with changes) the plan as `lb-routes plan` shows it. */
export function renderDriftText(d: Drift, opts: { readonly color: boolean }): string {
  const paint = painter(opts.color)
  const where = `${terminalText(d.owner)} on URL map ${terminalText(d.loadBalancer.urlMap)} (project ${terminalText(d.loadBalancer.project)})`
  if (d.inSync) return `No drift: the live load balancer matches routes.json for ${where}.\n`
  const parts: string[] = []
  if (d.plan.changes.length > 0)
    parts.push(`${plural(d.plan.changes.length, 'resource change')} would restore routes.json`)
  if (d.errors.length > 0)
    parts.push(
      `${plural(d.errors.length, 'error')}: live state conflicts with routes.json (listed on stderr)`
    )
  const verdict = `${paint('1;33', `Drift for ${where}:`)} ${parts.join('; ')}.\n`
  // With errors only, the plan text would end in "No changes.", which is not the news here.
  return d.plan.changes.length > 0 ? `${verdict}\n${renderPlanText(d.plan, opts)}` : verdict
}

/** What happened to the drift issue this run (for output, JSON and the job summary). */
export interface DriftIssueOutcome {
  readonly action: 'opened' | 'updated' | 'unchanged' | 'closed' | 'none'
  readonly number?: number
  readonly url?: string
}

/** renderDriftJson is the machine-readable result of `lb-routes drift --json`. */
export function renderDriftJson(d: Drift, issue: DriftIssueOutcome | undefined): string {
  return (
    JSON.stringify(
      {
        drift: !d.inSync,
        owner: d.owner,
        loadBalancer: d.loadBalancer,
        planId: d.plan.planId,
        changes: d.plan.changes.map((c) => ({
          action: c.action,
          key: c.key,
          reason: c.reason,
          ...(c.fields ? { fields: c.fields } : {})
        })),
        routes: d.plan.routes
          .filter((r) => r.status !== 'unchanged')
          .map((r) => ({ name: r.name, status: r.status })),
        errors: d.errors.map(formatDiagnostic),
        issue: issue ?? null
      },
      null,
      2
    ) + '\n'
  )
}

/** driftIssueLine says in words what happened to the issue: `Opened drift issue #12: URL`. */
export function driftIssueLine(o: DriftIssueOutcome): string {
  const ref = o.number === undefined ? '' : `#${o.number}`
  return `${issueWords(o.action, ref)}${o.url ? `: ${o.url}` : ''}`
}

function issueWords(action: DriftIssueOutcome['action'], ref: string): string {
  switch (action) {
    case 'opened':
      return `Opened drift issue ${ref}`
    case 'updated':
      return `Updated drift issue ${ref}`
    case 'unchanged':
      return `Drift issue ${ref} is up to date`
    case 'closed':
      return `Closed drift issue ${ref} (resolved)`
    case 'none':
      return 'No drift issue open; nothing to do'
  }
}

/** renderDriftSummary is the job summary of a drift run: the verdict, what happened to the issue, the report. */
export function renderDriftSummary(
  d: Drift,
  issue: DriftIssueOutcome | undefined,
  opts: DriftMarkdownOptions = {}
): string {
  let issueText = ''
  if (issue) {
    const url = safeUrl(issue.url)
    const ref = issue.number === undefined ? '' : url ? `[#${issue.number}](${url})` : `#${issue.number}`
    issueText = `**${issueWords(issue.action, ref)}.**`
  }
  const where = `${inlineCode(d.owner)} on ${inlineCode(d.loadBalancer.urlMap)} in ${inlineCode(d.loadBalancer.project)}`
  if (d.inSync) {
    const head = `### ✅ No drift for ${where}\n\nThe live load balancer matches routes.json.`
    return `${head}${issueText ? `\n\n${issueText}` : ''}\n`
  }
  // The issue body without its hidden marker (the summary is not where the marker is looked for).
  const body = renderDriftMarkdown(d, opts)
  const report = body.slice(body.indexOf('\n') + 1).trimStart()
  return issueText ? `${report}\n${issueText}\n` : report
}
