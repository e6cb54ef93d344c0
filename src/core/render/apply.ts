// The apply report: PR comment / job summary (markdown, with its own hidden marker) and terminal text.
// Same escaping and size rules as the plan: never longer than maxLength, failed steps kept first.
import type { ApplyResult, ApplyStep, Plan } from '../plan/model.js'
import { trafficSection } from './traffic.js'
import { cellCode, escapeMarkdown, inlineCode, safeUrl, terminalText, utf8Length } from './escape.js'
import { applyMarkerLine } from '../review/markers.js'
import { DEFAULT_MAX_LENGTH, frontendSection } from './markdown.js'
import { addressLine, painter } from './text.js'
import { formatDuration, frontendLines, kindLabel, parseChangeKey, plural } from './summary.js'

export interface ApplyMarkdownOptions {
  readonly runUrl?: string
  /** The plan that was applied: gives the per-route summary and the traffic that moved. */
  readonly plan?: Plan
  /** File name of the snapshot saved before the first change (what a rollback restores). */
  readonly snapshot?: string
  /** Never return more characters than this (default: GitHub's comment limit minus a margin). */
  readonly maxLength?: number
  /** Optionally also cap UTF-8 bytes (step summary). */
  readonly maxBytes?: number
}

const STATUS_LINE: Readonly<Record<ApplyResult['status'], string>> = {
  applied: '✅ **Applied.**',
  'no-changes': '➖ **No changes.** The load balancer already matched routes.json.',
  failed:
    '❌ **Failed.** Rerunning the apply converges: every step is idempotent and picks up where this one stopped.',
  refused:
    '🛑 **Refused: nothing was applied.** The plan on merge does not match a reviewed plan (why, below). Re-run the plan on the pull request and review it again.'
}

const STEP_ICON: Readonly<Record<ApplyStep['status'], string>> = {
  done: '✅ done',
  failed: '❌ failed',
  skipped: '⏭️ skipped'
}

function stepCounts(steps: readonly ApplyStep[]): string {
  const done = steps.filter((s) => s.status === 'done').length
  const failed = steps.filter((s) => s.status === 'failed').length
  const skipped = steps.filter((s) => s.status === 'skipped').length
  const parts = [`${done} done`]
  if (failed > 0) parts.push(`${failed} failed`)
  if (skipped > 0) parts.push(`${skipped} skipped`)
  return `${plural(steps.length, 'step')}: ${parts.join(', ')}`
}

function retriesLine(result: ApplyResult): string {
  if (result.urlMapRetries <= 0) return ''
  return (
    `The URL map write was retried ${plural(result.urlMapRetries, 'time')} after 412 conditionNotMet ` +
    '(another owner changed the map); each retry re-read and re-merged it and checked the reviewed changes.'
  )
}

function resourceCell(key: string): string {
  const k = parseChangeKey(key)
  if (k.kind === '') return cellCode(key)
  const where =
    k.region === undefined ? cellCode(k.project) : `${cellCode(k.project)} (${cellCode(k.region)})`
  return `${kindLabel(k.kind)} ${cellCode(k.name)} in ${where}`
}

function stepRow(s: ApplyStep): string {
  const error = s.error ? escapeMarkdown(s.error, 300) : ''
  return `| ${resourceCell(s.key)} | ${s.action} | ${STEP_ICON[s.status]} | ${s.status === 'skipped' ? '—' : formatDuration(s.durationMs)} | ${error} |`
}

function stepTable(result: ApplyResult, limit: number, pointer: string): string {
  if (result.steps.length === 0) return ''
  // Failed steps are the ones a reader needs: keep them first when shortening, show in execution order.
  const order = result.steps.map((s, i) => ({ s, i }))
  const keep = new Set(
    [...order.filter((x) => x.s.status === 'failed'), ...order.filter((x) => x.s.status !== 'failed')]
      .slice(0, limit)
      .map((x) => x.i)
  )
  const rows = order.filter((x) => keep.has(x.i)).map((x) => stepRow(x.s))
  const out = ['#### Steps']
  if (rows.length > 0) {
    out.push(
      ['| Resource | Action | Status | Duration | Error |', '| --- | --- | --- | ---: | --- |', ...rows].join(
        '\n'
      )
    )
  }
  const more = result.steps.length - rows.length
  if (more > 0) out.push(`… and ${more.toLocaleString('en-US')} more steps (see ${pointer}).`)
  return out.join('\n\n')
}

const ROUTE_RESULT = { done: '✅ done', failed: '❌ failed', pending: '⏭️ not reached' } as const

/** routeResults: per changed route, done when all its steps are, failed when one failed. */
function routeSection(result: ApplyResult, plan: Plan | undefined): string {
  const routes = (plan?.routes ?? []).filter((r) => r.status !== 'unchanged')
  if (!plan || routes.length === 0 || result.status === 'refused') return ''
  const byKey = new Map(result.steps.map((s) => [s.key, s]))
  const rows = routes.slice(0, 100).map((r) => {
    const steps = plan.changes
      .filter((c) => c.routes?.includes(r.name))
      .flatMap((c) => (byKey.has(c.key) ? [byKey.get(c.key)!] : []))
    const failed = steps.find((s) => s.status === 'failed')
    const state = failed
      ? 'failed'
      : steps.length > 0 && steps.every((s) => s.status === 'done')
        ? 'done'
        : 'pending'
    const why = failed?.error ? escapeMarkdown(failed.error, 200) : ''
    return `| ${cellCode(r.name, 60)} | ${r.status} | ${ROUTE_RESULT[state]} | ${why} |`
  })
  const more = routes.length - rows.length
  const tail = more > 0 ? `\n\n… and ${more.toLocaleString('en-US')} more routes (see the steps).` : ''
  return `#### Routes\n\n| Route | Change | Result | Error |\n| --- | --- | --- | --- |\n${rows.join('\n')}${tail}`
}

