// The few GitHub REST calls the action makes, behind an interface so the action logic takes it as a
// collaborator. The Octokit implementation honours GITHUB_API_URL (GHES, or a local fake in tests).
// Octokit is loaded on first use: it is the largest part of the bundle, and a plan reaches Google
// before it talks to GitHub, so loading it lazily shortens the action's cold start.
import type { CommitPull, WorkflowRunFacts } from '../../core/review/provenance.js'

type Octokit = ReturnType<typeof import('@actions/github').getOctokit>

export interface IssueComment {
  readonly id: number
  readonly body: string
  /** Login of the author (the token's user or app); markers are only trusted on our own comments. */
  readonly author: string
}

export interface GitHubApi {
  listComments(issue: number): Promise<IssueComment[]>
  createComment(issue: number, body: string): Promise<IssueComment>
  updateComment(id: number, body: string): Promise<void>
  /** PRs associated with `sha` (GET /repos/{o}/{r}/commits/{sha}/pulls): merged ones and open ones alike. */
  pullsForCommit(sha: string): Promise<CommitPull[]>
  /** The workflow run (GET /repos/{o}/{r}/actions/runs/{id}; needs actions: read), undefined on 404. */
  workflowRun(id: number): Promise<WorkflowRunFacts | undefined>
}

export interface RepoRef {
  readonly owner: string
  readonly repo: string
}

/** octokitGitHubApi implements GitHubApi with @actions/github's Octokit. */
export function octokitGitHubApi(token: string, repo: RepoRef, baseUrl?: string): GitHubApi {
  let client: Promise<Octokit> | undefined
  const octokitFor = () =>
    (client ??= import('@actions/github').then(({ getOctokit }) =>
      getOctokit(token, baseUrl ? { baseUrl } : {})
    ))
  return {
    async listComments(issue) {
      const octokit = await octokitFor()
      const all = await octokit.paginate(octokit.rest.issues.listComments, {
        ...repo,
        issue_number: issue,
        per_page: 100
      })
      return all.map((c) => ({ id: c.id, body: c.body ?? '', author: c.user?.login ?? '' }))
    },
    async createComment(issue, body) {
      const octokit = await octokitFor()
      const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: issue, body })
      return { id: data.id, body: data.body ?? '', author: data.user?.login ?? '' }
    },
    async updateComment(id, body) {
      const octokit = await octokitFor()
      await octokit.rest.issues.updateComment({ ...repo, comment_id: id, body })
    },
    async pullsForCommit(sha) {
      const octokit = await octokitFor()
      const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
        ...repo,
        commit_sha: sha
      })
      return data.map((p) => ({
        number: p.number,
        merged: Boolean(p.merged_at),
        ...(p.merge_commit_sha ? { mergeCommitSha: p.merge_commit_sha } : {}),
        ...(p.head?.sha ? { headSha: p.head.sha } : {})
      }))
    },
    async workflowRun(id) {
      const octokit = await octokitFor()
      try {
        const { data } = await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: id })
        // A plan run uploads one small artifact (its sealed planId); the first page is plenty.
        const { data: list } = await octokit.rest.actions.listWorkflowRunArtifacts({
          ...repo,
          run_id: id,
          per_page: 100
        })
        return {
          id: data.id,
          repository: data.repository.full_name,
          path: data.path,
          referencedWorkflows: (data.referenced_workflows ?? []).map((w) => w.path),
          headSha: data.head_sha,
          artifacts: list.artifacts.map((a) => a.name)
        }
      } catch (err) {
        if ((err as { status?: unknown }).status === 404) return undefined
        throw err
      }
    }
  }
}
