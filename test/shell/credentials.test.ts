import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { ComputeClient } from '../../src/shell/google/compute-client.js'
import {
  CachingSubjectTokenSupplier,
  credentialsFromEnv,
  DEFAULT_ENDPOINTS,
  endpointsFromEnv,
  jwtExpiry,
  staticTokenCredentials,
  workloadIdentityCredentials
} from '../../src/shell/google/credentials.js'
import type { WorkloadIdentityParameters } from '../../src/shell/google/credentials.js'
import { GoogleApiError } from '../../src/shell/google/errors.js'
import { fakeJwt, startScriptedServer } from './scripted-server.js'
import type { LoggedRequest, Scripted, ScriptedServer } from './scripted-server.js'

const PROVIDER = 'projects/123456/locations/global/workloadIdentityPools/github/providers/lb-routes'
const SA_DEFAULT = 'lb-routes@edge-prod.iam.gserviceaccount.com'
const SA_TEAM_B = 'lb-routes@team-b.iam.gserviceaccount.com'

describe('endpointsFromEnv', () => {
  test('defaults', () => {
    expect(endpointsFromEnv({})).toEqual({
      compute: 'https://compute.googleapis.com/compute/v1/',
      run: 'https://run.googleapis.com/v2/',
      sts: 'https://sts.googleapis.com/v1/',
      iamCredentials: 'https://iamcredentials.googleapis.com/v1/'
    })
    expect(endpointsFromEnv({})).toEqual(DEFAULT_ENDPOINTS)
  })

  test('custom endpoints, trailing slash ensured, blank ignored', () => {
    expect(
      endpointsFromEnv({
        GOOGLE_COMPUTE_CUSTOM_ENDPOINT: 'http://127.0.0.1:8089/compute/v1/',
        GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT: 'http://127.0.0.1:8089/v2',
        GOOGLE_STS_CUSTOM_ENDPOINT: 'http://127.0.0.1:8089/v1//',
        GOOGLE_IAM_CREDENTIALS_CUSTOM_ENDPOINT: '  '
      })
    ).toEqual({
      compute: 'http://127.0.0.1:8089/compute/v1/',
      run: 'http://127.0.0.1:8089/v2/',
      sts: 'http://127.0.0.1:8089/v1/',
      iamCredentials: 'https://iamcredentials.googleapis.com/v1/'
    })
  })
})

describe('static and env credentials', () => {
  test('static token: Bearer header for any project, no token in descriptions', async () => {
    const c = staticTokenCredentials('ya29.abc')
    expect(await c.headersFor('a')).toEqual({ authorization: 'Bearer ya29.abc' })
    expect(await c.headersFor('b')).toEqual({ authorization: 'Bearer ya29.abc' })
    expect(c.describe('a')).not.toContain('ya29')
    expect(c.accessAdvice('a', 'roles/x')).toContain('grant it roles/x on a')
  })

  test('empty static token is refused', () => {
    expect(() => staticTokenCredentials(' ')).toThrow(/empty/)
  })

  test('credentialsFromEnv: GOOGLE_OAUTH_ACCESS_TOKEN wins; otherwise ADC (created lazily, so no error here)', async () => {
    expect(await credentialsFromEnv({ GOOGLE_OAUTH_ACCESS_TOKEN: 't1' }).headersFor('p')).toEqual({
      authorization: 'Bearer t1'
    })
    const adc = credentialsFromEnv({})
    expect(adc.describe('p')).toMatch(/Application Default Credentials/)
  })
})

describe('jwtExpiry and CachingSubjectTokenSupplier', () => {
  test('jwtExpiry reads exp, tolerates garbage', () => {
    expect(jwtExpiry(fakeJwt(1234))).toBe(1234)
    expect(jwtExpiry('not-a-jwt')).toBeUndefined()
    expect(jwtExpiry('a.!!!.c')).toBeUndefined()
  })

  test('caches until < 60 s remain, refetches then; concurrent callers share one fetch', async () => {
    let now = 0
    const audiences: string[] = []
    let n = 0
    const supplier = new CachingSubjectTokenSupplier(
      async (aud) => {
        audiences.push(aud)
        return fakeJwt(300 + now / 1000, `t${++n}`) // a GitHub-like 300 s token
      },
      () => now
    )
    const ctx = {
      audience: `//iam.googleapis.com/${PROVIDER}`,
      subjectTokenType: 'jwt',
      transporter: undefined as never
    }
    const [a, b] = await Promise.all([supplier.getSubjectToken(ctx), supplier.getSubjectToken(ctx)])
    expect(a).toBe(b)
    expect(n).toBe(1)
    expect(audiences).toEqual([`https://iam.googleapis.com/${PROVIDER}`])
    now = 239_000 // 61 s left
    expect(await supplier.getSubjectToken(ctx)).toBe(a)
    expect(n).toBe(1)
    now = 241_000 // 59 s left
    const c = await supplier.getSubjectToken(ctx)
    expect(c).not.toBe(a)
    expect(n).toBe(2)
  })

  test('a token without exp is not cached', async () => {
    let n = 0
    const supplier = new CachingSubjectTokenSupplier(async () => `opaque-${++n}`)
    const ctx = { audience: '//x', subjectTokenType: 'jwt', transporter: undefined as never }
    await supplier.getSubjectToken(ctx)
    await supplier.getSubjectToken(ctx)
    expect(n).toBe(2)
  })
})

