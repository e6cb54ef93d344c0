// Counting and naming shared by every renderer, so the PR comment, the terminal and the apply report
// can never disagree about what a plan does.
import type {
  ChangeAction,
  FrontendSummary,
  Plan,
  ResourceChange,
  RouteStatus,
  RuleChange
} from '../plan/model.js'
import { cleanLine } from './escape.js'

export interface ChangeCounts {
  readonly create: number
  readonly update: number
  readonly replace: number
  readonly delete: number
  readonly adopt: number
  readonly routesNew: number
  readonly routesChanged: number
  readonly routesRemoved: number
  readonly routesUnchanged: number
}

/** countChanges counts resource changes by action and routes by status. */
export function countChanges(plan: Plan): ChangeCounts {
  const counts = { create: 0, update: 0, replace: 0, delete: 0, adopt: 0 }
  for (const c of plan.changes) counts[c.action] += 1
  const routes = { new: 0, changed: 0, removed: 0, unchanged: 0 }
  for (const r of plan.routes) routes[r.status] += 1
  return {
    ...counts,
    routesNew: routes.new,
    routesChanged: routes.changed,
    routesRemoved: routes.removed,
    routesUnchanged: routes.unchanged
  }
}

/** totalChanges is the number of resource changes (0 means "No changes."). */
export function totalChanges(c: ChangeCounts): number {
  return c.create + c.update + c.replace + c.delete + c.adopt
}

/** planLine is terraform's closing line: `Plan: 1 to create, 0 to update, 0 to replace, 0 to delete.` (adoptions first, when any). */
export function planLine(c: ChangeCounts): string {
  if (totalChanges(c) === 0) return 'No changes. The load balancer matches routes.json.'
  const adopt = c.adopt > 0 ? `${c.adopt} to adopt, ` : ''
  return `Plan: ${adopt}${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete.`
}

/** routesLine summarises route statuses: `2 new, 1 changed, 0 removed, 5 unchanged`. */
export function routesLine(c: ChangeCounts): string {
  return `${c.routesNew} new, ${c.routesChanged} changed, ${c.routesRemoved} removed, ${c.routesUnchanged} unchanged`
}

/** ACTION_ORDER is the display order of resource changes: the destructive ones first. */
export const ACTION_ORDER: readonly ChangeAction[] = ['delete', 'replace', 'create', 'adopt', 'update']

/** ACTION_SYMBOL is terraform's vocabulary, used by the text renderer and in diff blocks. */
export const ACTION_SYMBOL: Readonly<Record<ChangeAction, string>> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
  // Taken over in place: nothing is created, the existing resource gets the ownership marker.
  adopt: '<='
}

export { kindLabel } from '../plan/model.js'

/** STATUS_ORDER puts routes that change first, so a shortened table still shows what the PR does. */
export const STATUS_ORDER: readonly RouteStatus[] = ['removed', 'new', 'changed', 'unchanged']

/** changesByAction groups changes in ACTION_ORDER, keeping the plan's order inside each group. */
export function changesByAction(plan: Plan): readonly ResourceChange[] {
  return ACTION_ORDER.flatMap((a) => plan.changes.filter((c) => c.action === a))
}

/** sortRoutes orders routes by STATUS_ORDER, stable within a status. */
export function sortRoutes<T extends { readonly status: RouteStatus }>(routes: readonly T[]): T[] {
  return STATUS_ORDER.flatMap((s) => routes.filter((r) => r.status === s))
}

export interface KeyParts {
  readonly kind: string
  readonly project: string
  readonly region?: string
  readonly name: string
}

/** parseChangeKey splits `${kind}/${project}/${region ?? 'global'}/${name}` (see changeKey). */
export function parseChangeKey(key: string): KeyParts {
  const [kind = '', project = '', region = 'global', ...rest] = key.split('/')
  const name = rest.join('/')
  if (name === '') return { kind: '', project: '', name: key }
  return region === 'global' ? { kind, project, name } : { kind, project, region, name }
}

/** formatDuration renders milliseconds for people: `850 ms`, `1.2 s`, `2 min 03 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const s = Math.round(ms / 1000)
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`
}

/** plural: `1 route`, `2 routes`. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`
}

/** ruleLine renders one URL map rule change as a diff line (plain text: the markdown renderer puts it in a fenced block). */
export function ruleLine(rule: RuleChange): string {
  // Each field flattened: a newline in a hostile host must not start a fake `+` line.
  const r = {
    action: rule.action,
    host: cleanLine(rule.host, 200),
    path: cleanLine(rule.path, 200),
    before: rule.before === undefined ? undefined : cleanLine(rule.before, 200),
    after: rule.after === undefined ? undefined : cleanLine(rule.after, 200)
  }
  const route = rule.route === undefined ? '' : `  (route ${cleanLine(rule.route, 200)})`
  const target = (s: string | undefined): string => s ?? '(none)'
  switch (r.action) {
    case 'add':
      return `+ ${r.host} ${r.path} → ${target(r.after)}${route}`
    case 'remove':
      return `- ${r.host} ${r.path} → ${target(r.before)}${route}`
    case 'change':
      return `~ ${r.host} ${r.path}: ${target(r.before)} → ${target(r.after)}${route}`
  }
}

/**
 * frontendLines says where the frontend stands, as plain sentences (callers escape them): the address
 * and its IP, the certificate and its status, the redirect, and — until the certificate is ACTIVE —
 * that the domains' A records must point at the IP (a managed certificate provisions only then).
 */
export function frontendLines(f: FrontendSummary): string[] {
  const ip = f.ip ?? '(allocated on apply)'
  const domains = f.domains.join(', ')
  const perDomain = f.domainStatus
    ? ` (${Object.entries(f.domainStatus)
        .map(([d, s]) => `${d}: ${s}`)
        .join(', ')})`
    : ''
  const lines = [
    `address ${f.address}: ${ip}`,
    `certificate ${f.certificate} for ${domains}: ${f.certificateStatus ?? 'created on apply'}${perDomain}`,
    `HTTP→HTTPS redirect on port 80: ${f.httpRedirect ? 'on' : 'off'}`
  ]
  if (f.certificateStatus !== 'ACTIVE')
    lines.push(
      `DNS: point the A records of ${domains} at ${f.ip ?? 'the address (its IP is shown after apply)'}; the Google-managed certificate stays PROVISIONING until they resolve there (usually 15–60 minutes after)`
    )
  return lines
}
