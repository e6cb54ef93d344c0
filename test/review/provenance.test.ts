// Review provenance: which pull request a push merged, and whether the run behind a plan comment is a
// run of the lb-routes workflow, in this repository, for the merged head. Each case names its message.
import { describe, expect, it } from '@jest/globals'
import {
  mergedPullRequest,
  provenanceProblem,
  workflowPath,
  type CommitPull,
  type PlanProvenance,
  type WorkflowRunFacts
} from '../../src/core/review/provenance.js'

const REPO = 'Codertocat/Hello-World'
const HEAD = 'a'.repeat(40)
const MERGE = 'b'.repeat(40)
const WORKFLOW = `${REPO}/.github/workflows/lb-routes.yml@refs/heads/master`
const PULL: CommitPull = { number: 2, merged: true, mergeCommitSha: MERGE, headSha: HEAD }
const WROTE: PlanProvenance = { runId: 42, workflow: '.github/workflows/lb-routes.yml', headSha: HEAD }
const RUN: WorkflowRunFacts = {
  id: 42,
  repository: REPO,
  path: '.github/workflows/lb-routes.yml',
  referencedWorkflows: [],
  headSha: HEAD,
  artifacts: ['lb-routes-plan-5f0c1a2b3c4d5e6f']
}
const PLAN_ID = '5f0c1a2b3c4d5e6f'
const EXPECT = { repository: REPO, workflows: [WORKFLOW] }

describe('mergedPullRequest', () => {
  it('is the merged PR whose merge commit is the pushed commit, never an open PR listed first', () => {
    const open: CommitPull = { number: 7, merged: false, headSha: MERGE }
    expect(mergedPullRequest([open, PULL], MERGE)).toBe(PULL)
    expect(mergedPullRequest([open], MERGE)).toBeUndefined()
    // Merged, but as another commit: this push did not merge it.
    expect(mergedPullRequest([{ ...PULL, mergeCommitSha: 'c'.repeat(40) }], MERGE)).toBeUndefined()
    expect(mergedPullRequest([{ ...PULL, merged: false }], MERGE)).toBeUndefined()
  })
})

describe('workflowPath', () => {
  it.each([
    [WORKFLOW, '.github/workflows/lb-routes.yml'],
    ['codertocat/hello-world/.github/workflows/x.yml@v1', '.github/workflows/x.yml'],
    ['.github/workflows/x.yml', '.github/workflows/x.yml'],
    ['platform/lb/.github/workflows/trusted.yml@refs/tags/v1', 'platform/lb/.github/workflows/trusted.yml']
  ])('%s is %s', (ref, path) => expect(workflowPath(ref, REPO)).toBe(path))
})

describe('provenanceProblem', () => {
  it('accepts a run of the expected workflow, in this repository, for the merged head', () => {
    expect(provenanceProblem(PULL, WROTE, RUN, EXPECT, PLAN_ID)).toBeUndefined()
  })

  it('accepts a run that called the expected workflow as a reusable workflow', () => {
    const run = {
      ...RUN,
      path: '.github/workflows/routes.yml',
      referencedWorkflows: ['platform/lb/.github/workflows/t.yml@v1']
    }
    const expect_ = { repository: REPO, workflows: ['platform/lb/.github/workflows/t.yml@refs/heads/main'] }
    expect(provenanceProblem(PULL, WROTE, run, expect_, PLAN_ID)).toBeUndefined()
  })

  it.each<[string, PlanProvenance | undefined, WorkflowRunFacts | undefined, string]>([
    [
      'a comment that names no run',
      undefined,
      RUN,
      'the plan comment on pull request #2 does not name the workflow run that wrote it (an older lb-routes?)'
    ],
    [
      'a comment for an older head',
      { ...WROTE, headSha: 'd'.repeat(40) },
      RUN,
      'the plan comment on pull request #2 was written for commit dddddddddddd, but the pull request was merged at head aaaaaaaaaaaa: that head was never planned'
    ],
    [
      'a run the Actions API does not know',
      WROTE,
      undefined,
      'the plan comment on pull request #2 names workflow run 42, which does not exist in Codertocat/Hello-World'
    ],
    [
      'a run of another repository',
      WROTE,
      { ...RUN, repository: 'mallory/Hello-World' },
      'the plan comment on pull request #2 names workflow run 42 of mallory/Hello-World, not of Codertocat/Hello-World'
    ],
    [
      'a run of another workflow',
      WROTE,
      { ...RUN, path: '.github/workflows/other.yml' },
      'the plan comment on pull request #2 was written by workflow .github/workflows/other.yml (run 42), not by the lb-routes workflow .github/workflows/lb-routes.yml'
    ],
    [
      'a genuine run whose planId the comment does not carry (a copied comment with another planId)',
      WROTE,
      { ...RUN, artifacts: ['lb-routes-plan-0000000000000000'] },
      'the plan comment on pull request #2 says plan 5f0c1a2b3c4d5e6f, but workflow run 42 did not publish it (no artifact lb-routes-plan-5f0c1a2b3c4d5e6f): the comment was edited or copied, or the workflow does not upload the plan artifact'
    ],
    [
      'a genuine run of another commit',
      WROTE,
      { ...RUN, headSha: 'e'.repeat(40) },
      'the plan comment on pull request #2 names workflow run 42, which ran for commit eeeeeeeeeeee, not for the merged head aaaaaaaaaaaa'
    ]
  ])('refuses %s', (_, wrote, run, message) => {
    expect(provenanceProblem(PULL, wrote, run, EXPECT, PLAN_ID)).toBe(message)
  })

  it('refuses when the pull request does not say its head, and when no workflow is expected', () => {
    const { headSha: _, ...headless } = PULL
    expect(provenanceProblem(headless, WROTE, RUN, EXPECT, PLAN_ID)).toMatch(/merged at head unknown/)
    expect(provenanceProblem(PULL, WROTE, RUN, { repository: REPO, workflows: [] }, PLAN_ID)).toMatch(
      /not by the lb-routes workflow \(unknown\)$/
    )
  })
})
