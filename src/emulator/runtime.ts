// One emulator's state and request handling behind the HTTP server (server.ts): routing, identity,
// faults, the wire checks of the field tables, the Compute / Cloud Run / STS / IAM handlers, the request
// log and the admin operations. Every request gets a JSON answer in its API's error shape.
import type http from 'node:http'
import type { AdminTarget } from './admin.js'
import { Auth, type Principal } from './auth.js'
import { FailNext, handleCompute, type ComputeDeps } from './compute.js'
import { ApiError, computeErrorBody, forbidden, googleErrorBody, OAuthError, parseError } from './errors.js'
import { faultError, parseFaults, pickFault, type FaultRule } from './faults.js'
import { tableFor } from './field-table.js'
import { clone } from './json.js'
import { operationUser } from './operation-user.js'
import { Operations } from './operations.js'
import { route, type ErrorStyle, type Route } from './router.js'
import { handleRun } from './run.js'
import { exportState, loadState } from './state.js'
import { Store } from './store.js'
import type { EmulatorState, Entropy, RequestLogEntry } from './types.js'
import { checkBody, checkQuery, PayloadError, payloadErrorBody } from './wire-check.js'
import { errorMessage } from '../core/error-message.js'

/** A JSON reply. */
export interface Reply {
  readonly status: number
  readonly body: unknown
}

/** What the runtime is built from (server.ts passes the EmulatorOptions through). */
export interface RuntimeOptions {
  readonly state?: EmulatorState
  readonly faults?: string
  readonly operationMs?: number
  readonly waitCapMs?: number
  readonly recordBodies?: boolean
  readonly entropy: Entropy
  readonly onCommit?: (method: string, resource: string, state: () => EmulatorState) => void
}

const MAX_LOG = 100_000
// Values the request log never keeps, even with recordBodies (DESIGN.md §8: the log holds no token).
const SECRET_KEYS = /^(subject_?token|access_?token|accessToken|subjectToken|id_?token|assertion)$/i

/** Runtime holds the state, the log and the counters, and answers routed requests. */
export class Runtime implements AdminTarget {
  readonly store = new Store()
  readonly closing = new AbortController()
  readonly #entropy: Entropy
  readonly #seed: EmulatorState
  readonly #initialFaults: string
  readonly #ops: Operations
  readonly #auth: Auth
  readonly #failNext = new FailNext()
  readonly #log: RequestLogEntry[] = []
  readonly #counts = new Map<string, number>()
  readonly #deps: ComputeDeps
  readonly #recordBodies: boolean
  #faultSpec: string
  #faults: FaultRule[]

