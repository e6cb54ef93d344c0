// Errors raised by the Google REST clients. Messages name the API method, the HTTP call and the API's
// own reason so a user can act on them; they never contain a token (headers are never part of them).
import type { Operation } from '../../core/compute.js'

/** Parameters of GoogleApiError (all but `hint` come straight from the failed call). */
export interface GoogleApiErrorParameters {
  /** API method name, e.g. `compute.urlMaps.update`, `run.projects.locations.services.get`, `sts.token`. */
  readonly method: string
  readonly httpMethod: string
  readonly url: string
  /** HTTP status; 0 when no response arrived (connection refused/reset, timeout). */
  readonly status: number
  /** Compute `errors[0].reason`, Cloud Run `error.status`, OAuth `error`, or a transport code (ECONNREFUSED). */
  readonly reason?: string
  readonly apiMessage: string
  /** Project the call was made for (for access hints). */
  readonly project?: string
  /** What to change, appended to the message in parentheses (e.g. which identity lacks access). */
  readonly hint?: string
  /** Attempts made (more than 1 when retried). */
  readonly attempts?: number
}

/** GoogleApiError is a failed REST call: non-2xx, unreadable response, or no response at all. */
export class GoogleApiError extends Error {
  override readonly name = 'GoogleApiError'
  readonly method: string
  readonly httpMethod: string
  readonly url: string
  readonly status: number
  readonly reason: string | undefined
  readonly apiMessage: string
  readonly project: string | undefined
  readonly hint: string | undefined
  readonly attempts: number

  constructor(p: GoogleApiErrorParameters) {
    const what = p.status > 0 ? `HTTP ${p.status}` : 'no response'
    const reason = p.reason ? ` ${p.reason}` : ''
    const tries = p.attempts && p.attempts > 1 ? ` (after ${p.attempts} attempts)` : ''
    const hint = p.hint ? ` (${p.hint})` : ''
    super(`${p.method} ${p.httpMethod} ${p.url}: ${what}${reason}: ${p.apiMessage}${tries}${hint}`)
    this.method = p.method
    this.httpMethod = p.httpMethod
    this.url = p.url
    this.status = p.status
    this.reason = p.reason
    this.apiMessage = p.apiMessage
    this.project = p.project
    this.hint = p.hint
    this.attempts = p.attempts ?? 1
  }
}

/** isNotFound: a GoogleApiError with HTTP 404 (Compute `notFound`, Cloud Run `NOT_FOUND`). */
export function isNotFound(err: unknown): err is GoogleApiError {
  return err instanceof GoogleApiError && err.status === 404
}

/** isAlreadyExists: HTTP 409 (Compute `alreadyExists` on insert, gce-api.md §1.6). */
export function isAlreadyExists(err: unknown): err is GoogleApiError {
  return err instanceof GoogleApiError && err.status === 409
}

/** isFingerprintConflict: HTTP 412 `conditionNotMet`, a stale fingerprint on update/patch (gce-api.md §5.3). */
export function isFingerprintConflict(err: unknown): err is GoogleApiError {
  return err instanceof GoogleApiError && err.status === 412
}

/** isRateLimited: 403 `rateLimitExceeded` / `userRateLimitExceeded` or 429 — a per-minute quota, not IAM. */
export function isRateLimited(err: unknown): err is GoogleApiError {
  return (
    err instanceof GoogleApiError &&
    (err.status === 429 ||
      (err.status === 403 && (err.reason === 'rateLimitExceeded' || err.reason === 'userRateLimitExceeded')))
  )
}

/** isForbidden: HTTP 403 that is not a rate limit: the identity lacks a permission on the project. */
export function isForbidden(err: unknown): err is GoogleApiError {
  return err instanceof GoogleApiError && err.status === 403 && !isRateLimited(err)
}

/** One entry of a failed Operation's `error.errors` (codes are UPPER_SNAKE, gce-api.md §1.6). */
export interface OperationErrorEntry {
  readonly code: string
  readonly message: string
}

/** OperationError is an Operation that finished DONE with `error` (the call itself returned 200). */
export class OperationError extends Error {
  override readonly name = 'OperationError'
  /** First error code, UPPER_SNAKE (e.g. RESOURCE_IN_USE_BY_ANOTHER_RESOURCE). */
  readonly code: string
  readonly errors: readonly OperationErrorEntry[]
  /** Operation name. */
  readonly operation: string
  /** targetLink of the operation (the resource it changed). */
  readonly target: string
  readonly operationType: string | undefined
  /** `httpErrorStatusCode` of the operation, when present. */
  readonly status: number | undefined

  constructor(op: Operation) {
    const errors: OperationErrorEntry[] = (op.error?.errors ?? []).map((e) => ({
      code: e.code ?? 'UNKNOWN',
      message: e.message ?? ''
    }))
    if (errors.length === 0) errors.push({ code: 'UNKNOWN', message: 'operation failed without details' })
    const first = errors[0]!
    const name = op.name ?? String(op.id ?? '?')
    const target = op.targetLink ?? ''
    const type = op.operationType ? `${op.operationType} ` : ''
    const rest =
      errors.length > 1
        ? ` (+${errors.length - 1} more: ${errors
            .slice(1)
            .map((e) => e.code)
            .join(', ')})`
        : ''
    super(
      `operation ${name} (${type}${target || 'unknown target'}) failed: ${first.code}: ${first.message}${rest}`
    )
    this.code = first.code
    this.errors = errors
    this.operation = name
    this.target = target
    this.operationType = op.operationType ?? undefined
    this.status = op.httpErrorStatusCode ?? undefined
  }
}

/** OperationTimeoutError: an Operation was still not DONE when the overall wait budget ran out. */
export class OperationTimeoutError extends Error {
  override readonly name = 'OperationTimeoutError'
  readonly operation: string
  readonly target: string
  readonly lastStatus: string

  constructor(op: Operation, waitedMs: number) {
    const name = op.name ?? String(op.id ?? '?')
    const status = String(op.status ?? 'UNKNOWN')
    super(
      `operation ${name} (${op.targetLink ?? 'unknown target'}) still ${status} after ${Math.round(waitedMs / 1000)} s; ` +
        'it may still finish: re-run to converge (mutations are idempotent by requestId)'
    )
    this.operation = name
    this.target = op.targetLink ?? ''
    this.lastStatus = status
  }
}
