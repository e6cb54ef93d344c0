// The top of the plan comment (DESIGN.md §9): the verdict a reviewer decides on, the counts, a one-line
// checks summary and every error with file:line. A plan with errors never shows green: its passed checks
// get a plain tick and its routes a "blocked" badge.
import type { CheckStatus, Plan, PlanError } from '../plan/model.js'
import { escapeMarkdown, inlineCode } from './escape.js'
import { plural, routesLine, totalChanges, type ChangeCounts } from './summary.js'

export type VerdictKind = 'blocked' | 'warnings' | 'ready' | 'no-changes'

export interface Verdict {
  readonly kind: VerdictKind
  /** The heading text, icon first: "❌ Cannot apply: 2 errors". */
  readonly line: string
}

/** The errors to show: the plan's errors, or (a plan built without them) one per failed check. */
export function planErrors(plan: Plan): readonly PlanError[] {
  if (plan.errors && plan.errors.length > 0) return plan.errors
  return plan.checks
    .filter((c) => c.status === 'fail')
    .map((c) => ({ message: c.detail ? `${c.name}: ${c.detail}` : `${c.name} failed` }))
}

/** verdictOf decides the first line: errors block; warnings, deletions and moves of others' traffic warn. */
export function verdictOf(plan: Plan, counts: ChangeCounts): Verdict {
  const errors = planErrors(plan).length
  if (errors > 0) return { kind: 'blocked', line: `❌ Cannot apply: ${plural(errors, 'error')}` }
  const warned = plan.warnings.length + plan.checks.filter((c) => c.status === 'warn').length
  const destructive = counts.delete + counts.replace
  const foreign = (plan.trafficMoves ?? []).filter((m) => m.before.owner !== plan.owner).length
  if (totalChanges(counts) === 0 && warned === 0) {
    return { kind: 'no-changes', line: '✅ No changes: nothing to apply' }
  }
  if (warned + destructive + foreign > 0) {
    const why = [
      warned > 0 ? plural(warned, 'warning') : '',
      destructive > 0 ? `${destructive} to delete or replace` : '',
      foreign > 0 ? `${plural(foreign, 'request class', 'request classes')} from other holders` : ''
    ].filter((s) => s !== '')
    return { kind: 'warnings', line: `⚠️ Applies with warnings: ${why.join(', ')}` }
  }
  return { kind: 'ready', line: '✅ Ready to apply on merge' }
}

/** countsLine: which owner and load balancer, what changes in resources and routes. */
export function countsLine(plan: Plan, c: ChangeCounts, title: string): string {
  const who =
    `${escapeMarkdown(title)} for ${inlineCode(plan.owner)} on ${inlineCode(plan.loadBalancer.urlMap)} ` +
    `in ${inlineCode(plan.loadBalancer.project)}`
  const resources =
    totalChanges(c) === 0
      ? '**No changes.** The load balancer matches routes.json.'
      : `**Resources:** ${c.adopt > 0 ? `${c.adopt} to adopt, ` : ''}${c.create} to create, ` +
        `${c.update} to update, ${c.replace} to replace, ${c.delete} to delete`
  return `${who}\n\n${resources} · **Routes:** ${routesLine(c)}`
}

const CHECK_ICON: Readonly<Record<CheckStatus, string>> = { pass: '✅', fail: '❌', warn: '⚠️', skip: '⏭️' }
/** A passed check on a blocked plan: a plain tick, not a green one. */
const NEUTRAL_PASS = '✓'

/** checkIcon is a check's icon; passed checks of a blocked plan are not green. */
export function checkIcon(status: CheckStatus, blocked: boolean): string {
  return status === 'pass' && blocked ? NEUTRAL_PASS : CHECK_ICON[status]
}

/** checksLine summarises the checks on one line: `**Checks:** ✅ 5 passed · ⚠️ 1 warning · ⏭️ 1 skipped`. */
export function checksLine(plan: Plan, blocked: boolean): string {
  if (plan.checks.length === 0) return ''
  const n = (s: CheckStatus): number => plan.checks.filter((c) => c.status === s).length
  const parts = [
    n('fail') > 0 ? `${checkIcon('fail', blocked)} ${n('fail')} failed` : '',
    n('warn') > 0 ? `${checkIcon('warn', blocked)} ${plural(n('warn'), 'warning')}` : '',
    n('pass') > 0 ? `${checkIcon('pass', blocked)} ${n('pass')} passed` : '',
    n('skip') > 0 ? `${checkIcon('skip', blocked)} ${n('skip')} skipped` : ''
  ].filter((s) => s !== '')
  return `**Checks:** ${parts.join(' · ')}`
}

/** errorLine: `` - ❌ `routes.json:18:5` route `batch`: message ``. */
function errorLine(e: PlanError, max: number): string {
  const where =
    e.file === undefined
      ? ''
      : `${inlineCode(`${e.file}${e.line === undefined ? '' : `:${e.line}`}${e.column === undefined ? '' : `:${e.column}`}`)} `
  const route = e.route === undefined ? '' : `route ${inlineCode(e.route)}: `
  return `- ❌ ${where}${route}${escapeMarkdown(e.message, max)}`
}

/** errorsSection lists every error (up to `limit`, then a count) with its place in routes.json. */
export function errorsSection(plan: Plan, limit: number, compact: boolean): string {
  const errors = planErrors(plan)
  if (errors.length === 0) return ''
  const shown = errors.slice(0, limit).map((e) => errorLine(e, compact ? 300 : 1000))
  const more = errors.length - shown.length
  if (more > 0)
    shown.push(`- … and ${more.toLocaleString('en-US')} more errors (all are annotated on routes.json)`)
  return `#### Errors (${errors.length.toLocaleString('en-US')})\n\n${shown.join('\n')}`
}
