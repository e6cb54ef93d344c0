// Drift end to end: a fresh plan says whether live state still matches routes.json (no new reading
// code), then one GitHub issue per owner and URL map is opened, edited in place or closed to match.
// Shared by `lb-routes drift` and the action's `command: drift`.
import {
  detectDrift,
  driftIssueTitle,
  DRIFT_LABEL,
  ownDriftIssues,
  planDriftIssue,
  type Drift
} from '../../core/drift/drift.js'
import type { Diagnostic } from '../../core/diagnostics.js'
import { renderDriftMarkdown, renderDriftResolved, type DriftIssueOutcome } from '../../core/render/drift.js'
import type { IssuesApi } from '../github/issues-api.js'
import { planRoutes, type PlanRoutesInput } from './plan-routes.js'

export interface CheckDriftResult {
  readonly diagnostics: readonly Diagnostic[]
  /** Absent when no plan could be made (routes.json invalid): that is an error, not drift. */
  readonly drift?: Drift
}

/** checkDrift plans routes.json against live state and reads the drift off the plan. */
export async function checkDrift(input: PlanRoutesInput): Promise<CheckDriftResult> {
  const out = await planRoutes(input)
  if (!out.plan) return { diagnostics: out.diagnostics }
  return { diagnostics: out.diagnostics, drift: detectDrift(out.plan, out.diagnostics) }
}

export interface SyncIssueOptions {
  /** Login whose issues are trusted as ours (the token's user). */
  readonly author: string
  readonly now: Date
  readonly runUrl?: string
}

/**
 * syncDriftIssue makes the repository's issues reflect the drift: opens one issue while drifting,
 * edits it only when its title or body would change, closes ours with a comment once in sync.
 */
export async function syncDriftIssue(
  issues: IssuesApi,
  drift: Drift,
  opts: SyncIssueOptions
): Promise<DriftIssueOutcome> {
  const title = driftIssueTitle(drift.owner, drift.loadBalancer)
  const body = renderDriftMarkdown(drift, opts.runUrl ? { runUrl: opts.runUrl } : {})
  // Two narrow lists, merged: by creator and by our label. Either filter alone could miss our issue (a
  // token without push access has labels silently dropped; how `creator` treats app bots is GitHub's
  // call), and a miss would open a duplicate every run. Marker and author are checked here either way.
  const [byCreator, byLabel] = await Promise.all([
    issues.listOpenIssues({ creator: opts.author }),
    issues.listOpenIssues({ label: DRIFT_LABEL })
  ])
  const seen = new Set<number>()
  const open = [...byCreator, ...byLabel].filter((i) => !seen.has(i.number) && seen.add(i.number))
  const ours = ownDriftIssues(open, drift.owner, drift.loadBalancer, opts.author)
  const step = planDriftIssue(drift, ours, { title, body })
  const urlOf = (n: number) => ours.find((i) => i.number === n)?.url
  switch (step.kind) {
    case 'none':
      return { action: 'none' }
    case 'keep':
      return { action: 'unchanged', number: step.issue, ...withUrl(urlOf(step.issue)) }
    case 'update':
      await issues.updateIssue(step.issue, step.title, step.body)
      return { action: 'updated', number: step.issue, ...withUrl(urlOf(step.issue)) }
    case 'create': {
      await issues.ensureLabel(
        DRIFT_LABEL,
        'd93f0b',
        'Live load balancer differs from routes.json (lb-routes drift)'
      )
      const created = await issues.createIssue(step.title, step.body, [DRIFT_LABEL])
      return { action: 'opened', number: created.number, ...withUrl(created.url) }
    }
    case 'close': {
      const comment = renderDriftResolved({
        owner: drift.owner,
        loadBalancer: drift.loadBalancer,
        now: opts.now,
        ...(opts.runUrl ? { runUrl: opts.runUrl } : {})
      })
      for (const n of step.issues) await issues.closeIssue(n, comment)
      return { action: 'closed', number: step.issues[0]!, ...withUrl(urlOf(step.issues[0]!)) }
    }
  }
}

const withUrl = (url: string | undefined) => (url ? { url } : {})
