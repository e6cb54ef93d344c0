// The action's side of the review protocol (src/core/review/): the provenance a plan run writes into its
// comment, and, on merge, the reviewed plan of the merged pull request, checked against the Actions API.
import type { ReviewedPlan } from '../../core/review/reviewed.js'
import { readReview } from '../../core/review/comment.js'
import { planMarker } from '../../core/review/markers.js'
import {
  mergedPullRequest,
  provenanceProblem,
  workflowPath,
  type PlanProvenance,
  type WorkflowRunFacts
} from '../../core/review/provenance.js'
import type { RoutesConfig } from '../../core/routes/model.js'
import { findOwnComment } from './comment.js'
import type { ActionContext, ActionDeps } from './deps.js'
import { errorMessage } from '../../core/error-message.js'

/** planProvenance is what a plan run says about itself in its comment; undefined outside a PR run. */
export function planProvenance(context: ActionContext): PlanProvenance | undefined {
  const headSha = context.payload.pull_request?.head?.sha
  if (context.runId === undefined || !context.workflowRef || typeof headSha !== 'string') return undefined
  return { runId: context.runId, workflow: workflowPath(context.workflowRef, context.repository), headSha }
}

/**
 * planWorkflows are the workflows whose runs may write the plan comment a merge applies against: the
 * workflow of this apply run (plan on pull_request and apply on push are jobs of the same workflow file).
 * An owners policy's trusted workflows belong here too (a run matches by its path or a reusable workflow
 * it called).
 */
export function planWorkflows(context: ActionContext): string[] {
  return context.workflowRef ? [context.workflowRef] : []
}

/** What a merge applies against: the merged PR (to report on) and its reviewed plan, or why there is none. */
export interface MergeReview {
  readonly pr?: number
  readonly reviewed?: ReviewedPlan
  /** Why there is no trustworthy reviewed plan (the apply is refused unless on-plan-changed: apply). */
  readonly refusal?: string
}

/**
 * reviewForMerge finds the PR merged as the pushed commit and, unless `checkReview` is false, the plan
 * comment of the run of this workflow that planned its merged head. Only a merged PR whose merge commit is
 * the pushed commit counts: a commit that is merely part of an open PR has no review.
 */
export async function reviewForMerge(
  deps: ActionDeps,
  config: RoutesConfig,
  checkReview: boolean
): Promise<MergeReview> {
  const { github, context, inputs } = deps
  const pull = mergedPullRequest(await github.pullsForCommit(context.sha), context.sha)
  if (!pull)
    return { refusal: `no pull request was merged in commit ${context.sha}, so there is no reviewed plan` }
  const pr = pull.number
  if (!checkReview) return { pr }
  const prefix = planMarker(config.owner, config.loadBalancer)
  const comment = findOwnComment(await github.listComments(pr), prefix, inputs.commentAuthor)
  const review = comment && readReview(comment.body)
  if (!review)
    return {
      pr,
      refusal: `pull request #${pr} has no lb-routes plan comment for owner ${config.owner}, so there is no reviewed plan`
    }
  const p = review.provenance
  let run: WorkflowRunFacts | undefined
  if (p && p.headSha === pull.headSha) {
    try {
      run = await github.workflowRun(p.runId)
    } catch (err) {
      const why = `could not read workflow run ${p.runId} to check who wrote the plan comment on pull request #${pr}: ${errorMessage(err)} (the job needs permissions: actions: read)`
      return { pr, refusal: why }
    }
  }
  const expected = { repository: context.repository, workflows: planWorkflows(context) }
  const problem = provenanceProblem(pull, p, run, expected, review.planId)
  if (problem) return { pr, refusal: problem }
  return { pr, reviewed: { planId: review.planId, ...(review.changes ? { changes: review.changes } : {}) } }
}
