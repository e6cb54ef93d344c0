// The one request path of the Google REST clients: build → log → send → check → wrap, with bounded
// retries. Both ComputeClient and RunClient go through RestTransport.call; nothing else sends requests.
import { randomUUID } from 'node:crypto'
import { setTimeout as delay } from 'node:timers/promises'
import type { CredentialSource } from './credentials.js'
import { GoogleApiError } from './errors.js'
import { NullLogger } from '../logger.js'
import type { Logger } from '../logger.js'

/** Version sent in the user agent; kept equal to package.json's (a test checks it). */
export const LB_ROUTES_VERSION = '0.1.0'

/** HTTP verbs the Google REST APIs use (gce-api.md §1.1). */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Retry policy: exponential backoff with full jitter; sleep/random injectable for tests. */
export interface RetryOptions {
  /**
   * Total attempts including the first (default 10). An apply sends bursts of concurrent mutations and
   * each carries a requestId (retrying is idempotent), so the client rides out 429/5xx patiently: with the
   * default backoff (full jitter, 200 ms base, 10 s cap) 10 attempts wait at most ~45 s per call.
   */
  readonly attempts?: number
  /** Backoff base in ms (default 200): attempt n waits random() * min(cap, base * 2^(n-1)). */
  readonly baseMs?: number
  /** Backoff cap in ms (default 10 000). */
  readonly capMs?: number
  /** Upper bound on an honoured Retry-After, in ms (default 60 000). */
  readonly maxRetryAfterMs?: number
  /** Jitter (ms, default 3 000) added to a rate limit's wait for the next minute boundary. */
  readonly rateLimitJitterMs?: number
  readonly sleep?: (ms: number) => Promise<void>
  readonly random?: () => number
}

/** Parameters of RestTransport: the collaborators every call needs. */
export interface TransportParameters {
  readonly credentials: CredentialSource
  /** Role named in the advice attached to a 403 (e.g. roles/compute.loadBalancerAdmin). */
  readonly accessRole: string
  readonly logger?: Logger
  readonly retry?: RetryOptions
  /** Default per-request timeout in ms (default 60 000). */
  readonly timeoutMs?: number
  readonly userAgent?: string
  readonly fetch?: typeof fetch
  readonly randomUUID?: () => string
  /** Clock in ms, for durations in logs and Retry-After dates (default Date.now). */
  readonly now?: () => number
}

/** Parameters shared by ComputeClient and RunClient: the API base URL plus the transport's collaborators. */
export interface ClientParameters extends Omit<TransportParameters, 'accessRole'> {
  /** Base URL ending in `/` (added when missing), e.g. https://compute.googleapis.com/compute/v1/. */
  readonly endpoint: string
}

/** One logical API call; retries of it reuse everything, including the requestId. */
export interface ApiCall {
  /** API method name, e.g. `compute.urlMaps.update`; goes into logs and errors. */
  readonly method: string
  readonly httpMethod: HttpMethod
  /** Absolute URL without query. */
  readonly url: string
  /** Project whose credentials sign the call. */
  readonly project: string
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>
  /** JSON body; omitted when undefined. */
  readonly body?: unknown
  /** Adds `requestId=<uuid>` (one per logical call, gce-api.md §1.5) so retrying the mutation is safe. */
  readonly mutation?: boolean
  readonly timeoutMs?: number
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504])

/** What one attempt got back: a response, or no response at all (connection failure, timeout). */
type Attempt =
  | { readonly status: number; readonly text: string; readonly retryAfter: string | null }
  | { readonly failure: { readonly code: string; readonly message: string } }

/** RestTransport sends ApiCalls with credentials, logging, retries and uniform errors. */
export class RestTransport {
  readonly #p: TransportParameters
  readonly #log: Logger
  readonly #fetch: typeof fetch
  readonly #now: () => number
  readonly #uuid: () => string
  readonly #attempts: number
  readonly #baseMs: number
  readonly #capMs: number
  readonly #maxRetryAfterMs: number
  readonly #rateLimitJitterMs: number
  readonly #sleep: (ms: number) => Promise<void>
  readonly #random: () => number
  readonly #userAgent: string
  readonly #rateLimitListeners = new Set<(project: string) => void>()

  constructor(params: TransportParameters) {
    this.#p = params
    this.#log = params.logger ?? new NullLogger()
    this.#fetch = params.fetch ?? ((input, init) => globalThis.fetch(input, init))
    this.#now = params.now ?? Date.now
    this.#uuid = params.randomUUID ?? randomUUID
    const r = params.retry ?? {}
    this.#attempts = Math.max(1, r.attempts ?? 10)
    this.#baseMs = r.baseMs ?? 200
    this.#capMs = r.capMs ?? 10_000
    this.#maxRetryAfterMs = r.maxRetryAfterMs ?? 60_000
    this.#rateLimitJitterMs = r.rateLimitJitterMs ?? 3_000
    this.#sleep = r.sleep ?? ((ms) => delay(ms))
    this.#random = r.random ?? Math.random
    this.#userAgent = params.userAgent ?? `lb-routes/${LB_ROUTES_VERSION}`
  }

