// Identities: STS token exchange of a GitHub-style OIDC JWT, IAM Credentials generateAccessToken, and
// the per-project authorisation every Compute/Run call goes through (DESIGN.md §8). Wire formats follow
// actions-ecosystem.md §1.1 (JSON camelCase, google-github-actions/auth) and §1.5 (form-encoded
// snake_case, google-auth-library). Tokens are never logged; principals are.
import { ApiError, OAuthError } from './errors.js'
import { hex } from './ids.js'
import { isObject } from './json.js'
import { evaluateCel, type CelValue } from './cel.js'
import type { Store } from './store.js'
import type { Entropy, ServiceAccountState } from './types.js'

/** Who is calling. */
export type Principal =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'static'; readonly token: string }
  | { readonly kind: 'serviceAccount'; readonly email: string }
  | {
      readonly kind: 'federated'
      /** google.subject as the provider mapped it. */
      readonly sub: string
      /** The pool: `projects/N/locations/global/workloadIdentityPools/P`. */
      readonly pool: string
      /** Mapped `attribute.NAME` values (NAME without the prefix). */
      readonly attributes: Readonly<Record<string, string>>
    }
  | { readonly kind: 'expired' }

const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange'
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token'
const SUBJECT_TYPES = ['urn:ietf:params:oauth:token-type:jwt', 'urn:ietf:params:oauth:token-type:id_token']
const AUDIENCE =
  /^\/\/iam\.googleapis\.com\/projects\/\d+\/locations\/global\/workloadIdentityPools\/[^/]+\/providers\/[^/]+$/
const SA_EMAIL = /^[^@\s]+@([a-z][-a-z0-9]*)\.iam\.gserviceaccount\.com$/
const DENIED = "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist)."
const IAM = '//iam.googleapis.com/'

/** Auth mints and recognises tokens and decides who may call which project. */
export class Auth {
  #minted = new Map<string, { principal: Principal; expiresAt: number }>()

  constructor(
    private readonly store: Store,
    private readonly entropy: Entropy
  ) {}

  /** identify reads `Authorization: Bearer ...`; anything else (or nothing) is anonymous. */
  identify(authorization: string | undefined): Principal {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')
    if (!m) return { kind: 'anonymous' }
    const token = m[1]!
    const minted = this.#minted.get(token)
    if (!minted) return { kind: 'static', token }
    return this.entropy.now() >= minted.expiresAt ? { kind: 'expired' } : minted.principal
  }

  /** label is what the request log records: never a whole token. */
  label(p: Principal): string {
    switch (p.kind) {
      case 'anonymous':
        return 'anonymous'
      case 'static':
        return `token:${p.token.slice(0, 6)}…`
      case 'serviceAccount':
        return p.email
      case 'federated':
        return `federated:${p.sub}`
      case 'expired':
        return 'expired'
    }
  }

  /**
   * mayAccess: a service account works on its own project (from its email) plus the projects
   * state.serviceAccounts grants it; federated subjects and static tokens work everywhere unless
   * state.federatedSubjects / state.tokens restrict them; anonymous calls never (the server answers 401).
   */
  mayAccess(p: Principal, project: string): boolean {
    switch (p.kind) {
      case 'anonymous':
      case 'expired':
        return false
      case 'static':
        return this.store.tokens[p.token]?.projects.includes(project) ?? true
      case 'federated':
        return this.store.federatedSubjects[p.sub]?.projects.includes(project) ?? true
      case 'serviceAccount': {
        const home = SA_EMAIL.exec(p.email)?.[1]
        return home === project || (this.store.serviceAccounts[p.email]?.projects.includes(project) ?? false)
      }
    }
  }

