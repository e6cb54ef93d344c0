// The terminal plan, terraform-style. Every user string goes through terminalText, so a hostile route
// name cannot smuggle ANSI escapes; colour codes come only from this file and only when asked.
import type { CheckStatus, Plan, ResourceChange, RouteStatus } from '../plan/model.js'
import { terminalText } from './escape.js'
import {
  ACTION_SYMBOL,
  changesByAction,
  countChanges,
  frontendLines,
  kindLabel,
  planLine,
  routesLine,
  ruleLine
} from './summary.js'

export interface TextOptions {
  /** Emit ANSI colours (the CLI passes `stdout.isTTY` and honours NO_COLOR). */
  readonly color: boolean
  /** What the plan is for, in the heading (default "plan"); a rollback plan has no route table. */
  readonly verb?: 'plan' | 'rollback'
}

type Paint = (code: string, s: string) => string

const ANSI = { bold: '1', green: '32', yellow: '33', red: '31', dim: '2', cyan: '36' } as const

/** painter returns a function that wraps text in an ANSI code when colour is on, and is identity otherwise. */
export function painter(color: boolean): Paint {
  return color ? (code, s) => `\x1b[${code}m${s}\x1b[0m` : (_code, s) => s
}

const ACTION_COLOR: Readonly<Record<ResourceChange['action'], string>> = {
  create: ANSI.green,
  update: ANSI.yellow,
  replace: ANSI.red,
  delete: ANSI.red,
  adopt: ANSI.cyan
}

const ROUTE_MARK: Readonly<Record<RouteStatus, [string, string]>> = {
  new: ['+', ANSI.green],
  changed: ['~', ANSI.yellow],
  removed: ['-', ANSI.red],
  unchanged: [' ', ANSI.dim]
}

/** CHECK_MARK pairs each check status with a symbol and colour. */
export const CHECK_MARK: Readonly<Record<CheckStatus, [string, string]>> = {
  pass: ['✓', ANSI.green],
  fail: ['✗', ANSI.red],
  warn: ['!', ANSI.yellow],
  skip: ['-', ANSI.dim]
}

/** addressLine: `backend service lbr-x (edge-prod)` or `serverless NEG n (team-a, europe-west1)`. */
export function addressLine(kind: string, project: string, name: string, region?: string): string {
  const where = region === undefined ? project : `${project}, ${region}`
  return `${kindLabel(kind)} ${terminalText(name)} (${terminalText(where)})`
}

function resourceBlock(c: ResourceChange, paint: Paint): string[] {
  const sym = ACTION_SYMBOL[c.action]
  const a = c.address
  const head = `${paint(ACTION_COLOR[c.action], `${sym.padStart(3)} ${c.action}`)} ${addressLine(a.kind, a.project, a.name, a.region)}`
  const out = [head]
  if (c.reason) out.push(`        why: ${terminalText(c.reason)}`)
  if (c.fields && c.fields.length > 0) out.push(`        fields: ${c.fields.map(terminalText).join(', ')}`)
  if (c.routes && c.routes.length > 0) out.push(`        routes: ${c.routes.map(terminalText).join(', ')}`)
  for (const r of c.rules ?? []) {
    const line = ruleLine(r)
    const code = r.action === 'add' ? ANSI.green : r.action === 'remove' ? ANSI.red : ANSI.yellow
    out.push(`        ${paint(code, line)}`)
  }
  return out
}

/** renderPlanText renders the plan for a terminal, ending in terraform's `Plan: …` or `No changes.` line. */
export function renderPlanText(plan: Plan, opts: TextOptions): string {
  const paint = painter(opts.color)
  const counts = countChanges(plan)
  const lb = plan.loadBalancer
  const out: string[] = [
    paint(
      ANSI.bold,
      `lb-routes ${opts.verb ?? 'plan'} for ${terminalText(plan.owner)} on URL map ${terminalText(lb.urlMap)} (project ${terminalText(lb.project)})`
    ),
    ''
  ]

  if (opts.verb === 'rollback') out.pop()
  else out.push(`${paint(ANSI.bold, 'Routes:')} ${routesLine(counts)}`)
  // Unchanged routes are counted, not listed: like terraform, the text shows what moves.
  for (const r of plan.routes) {
    if (r.status === 'unchanged') continue
    const [mark, code] = ROUTE_MARK[r.status]
    const where =
      r.hosts.map(terminalText).join(',') + ' ' + (r.paths.map(terminalText).join(',') || '(default)')
    const rewrite = r.rewrite === undefined ? '' : ` rewrite ${terminalText(r.rewrite)}`
    const hops = r.status === 'removed' ? '' : r.hops === 1 ? ', 1 hop' : `, ${r.hops} hops`
    out.push(
      `  ${paint(code, `${mark} ${terminalText(r.name)}`)}  ${where}${rewrite} → ` +
        `${terminalText(r.backend)} (${terminalText(r.backendProject)}) → ${terminalText(r.target)}${hops}`
    )
  }

  const changes = changesByAction(plan)
  if (changes.length > 0) {
    out.push('', paint(ANSI.bold, 'Resource changes:'))
    for (const c of changes) out.push(...resourceBlock(c, paint))
  }

  if (plan.frontend) {
    out.push('', paint(ANSI.bold, 'Frontend:'))
    for (const l of frontendLines(plan.frontend)) out.push(`  ${terminalText(l)}`)
  }

  if (plan.checks.length > 0) {
    out.push('', paint(ANSI.bold, 'Checks:'))
    for (const c of plan.checks) {
      const [mark, code] = CHECK_MARK[c.status]
      const detail = c.detail ? `: ${terminalText(c.detail)}` : ''
      out.push(`  ${paint(code, mark)} ${terminalText(c.name)}${detail}`)
    }
  }

  if (plan.warnings.length > 0) {
    out.push('', paint(ANSI.bold, 'Warnings:'))
    for (const w of plan.warnings) out.push(`  ${paint(ANSI.yellow, '!')} ${terminalText(w)}`)
  }

  out.push('', paint(ANSI.bold, planLine(counts)))
  return out.join('\n') + '\n'
}