  constructor(opts: RuntimeOptions) {
    this.#entropy = opts.entropy
    this.#seed = clone(opts.state ?? { projects: {} })
    this.store.adopt(loadState(this.#seed, this.#entropy))
    this.#initialFaults = this.#faultSpec = opts.faults ?? ''
    this.#faults = parseFaults(this.#faultSpec)
    const operationMs = Math.max(0, opts.operationMs ?? 0)
    this.#ops = new Operations(this.#entropy, () => operationMs)
    this.#auth = new Auth(this.store, this.#entropy)
    this.#recordBodies = opts.recordBodies ?? false
    const onCommit = opts.onCommit
    this.#deps = {
      store: this.store,
      ops: this.#ops,
      entropy: this.#entropy,
      failNext: this.#failNext,
      waitCapMs: opts.waitCapMs ?? 10_000,
      closing: this.closing.signal,
      ...(onCommit
        ? { onCommit: (m: string, r: string) => onCommit(m, r, () => exportState(this.store)) }
        : {})
    }
  }

  /** answer routes one API request (not `/_emulator/`), logs and counts it, and returns the reply. */
  async answer(req: http.IncomingMessage, url: URL, raw: string): Promise<Reply> {
    const time = this.#entropy.now()
    const method = req.method ?? 'GET'
    const r = route(method, url.pathname)
    const principal = this.#auth.identify(req.headers.authorization)
    let reply: Reply
    try {
      reply = await this.#dispatch(r, principal, raw, url, req.headers['content-type'])
    } catch (e) {
      reply = errorReply(styleOf(r), e)
    }
    const api = r.api === 'none' ? undefined : r.method
    if (this.#log.length >= MAX_LOG) this.#log.splice(0, this.#log.length - MAX_LOG + 1)
    this.#log.push({
      time,
      method,
      path: url.pathname,
      status: reply.status,
      principal: this.#auth.label(principal),
      ...(api ? { api } : {}),
      ...(this.#recordBodies ? recorded(url, raw, reply) : {})
    })
    if (api) this.#counts.set(api, (this.#counts.get(api) ?? 0) + 1)
    return reply
  }

  async #dispatch(
    r: Route,
    principal: Principal,
    raw: string,
    url: URL,
    contentType?: string
  ): Promise<Reply> {
    if (r.api === 'none')
      throw new ApiError(r.status, r.status === 404 ? 'notFound' : 'httpMethodNotAllowed', r.message)
    const fault = pickFault(this.#faults, r.method, r.mutating, this.#entropy.random)
    if (fault !== undefined) throw faultError(fault)
    if (r.api === 'sts') return { status: 200, body: this.#auth.exchange(raw, contentType) }
    const table = tableFor(r.method)
    if (r.api === 'iam') {
      if (table) checkQuery(table, r.method, url.searchParams)
      const body = parseJson(raw, 'google')
      const checked = table ? checkBody(table, r.method, body) : body
      return { status: 200, body: this.#auth.generateAccessToken(principal, r.serviceAccount, checked ?? {}) }
    }
    this.#authorise(r, principal)
    if (table) checkQuery(table, r.method, url.searchParams)
    if (r.api === 'run') return handleRun(this.store, r, url.searchParams)
    const body = parseJson(raw, 'compute')
    const checked = table ? checkBody(table, r.method, body) : body
    return handleCompute(this.#deps, r, checked, url.searchParams, operationUser(principal))
  }

  #authorise(r: Exclude<Route, { api: 'none' | 'sts' | 'iam' }>, principal: Principal): void {
    if (principal.kind === 'expired')
      throw new ApiError(
        401,
        'authError',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.'
      )
    if (this.#auth.mayAccess(principal, r.project)) return
    if (r.api === 'run')
      throw new ApiError(
        403,
        'PERMISSION_DENIED',
        `Permission '${r.permission}' denied on resource '${r.resource}' (or resource may not exist).`
      )
    throw forbidden(r.permission, r.resource)
  }

  exportState(): EmulatorState {
    return exportState(this.store)
  }

  importState(s: EmulatorState): void {
    this.store.adopt(loadState(clone(s), this.#entropy))
  }

  counters(): Record<string, number> {
    return Object.fromEntries([...this.#counts].sort(([a], [b]) => a.localeCompare(b)))
  }

  requests(): RequestLogEntry[] {
    return this.#log.map((e) => ({ ...e }))
  }

  setFaults(spec: string): void {
    this.#faults = parseFaults(spec)
    this.#faultSpec = spec
  }

  faults(): string {
    return this.#faultSpec
  }

  failNextOperation(method: string, code = 'QUOTA_EXCEEDED'): void {
    if (!/^[A-Z][A-Z0-9_]*$/.test(code))
      throw new Error(`invalid operation error code '${code}': use UPPER_SNAKE, e.g. QUOTA_EXCEEDED`)
    this.#failNext.add(method, code)
  }

  reset(): void {
    this.store.adopt(loadState(clone(this.#seed), this.#entropy))
    this.#ops.clear()
    this.#auth.clear()
    this.#failNext.clear()
    this.#log.length = 0
    this.#counts.clear()
    this.setFaults(this.#initialFaults)
  }
}

/** parseJson reads a request body: nothing is undefined; bad JSON is the API's 400. */
function parseJson(raw: string, style: 'compute' | 'google'): unknown {
  if (!raw.trim()) return undefined
  try {
    return JSON.parse(raw)
  } catch (e) {
    if (style === 'google') throw new ApiError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.')
    throw parseError(errorMessage(e))
  }
}

// With recordBodies: the query string, the body and the reply, without secrets.
function recorded(url: URL, raw: string, reply: Reply): Partial<RequestLogEntry> {
  let body: unknown = raw
  try {
    body = raw.trim() ? redact(JSON.parse(raw)) : undefined
  } catch {
    if (/=/.test(raw)) body = redact(Object.fromEntries(new URLSearchParams(raw)))
  }
  return {
    ...(url.search ? { query: url.search.slice(1) } : {}),
    ...(body !== undefined ? { body } : {}),
    response: redact(reply.body)
  }
}

function redact(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redact)
  if (typeof v !== 'object' || v === null) return v
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [
      k,
      SECRET_KEYS.test(k) && typeof x === 'string' ? '[redacted]' : redact(x)
    ])
  )
}

function styleOf(r: Route): ErrorStyle {
  if (r.api === 'none') return r.style
  return r.api === 'sts' ? 'oauth' : r.api === 'run' || r.api === 'iam' ? 'google' : 'compute'
}

/** errorReply renders a thrown error in the API's shape (Compute, AIP-193 or OAuth). */
export function errorReply(style: ErrorStyle, e: unknown): Reply {
  if (e instanceof OAuthError)
    return { status: e.status, body: { error: e.error, error_description: e.description } }
  if (e instanceof PayloadError) return { status: 400, body: payloadErrorBody(e, style === 'compute') }
  const err =
    e instanceof ApiError ? e : new ApiError(500, 'backendError', 'Internal error. Please try again.')
  if (style === 'oauth')
    return {
      status: err.status,
      body: {
        error: err.status >= 500 || err.status === 429 ? 'temporarily_unavailable' : 'invalid_request',
        error_description: err.message
      }
    }
  if (style === 'google') return { status: err.status, body: googleErrorBody(err.status, err.message) }
  return { status: err.status, body: computeErrorBody(err) }
}
