// The PR comment when no live plan can be made: a fork PR (GitHub gives forks no OIDC token) or a
// routes.json with errors. Same sticky marker as a plan comment, so a later live plan replaces it; its
// planId is never a real one, so a merge can never apply on the strength of it.
import type { Diagnostic } from '../diagnostics.js'
import type { LoadBalancerRef } from '../routes/model.js'
import { codeBlock, escapeMarkdown, inlineCode, safeUrl } from './escape.js'
import { planMarkerLine } from '../review/markers.js'

/** planId written by offline comments; no real plan has it, so apply on merge refuses it. */
export const OFFLINE_PLAN_ID = 'offline-no-live-plan'

export interface OfflineReport {
  readonly owner: string
  readonly loadBalancer: Pick<LoadBalancerRef, 'project' | 'urlMap'>
  /** Why there is no live plan, one sentence. */
  readonly reason: string
  readonly diagnostics: readonly Diagnostic[]
  readonly routes: number
  readonly testsPassed: number
  readonly runUrl?: string
  /** The pull request comes from a fork (no OIDC token): a maintainer must run the live plan. */
  readonly fork?: boolean
}

/** nextStep says what has to happen before anything can be applied. */
function nextStep(r: OfflineReport, errors: boolean): string {
  if (errors) return 'Fix the errors above and push; the checks run again and this comment is updated.'
  if (r.fork)
    return (
      '**Fork PR: a maintainer must re-run the plan** with access to the load balancer — push this branch to the ' +
      'repository itself (or re-run the workflow from a branch there); until a live plan is reviewed, a merge applies nothing.'
    )
  return 'Re-run the plan once the live load balancer can be read; until a live plan is reviewed, a merge applies nothing.'
}

/** renderOfflineMarkdown renders the validation-only comment with the plan marker. */
export function renderOfflineMarkdown(r: OfflineReport): string {
  const marker = planMarkerLine(r.owner, r.loadBalancer, OFFLINE_PLAN_ID)
  const errors = r.diagnostics.filter((d) => d.severity === 'error')
  const lines = [
    marker,
    `## lb-routes: no live plan for ${inlineCode(r.owner)} on ${inlineCode(r.loadBalancer.urlMap)} in ${inlineCode(r.loadBalancer.project)}`,
    '',
    `⚠️ ${escapeMarkdown(r.reason, 1000)}`,
    ''
  ]
  if (errors.length > 0) {
    lines.push(
      `❌ **routes.json has ${errors.length} error(s).** Nothing can be planned or applied until they are fixed:`,
      ''
    )
    const shown = r.diagnostics
      .slice(0, 50)
      .map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`)
    lines.push(
      codeBlock(
        shown.join('\n') + (r.diagnostics.length > 50 ? `\n… and ${r.diagnostics.length - 50} more` : '')
      )
    )
  } else {
    lines.push(
      `✅ Offline checks passed: routes.json is valid (${r.routes} route(s)) and ${r.testsPassed} route test(s) pass against the URL map it compiles to.`,
      '',
      'This is **not** a plan: without the live load balancer it cannot say what would change. The change cannot be applied on the strength of this comment — on merge, apply refuses until a live plan has been reviewed.'
    )
  }
  lines.push('', `#### What happens next`, '', nextStep(r, errors.length > 0))
  const url = safeUrl(r.runUrl)
  if (url) lines.push('', `[Workflow run](${url})`)
  return lines.join('\n') + '\n'
}