/** snapshotLine says where the state before this apply was saved and how to roll back with it. */
export function snapshotLine(name: string | undefined): string {
  if (!name) return ''
  return (
    `**Rollback snapshot:** the state before this apply was saved as ${inlineCode(name)} (uploaded as the ` +
    "workflow's `lb-routes-snapshot` artifact); roll back with `command: rollback` and `rollback-from` set to the " +
    `downloaded file, or ${inlineCode(`lb-routes rollback --from ${name}`)}.`
  )
}

/** renderApplyMarkdown renders the apply report for the PR and the job summary, never longer than maxLength. */
export function renderApplyMarkdown(result: ApplyResult, opts: ApplyMarkdownOptions = {}): string {
  const lb = result.loadBalancer
  const marker = applyMarkerLine(result.owner, lb, result.planId, result.status)
  const url = safeUrl(opts.runUrl)
  const pointer = url === undefined ? 'the workflow run log' : `[the workflow run log](${url})`
  const heading =
    `### lb-routes apply for ${inlineCode(result.owner)} on ${inlineCode(lb.urlMap)} ` +
    `in ${inlineCode(lb.project)}`
  const status = `${STATUS_LINE[result.status]} Plan ${inlineCode(result.planId, 100)} · ${stepCounts(result.steps)} · ${formatDuration(result.durationMs)}`
  const message = result.message ? `> ${escapeMarkdown(result.message, 2000)}` : ''
  const footer = url === undefined ? '' : `---\n\n[workflow run](${url})`
  const maxLength = opts.maxLength ?? DEFAULT_MAX_LENGTH
  const fits = (s: string): boolean =>
    s.length <= maxLength && (opts.maxBytes === undefined || utf8Length(s) <= opts.maxBytes)
  const render = (limit: number): string =>
    [
      marker,
      heading,
      status,
      message,
      retriesLine(result),
      routeSection(result, opts.plan),
      opts.plan && result.status === 'applied' ? trafficSection(opts.plan, 50, 'Traffic that moved') : '',
      snapshotLine(opts.snapshot),
      frontendSection(result.frontend),
      stepTable(result, limit, pointer),
      footer
    ]
      .filter((p) => p !== '')
      .join('\n\n') + '\n'

  let lo = 0
  let hi = result.steps.length
  if (fits(render(hi))) return render(hi)
  if (!fits(render(0))) {
    const s = render(0)
    return s.slice(0, Math.max(0, maxLength))
  }
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (fits(render(mid))) lo = mid
    else hi = mid - 1
  }
  return render(lo)
}

const TEXT_STATUS: Readonly<Record<ApplyResult['status'], [string, string]>> = {
  applied: ['Apply complete.', '32'],
  'no-changes': ['No changes. The load balancer already matched routes.json.', '2'],
  failed: ['Apply failed. Run it again: every step is idempotent, so a rerun converges.', '31'],
  refused: ['Apply refused: the plan changed since review. Re-run the plan and review it again.', '31']
}

const TEXT_STEP: Readonly<Record<ApplyStep['status'], [string, string]>> = {
  done: ['✓', '32'],
  failed: ['✗', '31'],
  skipped: ['-', '2']
}

/** renderApplyText renders the apply report for a terminal; ANSI colours only when color is true. */
export function renderApplyText(result: ApplyResult, opts: { readonly color: boolean }): string {
  const paint = painter(opts.color)
  const lb = result.loadBalancer
  const out = [
    paint(
      '1',
      `lb-routes apply for ${terminalText(result.owner)} on URL map ${terminalText(lb.urlMap)} (project ${terminalText(lb.project)})`
    )
  ]
  for (const s of result.steps) {
    const [mark, code] = TEXT_STEP[s.status]
    const k = parseChangeKey(s.key)
    const what = k.kind === '' ? terminalText(s.key) : addressLine(k.kind, k.project, k.name, k.region)
    const took = s.status === 'skipped' ? 'skipped' : formatDuration(s.durationMs)
    out.push(`  ${paint(code, mark)} ${s.action.padEnd(7)} ${what}  ${took}`)
    if (s.error) out.push(`      ${paint('31', 'error:')} ${terminalText(s.error)}`)
  }
  if (result.urlMapRetries > 0) {
    out.push(`  URL map write retried ${plural(result.urlMapRetries, 'time')} after 412 conditionNotMet.`)
  }
  if (result.message) out.push(`  ${terminalText(result.message)}`)
  if (result.frontend) {
    out.push('', paint('1', 'Frontend:'))
    for (const l of frontendLines(result.frontend)) out.push(`  ${terminalText(l)}`)
  }
  const [line, code] = TEXT_STATUS[result.status]
  out.push(
    '',
    paint(
      code,
      `${line} (plan ${terminalText(result.planId)}, ${stepCounts(result.steps)}, ${formatDuration(result.durationMs)})`
    )
  )
  return out.join('\n') + '\n'
}
