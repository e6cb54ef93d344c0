// Drift: the live load balancer no longer matches routes.json for one owner. It is read off a fresh plan,
// so there is no second way to compare: the plan has changes (someone edited a backend, deleted a NEG or
// a path rule by hand) and/or errors (another owner now claims our host, a Cloud Run service is gone).
// The scheduled `drift` command keeps one GitHub issue per owner and URL map in step with it.
import { type Diagnostic } from '../diagnostics.js'
import type { Plan } from '../plan/model.js'
import type { LoadBalancerRef } from '../routes/model.js'
import { cleanLine } from '../render/escape.js'

/** The label drift issues carry (for people to filter on; finding the issue relies on the marker). */
export const DRIFT_LABEL = 'lb-routes-drift'

export interface Drift {
  readonly owner: string
  readonly loadBalancer: Pick<LoadBalancerRef, 'project' | 'urlMap'>
  /** True when live state matches routes.json: no changes and no errors. */
  readonly inSync: boolean
  /** The fresh plan; its changes are what apply would do to restore routes.json. */
  readonly plan: Plan
  /** The plan's errors: what stops routes.json from being applied as it stands (conflicts, missing targets). */
  readonly errors: readonly Diagnostic[]
}

/** detectDrift reads drift off a fresh plan and its diagnostics (warnings are not drift). */
export function detectDrift(plan: Plan, diagnostics: readonly Diagnostic[]): Drift {
  const errors = diagnostics.filter((d) => d.severity === 'error')
  return {
    owner: plan.owner,
    loadBalancer: { project: plan.loadBalancer.project, urlMap: plan.loadBalancer.urlMap },
    inSync: plan.changes.length === 0 && errors.length === 0,
    plan,
    errors
  }
}

/** driftIssueTitle is the stable title of the drift issue: `lb-routes drift: <owner> on <project>/<urlMap>`. */
export function driftIssueTitle(owner: string, lb: Pick<LoadBalancerRef, 'project' | 'urlMap'>): string {
  return cleanLine(`lb-routes drift: ${owner} on ${lb.project}/${lb.urlMap}`, 256)
}

/**
 * driftMarker is the hidden first line of a drift issue body. Owner, project and URL map names are
 * validated identifiers (routes.json schema), so they cannot contain spaces or `-->`.
 */
export function driftMarker(owner: string, lb: Pick<LoadBalancerRef, 'project' | 'urlMap'>): string {
  return `<!-- lb-routes-drift owner=${owner} url-map=${lb.project}/${lb.urlMap} -->`
}

/** IssueRef is the slice of a GitHub issue the drift logic needs. */
export interface DriftIssueRef {
  readonly number: number
  readonly title: string
  readonly body: string
  /** Login of the issue's author. */
  readonly author: string
  readonly url: string
}

/**
 * ownDriftIssues keeps the open issues that are ours for this owner and URL map: opened by the trusted
 * login (the token's user) and whose first line is exactly our marker. A pasted marker in someone else's
 * issue is ignored, as with the plan comment. Oldest first.
 */
export function ownDriftIssues<T extends DriftIssueRef>(
  issues: readonly T[],
  owner: string,
  lb: Pick<LoadBalancerRef, 'project' | 'urlMap'>,
  author: string
): T[] {
  const marker = driftMarker(owner, lb)
  return issues
    .filter((i) => i.author === author && firstLine(i.body) === marker)
    .sort((a, b) => a.number - b.number)
}

function firstLine(body: string): string {
  return (
    body
      .replace(/^\uFEFF/, '')
      .trimStart()
      .split('\n', 1)[0] ?? ''
  )
    .replace(/\r$/, '')
    .trimEnd()
}

/** What the drift command does to the issue tracker this run. */
export type DriftIssueStep =
  | { readonly kind: 'none' }
  | { readonly kind: 'create'; readonly title: string; readonly body: string }
  | { readonly kind: 'update'; readonly issue: number; readonly title: string; readonly body: string }
  | { readonly kind: 'keep'; readonly issue: number }
  | { readonly kind: 'close'; readonly issues: readonly number[] }

/**
 * planDriftIssue decides the issue step: open one issue while drifting, edit its title/body in place only
 * when they changed (no notification spam), close every one of ours once in sync. The oldest of our open
 * issues is the one kept; after a close, returning drift opens a new issue (one issue per episode).
 */
export function planDriftIssue(
  drift: Pick<Drift, 'inSync'>,
  ours: readonly DriftIssueRef[],
  wanted: { readonly title: string; readonly body: string }
): DriftIssueStep {
  if (drift.inSync)
    return ours.length > 0 ? { kind: 'close', issues: ours.map((i) => i.number) } : { kind: 'none' }
  const current = ours[0]
  if (!current) return { kind: 'create', ...wanted }
  if (current.title === wanted.title && normalise(current.body) === normalise(wanted.body))
    return { kind: 'keep', issue: current.number }
  return { kind: 'update', issue: current.number, ...wanted }
}

// GitHub stores bodies as sent but may hand them back with \r\n; compare what a reader sees.
const normalise = (s: string): string => s.replace(/\r\n/g, '\n').trimEnd()