  /** exchange answers STS `POST /v1/token`; throws OAuthError with OAuth-style bodies. */
  exchange(raw: string, contentType: string | undefined): unknown {
    const f = readTokenRequest(raw, contentType)
    if (f.grantType !== TOKEN_EXCHANGE)
      throw new OAuthError(400, 'unsupported_grant_type', `Unsupported grant_type: '${f.grantType ?? ''}'.`)
    if (!f.audience || !AUDIENCE.test(f.audience))
      throw new OAuthError(
        400,
        'invalid_request',
        'Invalid value for "audience". This value should be the full resource name of the Identity Provider. See https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token for the list of possible formats.'
      )
    if (!f.subjectTokenType || !SUBJECT_TYPES.includes(f.subjectTokenType))
      throw new OAuthError(
        400,
        'invalid_request',
        `Invalid value for "subject_token_type": '${f.subjectTokenType ?? ''}'.`
      )
    if (f.requestedTokenType && f.requestedTokenType !== ACCESS_TOKEN_TYPE)
      throw new OAuthError(
        400,
        'invalid_request',
        `Invalid value for "requested_token_type": '${f.requestedTokenType}'.`
      )
    if (!f.subjectToken)
      throw new OAuthError(400, 'invalid_request', 'Missing required parameter: "subject_token".')
    const claims = decodeJwt(f.subjectToken)
    if (!claims)
      throw new OAuthError(400, 'invalid_grant', 'Invalid value for "subject_token": the token is not a JWT.')
    const now = this.entropy.now()
    if (typeof claims.exp !== 'number')
      throw new OAuthError(400, 'invalid_grant', 'The subject token is missing the "exp" claim.')
    if (claims.exp * 1000 <= now)
      throw new OAuthError(
        400,
        'invalid_grant',
        `The subject token has expired: exp ${claims.exp} is in the past.`
      )
    const provider = f.audience.slice(IAM.length)
    const { sub, attributes } = this.federate(provider, claims)
    // The federated token dies with the JWT, at most an hour (actions-ecosystem.md §1.1 step 5).
    const expiresIn = Math.max(1, Math.min(3600, Math.floor((claims.exp * 1000 - now) / 1000)))
    const pool = provider.replace(/\/providers\/[^/]+$/, '')
    const token = this.mint({ kind: 'federated', sub, pool, attributes }, expiresIn)
    return {
      access_token: token,
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: expiresIn
    }
  }