  /**
   * onRateLimited calls `listener` with the project of every rate-limited answer (403 rateLimitExceeded /
   * userRateLimitExceeded, 429) before it is retried, so a scheduler can slow down; returns an unsubscribe.
   */
  onRateLimited(listener: (project: string) => void): () => void {
    this.#rateLimitListeners.add(listener)
    return () => void this.#rateLimitListeners.delete(listener)
  }

  /** call sends `c` (retrying transient failures and rate limits) and returns the parsed JSON body ({} when empty). */
  async call<T>(c: ApiCall): Promise<T> {
    const url = buildUrl(c.url, c.mutation ? { ...c.query, requestId: this.#uuid() } : c.query)
    const body = c.body === undefined ? undefined : JSON.stringify(c.body)
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this.#attempts
      const got = await this.#attempt(c, url, body)
      if ('failure' in got) {
        // A name that does not resolve is a wrong endpoint, not a blip: say so at once instead of retrying.
        if (!last && got.failure.code !== 'ENOTFOUND') {
          await this.#backoff(c, attempt, got.failure.code, null, false)
          continue
        }
        throw this.#error(c, url, attempt, 0, { reason: got.failure.code, message: got.failure.message })
      }
      if (got.status >= 200 && got.status < 300) return this.#parse<T>(c, url, attempt, got)
      const parsed = parseErrorBody(got.text)
      const rateLimited = isRateLimitAnswer(got.status, parsed.reason)
      if (rateLimited) for (const l of this.#rateLimitListeners) l(c.project)
      if ((rateLimited || RETRYABLE_STATUS.has(got.status)) && !last) {
        await this.#backoff(c, attempt, `HTTP ${got.status}`, got.retryAfter, rateLimited)
        continue
      }
      throw this.#error(c, url, attempt, got.status, parsed, rateLimited)
    }
  }

  // One request: headers (fresh credentials each time), fetch with a timeout, the body as text.
  async #attempt(c: ApiCall, url: string, body: string | undefined): Promise<Attempt> {
    const timeoutMs = c.timeoutMs ?? this.#p.timeoutMs ?? 60_000
    const headers: Record<string, string> = {
      ...(await this.#p.credentials.headersFor(c.project)),
      accept: 'application/json',
      'user-agent': this.#userAgent
    }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const started = this.#now()
    try {
      const res = await this.#fetch(url, {
        method: c.httpMethod,
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs)
      })
      const text = await res.text()
      this.#log.debug(`${c.method} ${c.httpMethod} ${url} -> ${res.status} (${this.#now() - started} ms)`)
      return { status: res.status, text, retryAfter: res.headers.get('retry-after') }
    } catch (err) {
      const failure = transportFailure(err, timeoutMs, c.method)
      this.#log.debug(`${c.method} ${c.httpMethod} ${url} -> ${failure.code} (${this.#now() - started} ms)`)
      return { failure }
    }
  }

  #parse<T>(c: ApiCall, url: string, attempt: number, got: { status: number; text: string }): T {
    if (!got.text.trim()) return {} as T
    try {
      return JSON.parse(got.text) as T
    } catch {
      const message = `response is not JSON: ${snippet(got.text)}`
      throw this.#error(c, url, attempt, got.status, { reason: 'invalidResponse', message })
    }
  }

  #error(
    c: ApiCall,
    url: string,
    attempts: number,
    status: number,
    parsed: { reason?: string | undefined; message: string },
    rateLimited = false
  ): GoogleApiError {
    const hint = rateLimited ? this.#rateLimitHint(c.project) : this.#hint(status, c.project)
    return new GoogleApiError({
      method: c.method,
      httpMethod: c.httpMethod,
      url,
      status,
      ...(parsed.reason !== undefined ? { reason: parsed.reason } : {}),
      apiMessage: parsed.message || `HTTP ${status}`,
      project: c.project,
      attempts,
      ...(hint ? { hint } : {})
    })
  }

  // A rate limit is not a permission problem: never the IAM advice a plain 403 gets.
  #rateLimitHint(project: string): string {
    return `project ${project} is over its per-minute API rate quota; wait a minute and run again (it converges), or lower --concurrency`
  }

  #hint(status: number, project: string): string | undefined {
    if (status === 403) return this.#p.credentials.accessAdvice(project, this.#p.accessRole)
    if (status === 401)
      return `credentials of ${this.#p.credentials.describe(project)} were rejected (invalid or expired token)`
    return undefined
  }

  // Retry-After (seconds or an HTTP date) wins, bounded by maxRetryAfterMs. Otherwise a rate limit waits for
  // the next minute boundary, when Google refills per-minute quotas, plus jitter so waiting callers do not
  // all come back at once; anything else gets full jitter: random in [0, min(cap, base * 2^(attempt-1))).
  async #backoff(
    c: ApiCall,
    attempt: number,
    why: string,
    retryAfter: string | null,
    rateLimited: boolean
  ): Promise<void> {
    const now = this.#now()
    const told = parseRetryAfter(retryAfter, now)
    const ms =
      told !== undefined
        ? Math.min(told, this.#maxRetryAfterMs)
        : rateLimited
          ? 60_000 - (now % 60_000) + Math.floor(this.#random() * this.#rateLimitJitterMs)
          : Math.floor(this.#random() * Math.min(this.#capMs, this.#baseMs * 2 ** (attempt - 1)))
    const what = rateLimited ? `${why} (rate limited)` : why
    this.#log.info(`${c.method}: ${what}, retrying in ${ms} ms (attempt ${attempt + 1} of ${this.#attempts})`)
    await this.#sleep(ms)
  }
}

/**
 * isRateLimitAnswer: Compute answers a per-minute rate quota with 403 `rateLimitExceeded` (or
 * `userRateLimitExceeded`), other Google APIs with 429 (`RESOURCE_EXHAUSTED`); all of them clear by waiting.
 */
export function isRateLimitAnswer(status: number, reason: string | undefined): boolean {
  return status === 429 || (status === 403 && RATE_LIMIT_REASONS.has(reason ?? ''))
}

const RATE_LIMIT_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded'])

/** buildUrl appends defined query parameters to `base` (URL-encoded, in the given order). */
export function buildUrl(
  base: string,
  query?: Readonly<Record<string, string | number | boolean | undefined>>
): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) q.append(k, String(v))
  const s = q.toString()
  return s ? `${base}${base.includes('?') ? '&' : '?'}${s}` : base
}

