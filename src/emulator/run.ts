// Cloud Run Admin API v2, read-only (gce-api.md §10.1): services get/list and getIamPolicy, seeded from
// the state file. Errors are AIP-193 bodies with `status`. With `$alt=json;enum-encoding=int` (what the
// Node client sends) enums are numbers.
import { createHash } from 'node:crypto'
import { ApiError } from './errors.js'
import type { RunRoute } from './router.js'
import type { Store } from './store.js'
import type { RunServiceState } from './types.js'

const INGRESS = [
  'INGRESS_TRAFFIC_UNSPECIFIED',
  'INGRESS_TRAFFIC_ALL',
  'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
  'INGRESS_TRAFFIC_NONE'
]
const INGRESS_ALIASES: Record<string, string> = {
  all: 'INGRESS_TRAFFIC_ALL',
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
  none: 'INGRESS_TRAFFIC_NONE'
}
// google.cloud.run.v2.Condition.State.CONDITION_SUCCEEDED
const CONDITION_SUCCEEDED = 4

/** normaliseIngress accepts gcloud spellings, enum names or numbers; throws on anything else. */
export function normaliseIngress(v: unknown): string {
  if (typeof v === 'number' && INGRESS[v]) return INGRESS[v]!
  if (typeof v === 'string' && INGRESS.includes(v)) return v
  if (typeof v === 'string' && INGRESS_ALIASES[v.toLowerCase()]) return INGRESS_ALIASES[v.toLowerCase()]!
  throw new Error(`unknown ingress ${String(v)}`)
}

/** A Cloud Run error with its AIP-193 status. */
export class RunError extends ApiError {}

function digest(s: string): string {
  return createHash('sha256').update(s).digest('hex')
}

/** serviceView renders a seeded service as `services.get` returns it; stable across export/import. */
export function serviceView(
  project: string,
  region: string,
  s: RunServiceState,
  intEnums: boolean
): Record<string, unknown> {
  const name = `projects/${project}/locations/${region}/services/${s.name}`
  const h = digest(name)
  const uri =
    s.uri ?? `https://${s.name}-${h.slice(0, 10)}-${region.replace(/[^a-z]/g, '').slice(0, 2)}.a.run.app`
  const ingress = s.ingress ?? 'INGRESS_TRAFFIC_ALL'
  return {
    name,
    uid: `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`,
    generation: '1',
    uri,
    urls: s.urls ?? [uri],
    ingress: intEnums ? INGRESS.indexOf(ingress) : ingress,
    ...(s.defaultUriDisabled ? { defaultUriDisabled: true } : {}),
    ...(s.invokerIamDisabled ? { invokerIamDisabled: true } : {}),
    terminalCondition: { type: 'Ready', state: intEnums ? CONDITION_SUCCEEDED : 'CONDITION_SUCCEEDED' },
    etag: `"${h.slice(32, 48)}"`
  }
}

/** handleRun answers one Cloud Run route. */
export function handleRun(
  store: Store,
  r: RunRoute,
  query: URLSearchParams
): { status: number; body: unknown } {
  // The Node client sends `$alt=json;enum-encoding=int` (§10.1).
  const intEnums = /enum-encoding=int/.test(query.get('$alt') ?? '')
  if (r.op === 'list') {
    // The v2 API documents the parent's location as "a valid Google Cloud region, and cannot be the '-'
    // wildcard" (REST reference, services.list); the exact error text is inferred from it.
    if (r.region === '-')
      throw new RunError(
        400,
        'INVALID_ARGUMENT',
        "Location must be a valid Google Cloud region, and cannot be the '-' wildcard."
      )
    const all = store.runServices(r.project, r.region)
    const size = Math.min(Math.max(Number(query.get('pageSize')) || 100, 1), 1000)
    const token = query.get('pageToken')
    const offset = token ? Number(Buffer.from(token, 'base64url').toString().replace(/^o/, '')) : 0
    if (!Number.isInteger(offset) || offset < 0)
      throw new RunError(400, 'INVALID_ARGUMENT', 'Invalid page token.')
    const page = all.slice(offset, offset + size)
    const next =
      offset + size < all.length ? Buffer.from(`o${offset + size}`).toString('base64url') : undefined
    return {
      status: 200,
      body: {
        ...(page.length
          ? { services: page.map((x) => serviceView(r.project, x.region, x.service, intEnums)) }
          : {}),
        ...(next ? { nextPageToken: next } : {})
      }
    }
  }
  const svc = store.runService(r.project, r.region, r.name!)
  if (!svc)
    throw new RunError(
      404,
      'NOT_FOUND',
      `Resource '${r.name}' of kind 'SERVICE' in region '${r.region}' in project '${r.project}' does not exist.`
    )
  if (r.op === 'get') return { status: 200, body: serviceView(r.project, r.region, svc, intEnums) }
  const members = svc.invokerMembers ?? []
  const etag = Buffer.from(digest(JSON.stringify(members)).slice(0, 16), 'hex').toString('base64')
  return {
    status: 200,
    body: {
      version: 1,
      ...(members.length ? { bindings: [{ role: 'roles/run.invoker', members }] } : {}),
      etag
    }
  }
}
