// Credentials per project: which identity signs the calls made for a given Google Cloud project, and the
// Authorization header for it. One source serves every client; each identity's token is cached by
// google-auth-library (eager refresh before expiry), so asking per call is cheap.
import type {
  ExternalAccountSupplierContext,
  GoogleAuth,
  IdentityPoolClient,
  SubjectTokenSupplier
} from 'google-auth-library'

// google-auth-library is loaded on first use: a static token (GOOGLE_OAUTH_ACCESS_TOKEN) never needs it,
// and not loading it up front shortens every start (the action's cold start budget is 300 ms).
const authLibrary = () => import('google-auth-library')
import { GoogleApiError } from './errors.js'

const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform'

/** Default base URLs (each ends in `/`). */
export const DEFAULT_ENDPOINTS: Endpoints = {
  compute: 'https://compute.googleapis.com/compute/v1/',
  run: 'https://run.googleapis.com/v2/',
  sts: 'https://sts.googleapis.com/v1/',
  iamCredentials: 'https://iamcredentials.googleapis.com/v1/'
}

/** Base URLs of the Google APIs lb-routes calls; each ends in `/`. */
export interface Endpoints {
  readonly compute: string
  readonly run: string
  readonly sts: string
  readonly iamCredentials: string
}

/** CredentialSource yields request headers for calls made on a project, and names the identity used. */
export interface CredentialSource {
  /** Headers (Authorization, maybe x-goog-user-project) for a call on `project`. Never logged. */
  headersFor(project: string): Promise<Record<string, string>>
  /** Human description of the identity used on `project` ("service account x@y"), never a token. */
  describe(project: string): string
  /** What to change when that identity is denied (HTTP 403) on `project`; `role` is what the call needs. */
  accessAdvice(project: string, role: string): string
}

/** staticTokenCredentials uses one OAuth access token for every project (GOOGLE_OAUTH_ACCESS_TOKEN). */
export function staticTokenCredentials(token: string): CredentialSource {
  if (!token.trim()) throw new Error('GOOGLE_OAUTH_ACCESS_TOKEN is set but empty')
  const headers = { authorization: `Bearer ${token.trim()}` }
  return {
    headersFor: async () => ({ ...headers }),
    describe: () => 'the identity of GOOGLE_OAUTH_ACCESS_TOKEN',
    accessAdvice: (project, role) =>
      `the identity of GOOGLE_OAUTH_ACCESS_TOKEN has no access to project ${project}; grant it ${role} on ${project} or use another token`
  }
}

/** adcCredentials uses Application Default Credentials (cloud-platform scope), created on first use. */
export function adcCredentials(): CredentialSource {
  let auth: Promise<GoogleAuth> | undefined
  return {
    async headersFor(): Promise<Record<string, string>> {
      auth ??= authLibrary().then(({ GoogleAuth }) => new GoogleAuth({ scopes: [CLOUD_PLATFORM] }))
      try {
        return headersToRecord(await (await auth).getRequestHeaders())
      } catch (err) {
        throw authError(err, 'Application Default Credentials')
      }
    },
    describe: () => 'the Application Default Credentials identity',
    accessAdvice: (project, role) =>
      `the Application Default Credentials identity has no access to project ${project}; grant it ${role} on ${project}` +
      ' (see `gcloud auth application-default login`)'
  }
}

/** credentialsFromEnv: GOOGLE_OAUTH_ACCESS_TOKEN when set, else ADC (the GitHub Action wires WIF itself). */
export function credentialsFromEnv(env: Readonly<Record<string, string | undefined>>): CredentialSource {
  const token = env.GOOGLE_OAUTH_ACCESS_TOKEN
  return token ? staticTokenCredentials(token) : adcCredentials()
}

/** endpointsFromEnv reads the Terraform-style custom endpoint variables (DESIGN.md §7), adding a trailing `/`. */
export function endpointsFromEnv(env: Readonly<Record<string, string | undefined>>): Endpoints {
  const pick = (name: string, fallback: string): string => withSlash(env[name]?.trim() || fallback)
  return {
    compute: pick('GOOGLE_COMPUTE_CUSTOM_ENDPOINT', DEFAULT_ENDPOINTS.compute),
    run: pick('GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT', DEFAULT_ENDPOINTS.run),
    sts: pick('GOOGLE_STS_CUSTOM_ENDPOINT', DEFAULT_ENDPOINTS.sts),
    iamCredentials: pick('GOOGLE_IAM_CREDENTIALS_CUSTOM_ENDPOINT', DEFAULT_ENDPOINTS.iamCredentials)
  }
}

/** withSlash returns `url` ending in exactly one `/`. */
export function withSlash(url: string): string {
  return url.replace(/\/+$/, '') + '/'
}