/** parseRetryAfter turns a Retry-After header into ms from `now`, or undefined when absent/unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || !value.trim()) return undefined
  const v = value.trim()
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000)
  const at = Date.parse(v)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/**
 * parseErrorBody reads the reason and message from the three error shapes the APIs send: Compute
 * `{error:{code,message,errors:[{reason}]}}` (no `status`, gce-api.md §1.6), Cloud Run AIP-193
 * `{error:{code,message,status}}` (§10.1) and OAuth `{error, error_description}`.
 */
export function parseErrorBody(text: string): { reason?: string; message: string } {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return { message: snippet(text) }
  }
  const err = (body as { error?: unknown } | null)?.error
  if (typeof err === 'string') {
    const desc = (body as { error_description?: unknown }).error_description
    return { reason: err, message: typeof desc === 'string' ? desc : err }
  }
  if (err && typeof err === 'object') {
    const e = err as { message?: unknown; status?: unknown; errors?: { reason?: unknown }[] }
    const first = Array.isArray(e.errors) ? e.errors[0]?.reason : undefined
    const reason = typeof first === 'string' ? first : typeof e.status === 'string' ? e.status : undefined
    return { reason, message: typeof e.message === 'string' ? e.message : snippet(text) }
  }
  return { message: snippet(text) }
}

function snippet(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim()
  return t.length > 300 ? `${t.slice(0, 300)}…` : t
}

// transportFailure names a request that got no response: fetch rejects with TypeError('fetch failed')
// whose `cause` carries the socket error code; AbortSignal.timeout rejects with a TimeoutError.
function transportFailure(
  err: unknown,
  timeoutMs: number,
  method: string
): { code: string; message: string } {
  const e = err as { name?: unknown; message?: unknown; cause?: { code?: unknown; message?: unknown } }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return { code: 'TIMEOUT', message: `no response within ${timeoutMs} ms` }
  }
  const code = typeof e?.cause?.code === 'string' ? e.cause.code : 'FETCH_FAILED'
  const detail = typeof e?.cause?.message === 'string' ? e.cause.message : String(e?.message ?? err)
  const variable = method.startsWith('run.')
    ? 'GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT'
    : 'GOOGLE_COMPUTE_CUSTOM_ENDPOINT'
  const advice =
    code === 'ECONNREFUSED' || code === 'ENOTFOUND'
      ? ` (is the endpoint right? check ${variable}, or unset it to use Google's)`
      : ''
  return { code, message: `connection failed: ${detail}${advice}` }
}
