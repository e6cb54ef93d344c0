// Rules on a route's backend settings: what the target kind supports, the Cloud Armor policy, request headers.
import { headerName, requestHeaderProblem, securityPolicyProblem } from '../formats.js'
import { quote, type Problem } from '../problem.js'
import {
  error,
  isObj,
  MAX_REQUEST_HEADERS,
  str,
  strings,
  warning,
  type FileContext,
  type RouteContext
} from './context.js'

const SHARED_BACKEND_SETTINGS = [
  'timeoutSec',
  'enableCdn',
  'securityPolicy',
  'logSampleRate',
  'requestHeaders'
]

/** Compute rejects timeoutSec on a serverless NEG backend. */
export function serverlessTimeout(r: RouteContext): Problem[] {
  if (r.kind !== 'serverless' || r.route.timeoutSec === undefined) return []
  return [
    error(
      r.at('timeoutSec'),
      'timeoutSec is not supported for serverless targets (Compute rejects it: "Timeout sec is not supported for a backend service with Serverless network endpoint groups."; the timeout is a fixed 60 minutes); remove it'
    )
  ]
}

/** With options.sharedCloudRunBackend, per-route backend settings of cloudRun routes have no effect. */
export function sharedBackendSettings(r: RouteContext, file: FileContext): Problem[] {
  if (r.kind !== 'cloudRun' || !file.shared) return []
  return SHARED_BACKEND_SETTINGS.filter((key) => r.route[key] !== undefined).map((key) =>
    warning(
      r.at(key),
      `${key} has no effect: options.sharedCloudRunBackend sends every cloudRun route through one shared backend service, which lb-routes configures itself`
    )
  )
}

/** securityPolicy names a Cloud Armor policy. */
export function securityPolicy(r: RouteContext): Problem[] {
  const policy = str(r.route, 'securityPolicy')
  const p = policy === undefined ? undefined : securityPolicyProblem(policy)
  return p ? [error(r.at('securityPolicy'), `securityPolicy ${quote(policy)} ${p}`)] : []
}

/** Each request header is "Name: value", and sets a header name (case-insensitive) once. */
export function requestHeaders(r: RouteContext): Problem[] {
  const seen = new Set<string>()
  return strings(r.route, 'requestHeaders').flatMap(([k, header]) => {
    const at = r.at('requestHeaders', k)
    const p = requestHeaderProblem(header)
    const name = headerName(header)
    const twice = name !== undefined && seen.has(name)
    if (name !== undefined) seen.add(name)
    if (p) return [error(at, `request header ${quote(header)} ${p}`)]
    if (!twice) return []
    return [
      error(
        at,
        `request header ${quote(header)} sets "${name}" again; a header name may appear only once (names are case-insensitive)`
      )
    ]
  })
}

/** A backend service takes at most MAX_REQUEST_HEADERS headers, including the Host override some targets need. */
export function requestHeaderCount(r: RouteContext, file: FileContext): Problem[] {
  const count = strings(r.route, 'requestHeaders').length
  const to = isObj(r.route.to) ? r.route.to : {}
  const hostOverride =
    (r.kind === 'cloudRun' && !file.shared) ||
    (r.kind === 'internet' && isObj(to.internet) && to.internet.hostHeader !== undefined)
  if (!hostOverride || count < MAX_REQUEST_HEADERS) return []
  return [
    error(
      r.at('requestHeaders'),
      `requestHeaders has ${count} headers, but this target also needs a Host header and a backend service takes at most ${MAX_REQUEST_HEADERS}; remove ${count - MAX_REQUEST_HEADERS + 1}`
    )
  ]
}