  /** generateAccessToken answers IAM Credentials; the caller must hold a federated STS token. */
  generateAccessToken(p: Principal, serviceAccount: string, body: unknown): unknown {
    if (p.kind === 'anonymous' || p.kind === 'expired')
      throw new ApiError(
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.'
      )
    const account = this.store.serviceAccounts[serviceAccount]
    // Google answers the same 403 whether the account is missing or the caller is not a member.
    if (p.kind !== 'federated' || !account || !SA_EMAIL.test(serviceAccount) || !isMember(p, account))
      throw new ApiError(403, 'PERMISSION_DENIED', DENIED)
    const b = isObject(body) ? body : {}
    const scope: unknown = b.scope
    if (!Array.isArray(scope) || scope.length === 0)
      throw new ApiError(400, 'INVALID_ARGUMENT', 'Scope required.')
    let lifetime = 3600
    if (b.lifetime !== undefined) {
      const m = /^(\d+)(?:\.\d+)?s$/.exec(String(b.lifetime))
      if (!m)
        throw new ApiError(400, 'INVALID_ARGUMENT', `Invalid value for lifetime: '${String(b.lifetime)}'.`)
      lifetime = Number(m[1])
      if (lifetime < 1 || lifetime > 3600)
        throw new ApiError(400, 'INVALID_ARGUMENT', 'The access token lifetime cannot exceed 3600 seconds.')
    }
    const accessToken = this.mint({ kind: 'serviceAccount', email: serviceAccount }, lifetime)
    const expireTime = new Date(this.entropy.now() + lifetime * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    return { accessToken, expireTime }
  }

  /**
   * federate applies the provider's attribute mapping to the OIDC claims and then its condition, as STS
   * does; an unknown provider, an unmapped google.subject or a rejected condition gets Google's OAuth error.
   */
  private federate(
    provider: string,
    claims: Record<string, unknown>
  ): { sub: string; attributes: Record<string, string> } {
    const config = this.store.workloadIdentityProviders[provider]
    if (!config)
      throw new OAuthError(
        400,
        'invalid_target',
        'The target service indicated by the "audience" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn\'t exist.'
      )
    const assertion = claims as CelValue
    const attributes: Record<string, string> = {}
    let sub: string | undefined
    for (const [target, expr] of Object.entries(config.attributeMapping)) {
      let value: CelValue
      try {
        value = evaluateCel(expr, { assertion })
      } catch {
        continue // a claim the token lacks: the attribute stays unset
      }
      if (typeof value !== 'string') continue
      if (target === 'google.subject') sub = value
      else if (target.startsWith('attribute.')) attributes[target.slice('attribute.'.length)] = value
    }
    if (!sub)
      throw new OAuthError(
        400,
        'invalid_grant',
        "The mapped attribute google.subject is missing or empty; check the provider's attribute mapping."
      )
    if (config.attributeCondition !== undefined) {
      let accepted: CelValue = false
      try {
        accepted = evaluateCel(config.attributeCondition, {
          assertion,
          attribute: attributes,
          google: { subject: sub }
        })
      } catch {
        accepted = false
      }
      if (accepted !== true)
        throw new OAuthError(
          400,
          'unauthorized_client',
          'The given credential is rejected by the attribute condition.'
        )
    }
    return { sub, attributes }
  }

  /** clear forgets minted tokens. */
  clear(): void {
    this.#minted.clear()
  }

  private mint(principal: Principal, seconds: number): string {
    const token = `ya29.emulator.${hex(this.entropy.random, 40)}`
    this.#minted.set(token, { principal, expiresAt: this.entropy.now() + seconds * 1000 })
    return token
  }
}

interface TokenRequest {
  grantType?: string
  audience?: string
  subjectToken?: string
  subjectTokenType?: string
  requestedTokenType?: string
}

// google-auth-library posts form-encoded snake_case, google-github-actions/auth JSON camelCase (§1.1).
function readTokenRequest(raw: string, contentType: string | undefined): TokenRequest {
  let get: (snake: string, camel: string) => string | undefined
  if (/json/i.test(contentType ?? '') || raw.trimStart().startsWith('{')) {
    let body: unknown
    try {
      body = JSON.parse(raw)
    } catch {
      throw new OAuthError(400, 'invalid_request', 'Invalid JSON payload received.')
    }
    if (!isObject(body)) throw new OAuthError(400, 'invalid_request', 'Invalid JSON payload received.')
    get = (snake, camel) => {
      const v = body[camel] ?? body[snake]
      return typeof v === 'string' ? v : undefined
    }
  } else {
    const form = new URLSearchParams(raw)
    get = (snake, camel) => form.get(snake) ?? form.get(camel) ?? undefined
  }
  return {
    grantType: get('grant_type', 'grantType'),
    audience: get('audience', 'audience'),
    subjectToken: get('subject_token', 'subjectToken'),
    subjectTokenType: get('subject_token_type', 'subjectTokenType'),
    requestedTokenType: get('requested_token_type', 'requestedTokenType')
  }
}

/**
 * isMember: does a federated principal hold roles/iam.workloadIdentityUser on the account? Members name the
 * principal's pool and either its subject, one of its attributes, or the whole pool.
 */
function isMember(p: Extract<Principal, { kind: 'federated' }>, account: ServiceAccountState): boolean {
  const base = `${IAM}${p.pool}/`
  return (account.workloadIdentityUsers ?? []).some((m) => {
    if (m === `principal:${base}subject/${p.sub}`) return true
    if (m === `principalSet:${base}*`) return true
    const attr = m.startsWith(`principalSet:${base}attribute.`)
      ? /^([^/]+)\/(.*)$/.exec(m.slice(`principalSet:${base}attribute.`.length))
      : null
    return attr !== null && p.attributes[attr[1]!] === attr[2]
  })
}

/** decodeJwt reads a JWT's payload without checking the signature (the emulator trusts any issuer). */
export function decodeJwt(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.')
  if (parts.length !== 3 || !parts[1]) return undefined
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'))
    return isObject(payload) ? payload : undefined
  } catch {
    return undefined
  }
}
