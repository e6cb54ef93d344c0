// The GitHub issue calls of `drift`, behind an interface like GitHubApi. Octokit is loaded lazily, as
// there; it honours GITHUB_API_URL (GHES, or the fake in tests) through @actions/github's defaults.
import type { RepoRef } from './github-api.js'

type Octokit = ReturnType<typeof import('@actions/github').getOctokit>

export interface Issue {
  readonly number: number
  readonly title: string
  readonly body: string
  /** Login of the author; markers are only trusted on issues the token's user opened. */
  readonly author: string
  readonly url: string
}

export interface IssuesApi {
  /** Open issues (not pull requests) opened by `creator` or carrying `label`, every page. */
  listOpenIssues(filter: { readonly creator: string } | { readonly label: string }): Promise<Issue[]>
  createIssue(title: string, body: string, labels: readonly string[]): Promise<Issue>
  updateIssue(issue: number, title: string, body: string): Promise<void>
  /** Comments, then closes as completed. */
  closeIssue(issue: number, comment: string): Promise<void>
  /** Creates the label; an existing label (422) or a token that may not create labels is not an error. */
  ensureLabel(name: string, color: string, description: string): Promise<void>
  /** The token's login (GET /user), or undefined for tokens that cannot tell (the Actions token). */
  tokenLogin(): Promise<string | undefined>
}

/** octokitIssuesApi implements IssuesApi with @actions/github's Octokit. */
export function octokitIssuesApi(token: string, repo: RepoRef, baseUrl?: string): IssuesApi {
  let client: Promise<Octokit> | undefined
  const octokitFor = () =>
    (client ??= import('@actions/github').then(({ getOctokit }) =>
      getOctokit(token, baseUrl ? { baseUrl } : {})
    ))
  const issue = (d: {
    number: number
    title: string
    body?: string | null
    user?: { login: string } | null
    html_url: string
  }): Issue => ({
    number: d.number,
    title: d.title,
    body: d.body ?? '',
    author: d.user?.login ?? '',
    url: d.html_url
  })
  return {
    async listOpenIssues(filter) {
      const octokit = await octokitFor()
      const all = await octokit.paginate(octokit.rest.issues.listForRepo, {
        ...repo,
        state: 'open',
        ...('creator' in filter ? { creator: filter.creator } : { labels: filter.label }),
        per_page: 100
      })
      // The issues API lists pull requests too; they carry a pull_request key.
      return all.filter((i) => !i.pull_request).map(issue)
    },
    async createIssue(title, body, labels) {
      const octokit = await octokitFor()
      const { data } = await octokit.rest.issues.create({ ...repo, title, body, labels: [...labels] })
      return issue(data)
    },
    async updateIssue(number, title, body) {
      const octokit = await octokitFor()
      await octokit.rest.issues.update({ ...repo, issue_number: number, title, body })
    },
    async closeIssue(number, comment) {
      const octokit = await octokitFor()
      await octokit.rest.issues.createComment({ ...repo, issue_number: number, body: comment })
      await octokit.rest.issues.update({
        ...repo,
        issue_number: number,
        state: 'closed',
        state_reason: 'completed'
      })
    },
    async ensureLabel(name, color, description) {
      const octokit = await octokitFor()
      try {
        await octokit.rest.issues.createLabel({ ...repo, name, color, description })
      } catch (err) {
        // 422 already_exists is the usual case; a token without the right to create labels (403) just
        // gets issues without the label, which only people filter on.
        const status = (err as { status?: number }).status
        if (status !== 422 && status !== 403) throw err
      }
    },
    async tokenLogin() {
      const octokit = await octokitFor()
      try {
        return (await octokit.rest.users.getAuthenticated()).data.login
      } catch {
        // Installation tokens (GITHUB_TOKEN) get 403 "Resource not accessible by integration".
        return undefined
      }
    }
  }
}
