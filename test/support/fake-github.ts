// A small fake of the GitHub REST API the action calls (issue comments, PRs of a commit) plus the Actions
// OIDC token endpoint, on node:http. Behaves like GitHub where the action could notice: pagination with a
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
}

/** A running fake; mutate `comments` and `pullsByCommit` to set the scene. */
export interface FakeGitHub {
  readonly url: string
  /** Comments per issue number. */
  readonly comments: Map<number, FakeComment[]>
  /** PRs returned by GET /repos/{o}/{r}/commits/{sha}/pulls, per sha. */
  readonly pullsByCommit: Map<string, { number: number; merged_at: string | null; state: string }[]>
  readonly requests: RecordedRequest[]
  /** ID tokens (JWTs) the OIDC endpoint handed out, and the audiences asked for. */
  readonly idTokens: { audience: string; token: string }[]
  readonly oidcRequestToken: string
  /** Adds a comment as if `login` had written it; returns it. */
  addComment(issue: number, body: string, login?: string): FakeComment
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
  const pullsByCommit = new Map<string, { number: number; merged_at: string | null; state: string }[]>()
  const requests: RecordedRequest[] = []
  const idTokens: { audience: string; token: string }[] = []
  let nextId = 1000
  let url = ''

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
        exp: now + 300
      })
      idTokens.push({ audience, token })
      return { status: 200, body: { count: 1, value: token } }
    }
    if (!/^(token|bearer) \S+/i.test(headers.authorization ?? '')) {
      return { status: 401, body: { message: 'Requires authentication' } }
    }
    let m = /^\/repos\/[^/]+\/[^/]+\/issues\/(\d+)\/comments$/.exec(p)
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
    requests,
    idTokens,
    oidcRequestToken,
    addComment,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      })
  }
}