describe('workloadIdentityCredentials against a scripted STS + IAM + Compute', () => {
  let server: ScriptedServer
  let stsCount = 0
  const overrides: Array<(req: LoggedRequest) => Scripted | undefined> = []

  beforeAll(async () => {
    server = await startScriptedServer()
    server.fallback((req) => {
      for (const o of overrides) {
        const r = o(req)
        if (r) return r
      }
      if (req.path === '/sts/v1/token') {
        stsCount++
        return {
          body: {
            access_token: `federated-${stsCount}`,
            issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
            token_type: 'Bearer',
            expires_in: 3600
          }
        }
      }
      const iam = /^\/iam\/v1\/projects\/-\/serviceAccounts\/(.+):generateAccessToken$/.exec(req.path)
      if (req.method === 'POST' && iam) {
        return {
          body: {
            accessToken: `sa-token-${decodeURIComponent(iam[1]!)}`,
            expireTime: new Date(Date.now() + 3600_000).toISOString()
          }
        }
      }
      if (req.path.startsWith('/compute/v1/')) return { body: { name: 'edge' } }
      return {
        status: 404,
        body: { error: { code: 404, message: `no route ${req.path}`, status: 'NOT_FOUND' } }
      }
    })
  })
  afterAll(async () => {
    await server.close()
  })
  beforeEach(() => {
    server.requests.length = 0
    stsCount = 0
    overrides.length = 0
  })

  function wif(over: Partial<WorkloadIdentityParameters> = {}): {
    fetched: string[]
    params: WorkloadIdentityParameters
  } {
    const fetched: string[] = []
    const params: WorkloadIdentityParameters = {
      provider: PROVIDER,
      subjectToken: async (aud) => {
        fetched.push(aud)
        return fakeJwt(Math.floor(Date.now() / 1000) + 300, 'repo:org/app:ref:refs/heads/main')
      },
      stsEndpoint: `${server.url}sts/v1/`,
      iamCredentialsEndpoint: `${server.url}iam/v1`,
      ...over
    }
    return { fetched, params }
  }

  const compute = (credentials: ReturnType<typeof workloadIdentityCredentials>): ComputeClient =>
    new ComputeClient({ endpoint: `${server.url}compute/v1/`, credentials, retry: { attempts: 1 } })

  test('per-project SA: STS form body, impersonation with the federated token, SA token on Compute calls', async () => {
    const { fetched, params } = wif({
      serviceAccount: SA_DEFAULT,
      serviceAccountsByProject: { 'team-b': SA_TEAM_B }
    })
    const creds = workloadIdentityCredentials(params)
    const c = compute(creds)
    await c.getUrlMap('edge-prod', 'edge')
    await c.getBackendService('team-b', 'bs')
    await c.getUrlMap('edge-prod', 'edge') // cached identity: no new exchange

    const sts = server.requests.filter((r) => r.path === '/sts/v1/token')
    const iam = server.requests.filter((r) => r.path.includes(':generateAccessToken'))
    const api = server.requests.filter((r) => r.path.startsWith('/compute/'))
    expect(sts).toHaveLength(2) // one exchange per identity
    expect(iam).toHaveLength(2)
    expect(api).toHaveLength(3)

    expect(sts[0]!.method).toBe('POST')
    expect(sts[0]!.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/)
    const form = Object.fromEntries(new URLSearchParams(sts[0]!.body))
    expect(form).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      audience: `//iam.googleapis.com/${PROVIDER}`,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      subject_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.sig$/),
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt'
    })

    expect(decodeURIComponent(iam[0]!.path)).toBe(
      `/iam/v1/projects/-/serviceAccounts/${SA_DEFAULT}:generateAccessToken`
    )
    expect(iam[0]!.headers.authorization).toBe('Bearer federated-1')
    expect(JSON.parse(iam[0]!.body)).toEqual({
      scope: ['https://www.googleapis.com/auth/cloud-platform'],
      lifetime: '3600s'
    })
    expect(decodeURIComponent(iam[1]!.path)).toContain(SA_TEAM_B)

    expect(api.map((r) => r.headers.authorization)).toEqual([
      `Bearer sa-token-${SA_DEFAULT}`,
      `Bearer sa-token-${SA_TEAM_B}`,
      `Bearer sa-token-${SA_DEFAULT}`
    ])
    // One OIDC token served both identities (cached supplier), fetched for the https: audience.
    expect(fetched).toEqual([`https://iam.googleapis.com/${PROVIDER}`])

    expect(creds.serviceAccountFor('edge-prod')).toBe(SA_DEFAULT)
    expect(creds.serviceAccountFor('team-b')).toBe(SA_TEAM_B)
    expect(creds.serviceAccountFor('elsewhere')).toBe(SA_DEFAULT)
    expect(creds.describe('team-b')).toBe(`service account ${SA_TEAM_B}`)
  })

  test('direct WIF (no SA): the federated token is used as-is', async () => {
    const { params } = wif()
    const creds = workloadIdentityCredentials(params)
    await compute(creds).getUrlMap('edge-prod', 'edge')
    expect(server.requests.some((r) => r.path.includes(':generateAccessToken'))).toBe(false)
    expect(server.requests.find((r) => r.path.startsWith('/compute/'))!.headers.authorization).toBe(
      'Bearer federated-1'
    )
    expect(creds.serviceAccountFor('edge-prod')).toBeUndefined()
    expect(creds.describe('edge-prod')).toMatch(/direct WIF/)
  })

  test('a 403 on project P names the SA and the per-project map input', async () => {
    const { params } = wif({ serviceAccount: SA_DEFAULT })
    overrides.push((req) =>
      req.path.startsWith('/compute/v1/projects/team-c/')
        ? {
            status: 403,
            body: { error: { code: 403, message: 'Required permission', errors: [{ reason: 'forbidden' }] } }
          }
        : undefined
    )
    const err = (await compute(workloadIdentityCredentials(params))
      .getUrlMap('team-c', 'x')
      .catch((e: unknown) => e)) as GoogleApiError
    expect(err.status).toBe(403)
    expect(err.hint).toBe(
      `service account ${SA_DEFAULT} has no access to project team-c; set input service-accounts (a per-project map) ` +
        `or grant roles/compute.loadBalancerAdmin on team-c to ${SA_DEFAULT}`
    )
  })

  test('STS rejection → GoogleApiError sts.token with the OAuth reason, no token in the message', async () => {
    const { params } = wif({ serviceAccount: SA_DEFAULT })
    overrides.push((req) =>
      req.path === '/sts/v1/token'
        ? {
            status: 400,
            body: { error: 'invalid_grant', error_description: 'The audience in ID Token does not match' }
          }
        : undefined
    )
    const err = (await workloadIdentityCredentials(params)
      .headersFor('edge-prod')
      .catch((e: unknown) => e)) as GoogleApiError
    expect(err).toBeInstanceOf(GoogleApiError)
    expect(err.method).toBe('sts.token')
    expect(err.status).toBe(400)
    expect(err.reason).toBe('invalid_grant')
    expect(err.apiMessage).toBe('The audience in ID Token does not match')
    expect(err.message).toContain(`${server.url}sts/v1/token`)
    expect(err.message).not.toMatch(/\.sig|eyJ/)
    expect(err.cause).toBeUndefined()
  })

  test('impersonation denied → GoogleApiError naming generateAccessToken and the SA', async () => {
    const { params } = wif({ serviceAccount: SA_DEFAULT })
    overrides.push((req) =>
      req.path.includes(':generateAccessToken')
        ? {
            status: 403,
            body: {
              error: {
                code: 403,
                message:
                  "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
                status: 'PERMISSION_DENIED'
              }
            }
          }
        : undefined
    )
    const err = (await workloadIdentityCredentials(params)
      .headersFor('edge-prod')
      .catch((e: unknown) => e)) as GoogleApiError
    expect(err.method).toBe('iamcredentials.serviceAccounts.generateAccessToken')
    expect(err.status).toBe(403)
    expect(err.reason).toBe('PERMISSION_DENIED')
    expect(err.message).toContain(`service account ${SA_DEFAULT}`)
    expect(err.message).toContain('roles/iam.workloadIdentityUser')
    expect(err.message).not.toContain('federated-')
  })

  test('provider must be a full provider name with a project number', () => {
    const { params } = wif()
    expect(() =>
      workloadIdentityCredentials({
        ...params,
        provider: 'projects/my-proj/locations/global/workloadIdentityPools/p'
      })
    ).toThrow(/PROJECT_NUMBER/)
    expect(() =>
      workloadIdentityCredentials({ ...params, provider: `//iam.googleapis.com/${PROVIDER}` })
    ).not.toThrow()
  })
})