/** Parameters of workloadIdentityCredentials. */
export interface WorkloadIdentityParameters {
  /** `projects/NUM/locations/global/workloadIdentityPools/POOL/providers/PROV` (project number, not id). */
  readonly provider: string
  /** Service account to impersonate on projects not in `serviceAccountsByProject`; none = direct WIF. */
  readonly serviceAccount?: string
  /** Service account per project id; wins over `serviceAccount`. */
  readonly serviceAccountsByProject?: Readonly<Record<string, string>>
  /**
   * Fetches a fresh OIDC JWT for `audience` (`https://iam.googleapis.com/<provider>`), e.g.
   * `(aud) => core.getIDToken(aud)`. Results are cached until less than 60 s of their `exp` remain.
   */
  readonly subjectToken: (audience: string) => Promise<string>
  /** STS base URL ending in `/`; the token URL is `${stsEndpoint}token`. */
  readonly stsEndpoint?: string
  /** IAM Credentials base URL ending in `/`. */
  readonly iamCredentialsEndpoint?: string
  /** Lifetime asked for impersonated tokens (default 3600; more needs an org policy). */
  readonly tokenLifetimeSeconds?: number
  /** Clock in ms since the epoch, for the subject-token cache (default Date.now). */
  readonly now?: () => number
}

/** CredentialSource over Workload Identity Federation that also says which service account serves a project. */
export interface WorkloadIdentityCredentials extends CredentialSource {
  /** Service account impersonated on `project`, or undefined for direct WIF (federated token). */
  serviceAccountFor(project: string): string | undefined
}

const PROVIDER_RE = /^projects\/(\d+)\/locations\/global\/workloadIdentityPools\/([^/]+)\/providers\/([^/]+)$/

/**
 * workloadIdentityCredentials federates an OIDC token (GitHub's) through STS and, per project, impersonates
 * that project's service account (or uses the federated token directly when none is configured).
 */
export function workloadIdentityCredentials(params: WorkloadIdentityParameters): WorkloadIdentityCredentials {
  const provider = params.provider.trim().replace(/^(https:)?\/\/iam\.googleapis\.com\//, '')
  if (!PROVIDER_RE.test(provider)) {
    throw new Error(
      `workload identity provider "${params.provider}" must look like ` +
        'projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/POOL/providers/PROVIDER (the project number, not its id)'
    )
  }
  // STS audience is `//iam.googleapis.com/...`; the OIDC token's audience is the same with `https:`
  // (actions-ecosystem.md §1.1, §1.5).
  const audience = `//iam.googleapis.com/${provider}`
  const tokenUrl = `${withSlash(params.stsEndpoint ?? DEFAULT_ENDPOINTS.sts)}token`
  const iam = withSlash(params.iamCredentialsEndpoint ?? DEFAULT_ENDPOINTS.iamCredentials)
  const supplier = new CachingSubjectTokenSupplier(params.subjectToken, params.now ?? Date.now)
  const byProject = params.serviceAccountsByProject ?? {}
  // One client per identity (key '' = direct WIF): they share the supplier, so one OIDC token serves them
  // all, and each caches its own access token. A separate IdentityPoolClient per service account with
  // serviceAccountImpersonationUrl is preferred over `Impersonated`, which console.warns on every
  // construction (actions-ecosystem.md §1.5).
  const clients = new Map<string, Promise<IdentityPoolClient>>()

  const serviceAccountFor = (project: string): string | undefined =>
    byProject[project] ?? params.serviceAccount
  const clientFor = (sa: string | undefined): Promise<IdentityPoolClient> => {
    const key = sa ?? ''
    let client = clients.get(key)
    if (!client) {
      client = authLibrary().then(
        ({ IdentityPoolClient }) =>
          new IdentityPoolClient({
            audience,
            subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
            subject_token_supplier: supplier,
            token_url: tokenUrl,
            scopes: [CLOUD_PLATFORM],
            ...(sa && {
              service_account_impersonation_url: `${iam}projects/-/serviceAccounts/${sa}:generateAccessToken`,
              service_account_impersonation: { token_lifetime_seconds: params.tokenLifetimeSeconds ?? 3600 }
            })
          })
      )
      clients.set(key, client)
    }
    return client
  }
  const describe = (project: string): string => {
    const sa = serviceAccountFor(project)
    return sa ? `service account ${sa}` : `the workload identity principal of ${provider} (direct WIF)`
  }

  return {
    serviceAccountFor,
    describe,
    accessAdvice: (project, role) =>
      `${describe(project)} has no access to project ${project}; set input service-accounts (a per-project map) ` +
      `or grant ${role} on ${project} to ${serviceAccountFor(project) ?? 'the principalSet of the pool'}`,
    async headersFor(project: string): Promise<Record<string, string>> {
      const sa = serviceAccountFor(project)
      try {
        return headersToRecord(await (await clientFor(sa)).getRequestHeaders())
      } catch (err) {
        throw authError(
          err,
          sa ? `service account ${sa} (for project ${project})` : `direct WIF (for project ${project})`
        )
      }
    }
  }
}

/**
 * CachingSubjectTokenSupplier hands google-auth-library the OIDC JWT, fetching a new one only when the
 * cached one has less than 60 s left (GitHub's live 300 s; the library itself never caches, §1.5).
 * Concurrent callers share one fetch.
 */
export class CachingSubjectTokenSupplier implements SubjectTokenSupplier {
  readonly #fetch: (audience: string) => Promise<string>
  readonly #now: () => number
  #cached: { readonly token: string; readonly expMs: number } | undefined
  #pending: Promise<string> | undefined

  constructor(fetchToken: (audience: string) => Promise<string>, now: () => number = Date.now) {
    this.#fetch = fetchToken
    this.#now = now
  }

  async getSubjectToken(context: ExternalAccountSupplierContext): Promise<string> {
    if (this.#cached && this.#cached.expMs - this.#now() > 60_000) return this.#cached.token
    this.#pending ??= this.#refresh('https:' + context.audience).finally(() => (this.#pending = undefined))
    return this.#pending
  }

  async #refresh(audience: string): Promise<string> {
    const token = await this.#fetch(audience)
    const exp = jwtExpiry(token)
    // A token without a readable exp is used once and not cached.
    this.#cached = exp === undefined ? undefined : { token, expMs: exp * 1000 }
    return token
  }
}

/** jwtExpiry reads `exp` (seconds since the epoch) from a JWT's payload without verifying it. */
export function jwtExpiry(jwt: string): number | undefined {
  const payload = jwt.split('.')[1]
  if (!payload) return undefined
  try {
    const exp: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).exp
    return typeof exp === 'number' && Number.isFinite(exp) ? exp : undefined
  } catch {
    return undefined
  }
}

function headersToRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  headers.forEach((value, key) => (out[key] = value))
  return out
}

// authError rewraps a google-auth-library failure as a GoogleApiError built only from the response status,
// the OAuth/Google error fields and the URL: the original GaxiosError carries the request (subject token,
// federated bearer token) in its config, so it is deliberately not attached as `cause`.
function authError(err: unknown, who: string): Error {
  const e = err as {
    message?: unknown
    config?: { url?: unknown; method?: unknown }
    response?: { status?: unknown; data?: unknown }
  }
  const url = typeof e?.config?.url === 'string' ? e.config.url : String(e?.config?.url ?? '')
  const status = typeof e?.response?.status === 'number' ? e.response.status : 0
  if (!url && status === 0) {
    // Not an HTTP failure (no ADC configured, bad supplier, ...): the message is the library's own.
    const text = String(e?.message ?? err)
    if (/Could not load the default credentials/.test(text))
      return new Error(
        'no Google credentials found: set GOOGLE_OAUTH_ACCESS_TOKEN, or run `gcloud auth application-default login`, ' +
          'or try it against the bundled emulator (lb-routes emulator; see docs/emulator.md)'
      )
    return new Error(`cannot get credentials for ${who}: ${text}`)
  }
  const isIam = url.includes(':generateAccessToken')
  const { reason, message } = describeAuthBody(e.response?.data)
  return new GoogleApiError({
    method: isIam ? 'iamcredentials.serviceAccounts.generateAccessToken' : 'sts.token',
    httpMethod: typeof e.config?.method === 'string' ? e.config.method.toUpperCase() : 'POST',
    url,
    status,
    reason,
    apiMessage:
      message ?? (status === 0 ? `connection failed: ${String(e?.message ?? err)}` : 'request failed'),
    hint: isIam
      ? `cannot impersonate ${who}: the pool's principalSet needs roles/iam.workloadIdentityUser on the service account`
      : `token exchange for ${who} failed: check the workload identity provider and its attribute condition`
  })
}

function describeAuthBody(data: unknown): { reason?: string; message?: string } {
  if (!data || typeof data !== 'object')
    return typeof data === 'string' && data ? { message: data.slice(0, 500) } : {}
  const d = data as { error?: unknown; error_description?: unknown }
  // OAuth (STS): {error: "invalid_grant", error_description: "..."}
  if (typeof d.error === 'string') {
    return {
      reason: d.error,
      message: typeof d.error_description === 'string' ? d.error_description : d.error
    }
  }
  // Google (IAM Credentials): {error: {code, message, status}}
  if (d.error && typeof d.error === 'object') {
    const g = d.error as { message?: unknown; status?: unknown }
    return {
      reason: typeof g.status === 'string' ? g.status : undefined,
      message: typeof g.message === 'string' ? g.message : undefined
    }
  }
  return {}
}
