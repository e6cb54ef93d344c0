// Injected faults (DESIGN.md §8): `STATUS:RATE[,STATUS:RATE...]` applies to mutating requests;
// `METHOD=STATUS:RATE` (e.g. `compute.urlMaps.update=503:1`) to one API method, mutating or not.
import { ApiError } from './errors.js'

/** One parsed fault rule. */
export interface FaultRule {
  /** API method it targets; undefined = every mutating request. */
  readonly method?: string
  readonly status: number
  readonly rate: number
}

/** parseFaults parses a spec; throws Error with a readable message when it is malformed. */
export function parseFaults(spec: string): FaultRule[] {
  const rules: FaultRule[] = []
  for (const raw of spec.split(',')) {
    const entry = raw.trim()
    if (!entry) continue
    const m = /^(?:([a-zA-Z][\w.]*)=)?(\d{3}):(\d*\.?\d+)$/.exec(entry)
    const status = Number(m?.[2])
    const rate = Number(m?.[3])
    if (!m || status < 400 || status > 599 || !(rate >= 0 && rate <= 1))
      throw new Error(
        `invalid fault '${entry}': expected [METHOD=]STATUS:RATE with STATUS 400-599 and RATE 0..1`
      )
    rules.push({ ...(m[1] ? { method: m[1] } : {}), status, rate })
  }
  return rules
}

/** pickFault decides whether this request fails, and with which status. */
export function pickFault(
  rules: readonly FaultRule[],
  method: string,
  mutating: boolean,
  random: () => number
): number | undefined {
  for (const rule of rules) {
    const applies = rule.method ? rule.method === method : mutating
    if (applies && random() < rule.rate) return rule.status
  }
  return undefined
}

/**
 * faultError is the error an injected status produces, with Compute's reasons: 403 is the per-minute rate
 * quota (`rateLimitExceeded`, how Compute answers it), 429 the same as other Google APIs send it, 5xx a
 * backend error.
 */
export function faultError(status: number): ApiError {
  if (status === 403)
    return new ApiError(
      403,
      'rateLimitExceeded',
      "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute' of service 'compute.googleapis.com'."
    )
  if (status === 429) return new ApiError(429, 'rateLimitExceeded', 'Rate Limit Exceeded')
  if (status === 503) return new ApiError(503, 'backendError', 'The service is currently unavailable.')
  if (status >= 500) return new ApiError(status, 'backendError', 'Internal error. Please try again.')
  return new ApiError(status, 'injectedFault', `Injected fault: HTTP ${status}.`)
}
