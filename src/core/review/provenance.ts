// Review provenance (issue #13 item 6): a merge applies only against the plan comment written for the
// pull request's merged head by a run of the lb-routes workflow itself. The comment's author alone proves
// little: every workflow in the repository posts as github-actions[bot]. So the comment names the run that
// wrote it, and apply checks that run with the Actions API (the shell fetches it; these checks are pure).

/** Which run wrote a plan comment, as that run knew itself (GITHUB_RUN_ID, GITHUB_WORKFLOW_REF, PR head). */
export interface PlanProvenance {
  readonly runId: number
  /** Repository-relative path of the workflow file (`.github/workflows/lb-routes.yml`). */
  readonly workflow: string
  /** The pull request's head commit the plan was computed for. */
  readonly headSha: string
}

/** A pull request associated with a commit, as GET /repos/{o}/{r}/commits/{sha}/pulls lists it. */
export interface CommitPull {
  readonly number: number
  readonly merged: boolean
  readonly mergeCommitSha?: string
  readonly headSha?: string
}

/** A workflow run as GET /repos/{o}/{r}/actions/runs/{id} describes it. */
export interface WorkflowRunFacts {
  readonly id: number
  /** owner/name of the repository the run belongs to. */
  readonly repository: string
  /** The run's workflow file (`.github/workflows/x.yml`, as GitHub reports `path`). */
  readonly path: string
  /** Reusable workflows the run called (`owner/repo/.github/workflows/y.yml@ref`). */
  readonly referencedWorkflows: readonly string[]
  readonly headSha: string
  /** Names of the artifacts the run uploaded (only the run itself can upload them). */
  readonly artifacts: readonly string[]
}

/**
 * planArtifactName is the artifact a plan run uploads to seal its planId: the comment's planId is trusted
 * only when the run it names uploaded this artifact, so a comment copied with another planId is refused.
 */
export function planArtifactName(planId: string): string {
  return `lb-routes-plan-${planId}`
}

/** What the run behind a plan comment must match. */
export interface ProvenanceExpectation {
  /** owner/name of this repository. */
  readonly repository: string
  /** Workflow files that may write plan comments (repository-relative, or `owner/repo/path` for others). */
  readonly workflows: readonly string[]
}

/** mergedPullRequest is the PR merged as `sha`: merged, and its merge commit is the pushed commit. */
export function mergedPullRequest(prs: readonly CommitPull[], sha: string): CommitPull | undefined {
  // A commit can also belong to open PRs (a branch pushed to default and to a PR): those were never merged.
  return prs.find((p) => p.merged && p.mergeCommitSha === sha)
}

/** workflowPath drops the `@ref` and, for this repository, the `owner/repo/` prefix of a workflow ref. */
export function workflowPath(ref: string, repository: string): string {
  const path = ref.replace(/@[^@]*$/, '')
  const own = `${repository}/`.toLowerCase()
  return path.toLowerCase().startsWith(own) ? path.slice(own.length) : path
}

const short = (sha: string): string => sha.slice(0, 12)

/**
 * provenanceProblem says why a plan comment on `pr` cannot be trusted, or undefined when the run behind
 * it is a run of an expected workflow, in this repository, for the PR's merged head, and that run uploaded
 * the artifact sealing `planId`. `run` is undefined when the Actions API does not know the run.
 */
export function provenanceProblem(
  pr: CommitPull,
  provenance: PlanProvenance | undefined,
  run: WorkflowRunFacts | undefined,
  expect: ProvenanceExpectation,
  planId: string
): string | undefined {
  const comment = `the plan comment on pull request #${pr.number}`
  if (!provenance) return `${comment} does not name the workflow run that wrote it (an older lb-routes?)`
  if (pr.headSha === undefined || provenance.headSha !== pr.headSha)
    return `${comment} was written for commit ${short(provenance.headSha)}, but the pull request was merged at head ${short(pr.headSha ?? 'unknown')}: that head was never planned`
  if (!run)
    return `${comment} names workflow run ${provenance.runId}, which does not exist in ${expect.repository}`
  if (run.repository.toLowerCase() !== expect.repository.toLowerCase())
    return `${comment} names workflow run ${run.id} of ${run.repository}, not of ${expect.repository}`
  const trusted = new Set(expect.workflows.map((w) => workflowPath(w, expect.repository)))
  const ran = [run.path, ...run.referencedWorkflows].map((w) => workflowPath(w, expect.repository))
  if (!ran.some((w) => trusted.has(w)))
    return `${comment} was written by workflow ${workflowPath(run.path, expect.repository)} (run ${run.id}), not by the lb-routes workflow ${[...trusted].join(' or ') || '(unknown)'}`
  if (run.headSha !== pr.headSha)
    return `${comment} names workflow run ${run.id}, which ran for commit ${short(run.headSha)}, not for the merged head ${short(pr.headSha)}`
  if (!run.artifacts.includes(planArtifactName(planId)))
    return `${comment} says plan ${planId}, but workflow run ${run.id} did not publish it (no artifact ${planArtifactName(planId)}): the comment was edited or copied, or the workflow does not upload the plan artifact`
  return undefined
}
