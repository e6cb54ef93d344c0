// A small fake of the GitHub REST API the action calls (issue comments, PRs of a commit, workflow runs,
// issues and labels for drift) plus the Actions OIDC token endpoint, on node:http. Behaves like GitHub where the action could notice: pagination with a
// Link header, 422 for bodies over 65,536 characters, 401 without a token. Every request is recorded.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/** GitHub's comment body limit, in characters. */
export const GITHUB_BODY_LIMIT = 65_536

export interface FakeComment {
  id: number
  body: string
  user: { login: string; type: string }
  created_at: string
  updated_at: string
}

export interface FakeIssue {
  number: number
  title: string
  body: string
  state: 'open' | 'closed'
  state_reason: string | null
  labels: { name: string }[]
  user: { login: string; type: string }
  html_url: string
  created_at: string
  updated_at: string
}

export interface RecordedRequest {
  readonly method: string
  /** Path and query, as received. */
  readonly url: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
  readonly status: number
}

export interface FakeGitHubOptions {
  /** GitHub caps per_page at 100; a lower cap makes small fixtures paginate. */
  readonly maxPerPage?: number
  /** Login of comments created through the API (the token's user). */
  readonly botLogin?: string
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN the OIDC endpoint expects. */
  readonly oidcRequestToken?: string
  /**
   * What GET /user answers: a login (as for a personal token), or, unset, 403 "Resource not accessible
   * by integration" as for the Actions installation token.
   */
  readonly userLogin?: string
}

/** A pull request as GET /repos/{o}/{r}/commits/{sha}/pulls lists it (the fields the action reads). */
export interface FakePull {
  number: number
  merged_at: string | null
  state: string
  merge_commit_sha?: string | null
  head?: { sha: string }
}

/** A workflow run as GET /repos/{o}/{r}/actions/runs/{id} returns it (the fields the action reads). */
export interface FakeRun {
  id: number
  /** The workflow file, repository-relative (`.github/workflows/x.yml`), as GitHub reports it. */
  path: string
  head_sha: string
  event: string
  status: string
  conclusion: string | null
  repository: { full_name: string }
  referenced_workflows: { path: string; sha: string; ref?: string }[]
  /** Names of the artifacts the run uploaded (GET …/actions/runs/{id}/artifacts). */
  artifacts?: string[]
}

/** A running fake; mutate `comments`, `pullsByCommit` and `runs` to set the scene. */
export interface FakeGitHub {
  readonly url: string
  /** Comments per issue number. */
  readonly comments: Map<number, FakeComment[]>
  /** PRs returned by GET /repos/{o}/{r}/commits/{sha}/pulls, per sha. */
  readonly pullsByCommit: Map<string, FakePull[]>
  /** Workflow runs by id; only runs of the repository in the request path are found, as on GitHub. */
  readonly runs: Map<number, FakeRun>
  readonly requests: RecordedRequest[]
  /** ID tokens (JWTs) the OIDC endpoint handed out, and the audiences asked for. */
  readonly idTokens: { audience: string; token: string }[]
  /** Claims the OIDC endpoint adds to (or overrides in) every token it mints: set them per test. */
  readonly oidcClaims: Record<string, unknown>
  readonly oidcRequestToken: string
  /** Issues by number (numbers start at 100, so they never meet the PR numbers tests use). */
  readonly issues: Map<number, FakeIssue>
  /** Label names that exist in the repository. */
  readonly labels: Set<string>
  /** Adds a comment as if `login` had written it; returns it. */
  addComment(issue: number, body: string, login?: string): FakeComment
  /** Opens an issue as if `login` had written it; returns it. */
  addIssue(title: string, body: string, login?: string, labels?: string[]): FakeIssue
  close(): Promise<void>
}

const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url')

