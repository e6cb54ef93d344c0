// Thin typed client for the Cloud Run Admin v2 reads lb-routes needs for its preflight: the services of a
// region (uri, ingress, default URI) and a service's IAM policy (is allUsers an invoker?). gce-api.md §10.
import { withSlash } from './credentials.js'
import { RestTransport } from './http.js'
import type { ClientParameters } from './http.js'

/** Cloud Run ingress setting, always as the enum name. */
export type RunIngress =
  | 'INGRESS_TRAFFIC_UNSPECIFIED'
  | 'INGRESS_TRAFFIC_ALL'
  | 'INGRESS_TRAFFIC_INTERNAL_ONLY'
  | 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'
  | 'INGRESS_TRAFFIC_NONE'

/** The parts of a Cloud Run v2 Service the preflight reads. */
export interface RunService {
  /** Full name, `projects/P/locations/R/services/S`. */
  readonly name: string
  /** Main URL (`https://…run.app`); absent while no revision serves. */
  readonly uri: string | undefined
  /** All URLs serving traffic (deterministic and legacy `*.a.run.app` forms). */
  readonly urls: readonly string[]
  readonly ingress: RunIngress
  /** True when the run.app URL is disabled: an Internet NEG route cannot reach the service (§10.2). */
  readonly defaultUriDisabled: boolean
  /** True when invoker IAM checks are off (public without an allUsers binding). */
  readonly invokerIamDisabled: boolean
}

/** One IAM binding (role → members, maybe conditional). */
export interface IamBinding {
  readonly role: string
  readonly members: readonly string[]
  readonly condition?: unknown
}

/** An IAM policy as getIamPolicy returns it (only the fields used). */
export interface IamPolicy {
  readonly bindings: readonly IamBinding[]
  readonly etag?: string
  readonly version?: number
}

// Ingress enum numbers, for servers that answer `$alt=json;enum-encoding=int` style (§10.1).
const INGRESS_BY_NUMBER: readonly RunIngress[] = [
  'INGRESS_TRAFFIC_UNSPECIFIED',
  'INGRESS_TRAFFIC_ALL',
  'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
  'INGRESS_TRAFFIC_NONE'
]

/** normaliseIngress maps a numeric or string ingress to its enum name (unknown → UNSPECIFIED). */
export function normaliseIngress(value: unknown): RunIngress {
  if (typeof value === 'number') return INGRESS_BY_NUMBER[value] ?? 'INGRESS_TRAFFIC_UNSPECIFIED'
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return normaliseIngress(Number(value))
    if ((INGRESS_BY_NUMBER as readonly string[]).includes(value)) return value as RunIngress
  }
  return 'INGRESS_TRAFFIC_UNSPECIFIED'
}

/** isPubliclyInvokable: allUsers holds roles/run.invoker unconditionally (needed behind an Internet NEG, §10.2). */
export function isPubliclyInvokable(policy: IamPolicy): boolean {
  return policy.bindings.some(
    (b) => b.role === 'roles/run.invoker' && b.condition === undefined && b.members.includes('allUsers')
  )
}

const enc = encodeURIComponent

/** toRunService reads the fields the preflight needs from a v2 Service body (`name` when the body lacks one). */
function toRunService(raw: Record<string, unknown>, name: string): RunService {
  return {
    name: typeof raw.name === 'string' ? raw.name : name,
    uri: typeof raw.uri === 'string' && raw.uri ? raw.uri : undefined,
    urls: Array.isArray(raw.urls) ? raw.urls.filter((u): u is string => typeof u === 'string') : [],
    ingress: normaliseIngress(raw.ingress),
    defaultUriDisabled: raw.defaultUriDisabled === true,
    invokerIamDisabled: raw.invokerIamDisabled === true
  }
}

/** RunClient reads Cloud Run Admin v2 services and their IAM policies. */
export class RunClient {
  readonly #t: RestTransport
  readonly #base: string

  constructor(params: ClientParameters) {
    this.#t = new RestTransport({ ...params, accessRole: 'roles/run.viewer' })
    this.#base = withSlash(params.endpoint)
  }

  /** getService returns the service with ingress normalised to its enum name (404 → GoogleApiError). */
  async getService(project: string, region: string, name: string): Promise<RunService> {
    const raw = await this.#t.call<Record<string, unknown>>({
      method: 'run.projects.locations.services.get',
      httpMethod: 'GET',
      url: this.#serviceUrl(project, region, name),
      project
    })
    return toRunService(raw, `projects/${project}/locations/${region}/services/${name}`)
  }

  /**
   * listServices returns every service of one region, following nextPageToken (pages of 500). Run v2 refuses
   * the `locations/-` wildcard, so a plan lists once per (project, region) it targets.
   */
  async listServices(project: string, region: string): Promise<RunService[]> {
    const out: RunService[] = []
    let pageToken: string | undefined
    do {
      const page = await this.#t.call<{ services?: unknown; nextPageToken?: unknown }>({
        method: 'run.projects.locations.services.list',
        httpMethod: 'GET',
        url: `${this.#base}projects/${enc(project)}/locations/${enc(region)}/services`,
        query: { pageSize: 500, pageToken },
        project
      })
      for (const raw of Array.isArray(page.services) ? (page.services as Record<string, unknown>[]) : [])
        if (typeof raw?.name === 'string') out.push(toRunService(raw, raw.name))
      pageToken =
        typeof page.nextPageToken === 'string' && page.nextPageToken ? page.nextPageToken : undefined
    } while (pageToken)
    return out
  }

  /** getIamPolicy returns the service's IAM policy (no bindings → empty list). */
  async getIamPolicy(project: string, region: string, name: string): Promise<IamPolicy> {
    // `:getIamPolicy` is a custom verb on the resource: the colon stays literal (AIP-136).
    const raw = await this.#t.call<{ bindings?: unknown; etag?: unknown; version?: unknown }>({
      method: 'run.projects.locations.services.getIamPolicy',
      httpMethod: 'GET',
      url: `${this.#serviceUrl(project, region, name)}:getIamPolicy`,
      project
    })
    const bindings: IamBinding[] = []
    for (const b of Array.isArray(raw.bindings) ? (raw.bindings as unknown[]) : []) {
      const x = b as { role?: unknown; members?: unknown; condition?: unknown }
      if (typeof x?.role !== 'string') continue
      const members = Array.isArray(x.members)
        ? x.members.filter((m): m is string => typeof m === 'string')
        : []
      bindings.push({ role: x.role, members, ...(x.condition != null ? { condition: x.condition } : {}) })
    }
    return {
      bindings,
      ...(typeof raw.etag === 'string' ? { etag: raw.etag } : {}),
      ...(typeof raw.version === 'number' ? { version: raw.version } : {})
    }
  }

  #serviceUrl(project: string, region: string, name: string): string {
    return `${this.#base}projects/${enc(project)}/locations/${enc(region)}/services/${enc(name)}`
  }
}