/** unsignedJwt builds an `alg: none` JWT like GitHub's OIDC token (claims only; nobody verifies it here). */
export function unsignedJwt(claims: Record<string, unknown>): string {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`
}

/** startFakeGitHub listens on 127.0.0.1 (free port) and resolves once it accepts connections. */
export async function startFakeGitHub(opts: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const maxPerPage = opts.maxPerPage ?? 100
  const botLogin = opts.botLogin ?? 'github-actions[bot]'
  const oidcRequestToken = opts.oidcRequestToken ?? 'fake-oidc-request-token'
  const comments = new Map<number, FakeComment[]>()
  const pullsByCommit = new Map<string, FakePull[]>()
  const runs = new Map<number, FakeRun>()
  const requests: RecordedRequest[] = []
  const idTokens: { audience: string; token: string }[] = []
  const oidcClaims: Record<string, unknown> = {}
  const issues = new Map<number, FakeIssue>()
  const labels = new Set<string>()
  let nextId = 1000
  let nextIssue = 100
  let url = ''

  const addIssue = (title: string, body: string, login = botLogin, names: string[] = []): FakeIssue => {
    const now = new Date().toISOString()
    const number = nextIssue++
    const issue: FakeIssue = {
      number,
      title,
      body,
      state: 'open',
      state_reason: null,
      labels: names.map((name) => ({ name })),
      user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      html_url: `https://github.com/Codertocat/Hello-World/issues/${number}`,
      created_at: now,
      updated_at: now
    }
    issues.set(number, issue)
    return issue
  }

  const addComment = (issue: number, body: string, login = botLogin): FakeComment => {
    const now = new Date().toISOString()
    const c: FakeComment = {
      id: nextId++,
      body,
      user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      created_at: now,
      updated_at: now
    }
    const list = comments.get(issue) ?? []
    list.push(c)
    comments.set(issue, list)
    return c
  }
  const findComment = (id: number): FakeComment | undefined =>
    [...comments.values()].flat().find((c) => c.id === id)
  const tooLong = (body: string): boolean => [...body].length > GITHUB_BODY_LIMIT
  const bodyTooLong = {
    message: 'Validation Failed',
    errors: [
      {
        resource: 'IssueComment',
        code: 'unprocessable',
        field: 'data',
        message: `body is too long (maximum is ${GITHUB_BODY_LIMIT} characters)`
      }
    ],
    documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
    status: '422'
  }

  type Reply = { status: number; body?: unknown; headers?: Record<string, string> }
  /** page answers a list request like GitHub: per_page (capped), page, and a Link header keeping the filters. */
  const page = (u: URL, p: string, all: readonly unknown[]): Reply => {
    const perPage = Math.min(maxPerPage, Number(u.searchParams.get('per_page') ?? 30) || 30)
    const n = Math.max(1, Number(u.searchParams.get('page') ?? 1) || 1)
    const last = Math.max(1, Math.ceil(all.length / perPage))
    const link = (to: number, rel: string): string => {
      const next = new URL(url + p + u.search)
      next.searchParams.set('per_page', String(perPage))
      next.searchParams.set('page', String(to))
      return `<${next.toString()}>; rel="${rel}"`
    }
    const links = [
      ...(n < last ? [link(n + 1, 'next'), link(last, 'last')] : []),
      ...(n > 1 ? [link(1, 'first'), link(n - 1, 'prev')] : [])
    ]
    return {
      status: 200,
      body: all.slice((n - 1) * perPage, n * perPage),
      headers: links.length ? { link: links.join(', ') } : {}
    }
  }
  const route = (method: string, u: URL, headers: http.IncomingHttpHeaders, raw: string): Reply => {
    const p = u.pathname
    if (p === '/oidc') {
      if (headers.authorization !== `Bearer ${oidcRequestToken}`)
        return { status: 401, body: { message: 'Unauthorized' } }
      const audience = u.searchParams.get('audience') ?? 'https://github.com/owner'
      const now = Math.floor(Date.now() / 1000)
      const token = unsignedJwt({
        iss: 'https://token.actions.githubusercontent.com',
        aud: audience,
        sub: 'repo:Codertocat/Hello-World:pull_request',
        repository: 'Codertocat/Hello-World',
        iat: now,
        nbf: now,
        exp: now + 300,
        ...oidcClaims
      })
      idTokens.push({ audience, token })
      return { status: 200, body: { count: 1, value: token } }
    }
    if (!/^(token|bearer) \S+/i.test(headers.authorization ?? '')) {
      return { status: 401, body: { message: 'Requires authentication' } }
    }
    if (p === '/user' && method === 'GET') {
      if (opts.userLogin === undefined)
        return { status: 403, body: { message: 'Resource not accessible by integration' } }
      return { status: 200, body: { login: opts.userLogin, type: 'User' } }
    }
    let m = /^\/repos\/[^/]+\/[^/]+\/issues$/.exec(p)
    if (m && method === 'GET') {
      // GitHub's filters: state (default open), creator, labels (comma-separated, all must match).
      const state = u.searchParams.get('state') ?? 'open'
      const creator = u.searchParams.get('creator')
      const wanted = (u.searchParams.get('labels') ?? '').split(',').filter(Boolean)
      const all = [...issues.values()]
        .filter((i) => state === 'all' || i.state === state)
        .filter((i) => creator === null || i.user.login === creator)
        .filter((i) => wanted.every((w) => i.labels.some((l) => l.name === w)))
        .sort((a, b) => b.number - a.number)
      return page(u, p, all)
    }
    if (m && method === 'POST') {
      const req = JSON.parse(raw || '{}') as { title?: unknown; body?: unknown; labels?: unknown }
      if (typeof req.title !== 'string' || req.title === '')
        return {
          status: 422,
          body: { message: 'Validation Failed', errors: [{ field: 'title', code: 'missing_field' }] }
        }
      const body = String(req.body ?? '')
      if (tooLong(body)) return { status: 422, body: bodyTooLong }
      // Like GitHub for a token that may push: unknown labels are created on the fly.
      const names = Array.isArray(req.labels) ? req.labels.map(String) : []
      for (const n of names) labels.add(n)
      return { status: 201, body: addIssue(req.title, body, botLogin, names) }
    }
    m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)$/.exec(p)
    if (m && (method === 'GET' || method === 'PATCH')) {
      const issue = issues.get(Number(m[1]))
      if (!issue) return { status: 404, body: { message: 'Not Found' } }
      if (method === 'GET') return { status: 200, body: issue }
      const req = JSON.parse(raw || '{}') as Record<string, unknown>
      if (req.body !== undefined) {
        const body = String(req.body ?? '')
        if (tooLong(body)) return { status: 422, body: bodyTooLong }
        issue.body = body
      }
      if (typeof req.title === 'string') issue.title = req.title
      if (req.state === 'open' || req.state === 'closed') {
        issue.state = req.state
        issue.state_reason =
          req.state === 'closed'
            ? String(req.state_reason ?? 'completed')
            : req.state_reason
              ? 'reopened'
              : null
      }
      issue.updated_at = new Date().toISOString()
      return { status: 200, body: issue }
    }
    m = /^\/repos\/[^/]+\/[^/]+\/labels$/.exec(p)
    if (m && method === 'POST') {
      const name = String((JSON.parse(raw || '{}') as { name?: unknown }).name ?? '')
      if (labels.has(name))
        return {
          status: 422,
          body: {
            message: 'Validation Failed',
            errors: [{ resource: 'Label', code: 'already_exists', field: 'name' }]
          }
        }
      labels.add(name)
      return { status: 201, body: { name } }
    }
    m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(p)
    if (m && method === 'GET') {
      const all = comments.get(Number(m[1])) ?? []
      const perPage = Math.min(maxPerPage, Number(u.searchParams.get('per_page') ?? 30) || 30)
      const page = Math.max(1, Number(u.searchParams.get('page') ?? 1) || 1)
      const last = Math.max(1, Math.ceil(all.length / perPage))
      const link = (n: number, rel: string): string => {
        const next = new URL(url + p)
        next.searchParams.set('per_page', String(perPage))
        next.searchParams.set('page', String(n))
        return `<${next.toString()}>; rel="${rel}"`
      }
      const links = [
        ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
        ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])
      ]
      return {
        status: 200,
        body: all.slice((page - 1) * perPage, page * perPage),
        headers: links.length ? { link: links.join(', ') } : {}
      }
    }
    if (m && method === 'POST') {
      const body = String((JSON.parse(raw || '{}') as { body?: unknown }).body ?? '')
      if (tooLong(body)) return { status: 422, body: bodyTooLong }
      return { status: 201, body: addComment(Number(m[1]), body) }
    }
    m = /^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/.exec(p)
    if (m && method === 'PATCH') {
      const c = findComment(Number(m[1]))
      if (!c) return { status: 404, body: { message: 'Not Found' } }
      if (c.user.login !== botLogin)
        return { status: 403, body: { message: 'Resource not accessible by integration' } }
      const body = String((JSON.parse(raw || '{}') as { body?: unknown }).body ?? '')
      if (tooLong(body)) return { status: 422, body: bodyTooLong }
      c.body = body
      c.updated_at = new Date().toISOString()
      return { status: 200, body: c }
    }
    m = /^\/repos\/([^/]+\/[^/]+)\/actions\/runs\/(\d+)\/artifacts$/.exec(p)
    if (m && method === 'GET') {
      const run = runs.get(Number(m[2]))
      if (!run || run.repository.full_name.toLowerCase() !== m[1]!.toLowerCase())
        return { status: 404, body: { message: 'Not Found' } }
      const artifacts = (run.artifacts ?? []).map((name, i) => ({
        id: run.id * 100 + i,
        name,
        expired: false
      }))
      return { status: 200, body: { total_count: artifacts.length, artifacts } }
    }
    m = /^\/repos\/([^/]+\/[^/]+)\/actions\/runs\/(\d+)$/.exec(p)
    if (m && method === 'GET') {
      const run = runs.get(Number(m[2]))
      if (!run || run.repository.full_name.toLowerCase() !== m[1]!.toLowerCase())
        return { status: 404, body: { message: 'Not Found' } }
      return { status: 200, body: run }
    }
    m = /^\/repos\/[^/]+\/[^/]+\/commits\/([^/]+)\/pulls$/.exec(p)
    if (m && method === 'GET') {
      return {
        status: 200,
        body: (pullsByCommit.get(m[1]!) ?? []).map((pr) => ({ ...pr, id: pr.number * 10 }))
      }
    }
    return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' } }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      let reply: Reply
      try {
        reply = route(req.method ?? 'GET', new URL(req.url ?? '/', url), req.headers, raw)
      } catch (err) {
        reply = { status: 400, body: { message: `Problems parsing JSON: ${(err as Error).message}` } }
      }
      requests.push({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: raw,
        status: reply.status
      })
      res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers })
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url,
    comments,
    pullsByCommit,
    runs,
    requests,
    idTokens,
    oidcClaims,
    oidcRequestToken,
    issues,
    labels,
    addComment,
    addIssue,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      })
  }
}
