// STS + IAM Credentials (actions-ecosystem.md §1.1, §1.5) and per-project authorisation (DESIGN.md §8).
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { UrlMapsClient } from '@google-cloud/compute'
import { IdentityPoolClient } from 'google-auth-library'
import type { Emulator } from '../../src/emulator/server.js'
import type { EmulatorState } from '../../src/emulator/types.js'
import { C, Caller, reason, seedLb, start } from './helpers.js'

const AUDIENCE =
  '//iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/github/providers/gh'
const SA = 'deployer@team-a.iam.gserviceaccount.com'
const POOL = 'principalSet://iam.googleapis.com/projects/123456/locations/global/workloadIdentityPools/github'
const STATE: EmulatorState = {
  projects: {},
  workloadIdentityProviders: {
    [AUDIENCE.slice('//iam.googleapis.com/'.length)]: {
      attributeMapping: { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository' }
    }
  },
  serviceAccounts: {
    [SA]: { projects: ['shared'], workloadIdentityUsers: [`${POOL}/attribute.repository/org/repo`] },
    'other@team-b.iam.gserviceaccount.com': { projects: [], workloadIdentityUsers: [`${POOL}/*`] }
  },
  tokens: { 'restricted-token': { projects: ['team-a'] } },
  federatedSubjects: { 'repo:org/limited:ref:refs/heads/main': { projects: ['team-b'] } }
}

/** fakeJwt builds an unsigned GitHub-style OIDC token. */
function fakeJwt(claims: Record<string, unknown>): string {
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
  return `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({ iss: 'https://token.actions.githubusercontent.com', aud: `https:${AUDIENCE}`, ...claims })}.c2ln`
}
const nowSec = (): number => Math.floor(Date.now() / 1000)
const ghJwt = (sub = 'repo:org/repo:ref:refs/heads/main', exp = nowSec() + 300): string =>
  fakeJwt({ sub, exp, repository: sub.split(':')[1] })

let emu: Emulator
let c: Caller
beforeEach(async () => {
  ;({ emu, c } = await start({ state: STATE }))
  for (const p of ['team-a', 'team-b', 'shared']) await seedLb(c, p)
})
afterEach(() => emu.close())

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString()
const sts = (body: string, contentType = 'application/x-www-form-urlencoded;charset=UTF-8') =>
  fetch(`${emu.url}/v1/token`, { method: 'POST', body, headers: { 'content-type': contentType } }).then(
    async (r) => ({ status: r.status, body: (await r.json()) as any })
  )
const exchangeFields = (jwt: string): Record<string, string> => ({
  grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
  audience: AUDIENCE,
  scope: 'https://www.googleapis.com/auth/cloud-platform',
  requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
  subject_token: jwt,
  subject_token_type: 'urn:ietf:params:oauth:token-type:jwt'
})

describe('google-auth-library IdentityPoolClient → STS → IAM Credentials → Compute', () => {
  test('the SA token works on its project (and granted ones) and is forbidden elsewhere', async () => {
    const authClient = new IdentityPoolClient({
      audience: AUDIENCE,
      subjectTokenType: 'urn:ietf:params:oauth:token-type:jwt',
      subjectTokenSupplier: { getSubjectToken: async () => ghJwt() },
      tokenUrl: `${emu.url}/v1/token`,
      serviceAccountImpersonationUrl: `${emu.url}/v1/projects/-/serviceAccounts/${SA}:generateAccessToken`
    })
    const maps = new UrlMapsClient({ apiEndpoint: '127.0.0.1', port: emu.port, protocol: 'http', authClient })
    const [map] = await maps.get({ project: 'team-a', urlMap: 'um' }, { timeout: 5000 })
    expect(map.name).toBe('um')
    await maps.get({ project: 'shared', urlMap: 'um' }, { timeout: 5000 })
    let err: any
    try {
      await maps.get({ project: 'team-b', urlMap: 'um' }, { timeout: 5000 })
    } catch (e) {
      err = e
    }
    expect(err?.code).toBe(7)
    const raw = err[Symbol.for('google-gax.rawHttpResponsePayload')]
    const body = typeof raw === 'string' ? JSON.parse(raw) : raw
    expect(body.error.errors[0]).toEqual({
      message: "Required 'compute.urlMaps.get' permission for 'projects/team-b/global/urlMaps/um'",
      domain: 'global',
      reason: 'forbidden'
    })
    const log = emu.requests()
    expect(log.map((e) => e.api)).toEqual(
      expect.arrayContaining(['sts.token', 'iamcredentials.generateAccessToken', 'compute.urlMaps.get'])
    )
    expect(log.filter((e) => e.api === 'compute.urlMaps.get').map((e) => [e.principal, e.status])).toEqual([
      [SA, 200],
      [SA, 200],
      [SA, 403]
    ])
    expect(log.find((e) => e.api === 'iamcredentials.generateAccessToken')?.principal).toBe(
      'federated:repo:org/repo:ref:refs/heads/main'
    )
    expect(JSON.stringify(log)).not.toContain('ya29.')
  })
})

describe('STS', () => {
  test('form-encoded (google-auth-library) and JSON camelCase (google-github-actions/auth) exchanges', async () => {
    const a = await sts(form(exchangeFields(ghJwt())))
    expect(a.status).toBe(200)
    expect(a.body).toMatchObject({
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      token_type: 'Bearer'
    })
    expect(a.body.expires_in).toBeGreaterThan(200)
    expect(a.body.expires_in).toBeLessThanOrEqual(300)
    const b = await sts(
      JSON.stringify({
        audience: AUDIENCE,
        grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
        requestedTokenType: 'urn:ietf:params:oauth:token-type:access_token',
        scope: 'https://www.googleapis.com/auth/cloud-platform',
        subjectTokenType: 'urn:ietf:params:oauth:token-type:jwt',
        subjectToken: ghJwt()
      }),
      'application/json'
    )
    expect(b.status).toBe(200)
    // Direct WIF: the federated token works on every project...
    for (const p of ['team-a', 'team-b'])
      expect(
        (await c.get(`${C}/${p}/global/urlMaps/um`, { authorization: `Bearer ${b.body.access_token}` }))
          .status
      ).toBe(200)
    // ...unless state.federatedSubjects restricts the subject.
    const limited = (await sts(form(exchangeFields(ghJwt('repo:org/limited:ref:refs/heads/main'))))).body
      .access_token
    expect(
      (await c.get(`${C}/team-b/global/urlMaps/um`, { authorization: `Bearer ${limited}` })).status
    ).toBe(200)
    const denied = await c.get(`${C}/team-a/global/urlMaps/um`, { authorization: `Bearer ${limited}` })
    expect(denied.status).toBe(403)
    expect(reason(denied)).toBe('forbidden')
  })

  test('OAuth-style errors: audience format, expired or malformed JWT, grant type', async () => {
    const bad = await sts(
      form({
        ...exchangeFields(ghJwt()),
        audience: 'projects/123/locations/global/workloadIdentityPools/github'
      })
    )
    expect(bad.status).toBe(400)
    expect(bad.body.error).toBe('invalid_request')
    expect(bad.body.error_description).toMatch(/^Invalid value for "audience"/)
    const expired = await sts(form(exchangeFields(ghJwt('s', nowSec() - 10))))
    expect(expired.status).toBe(400)
    expect(expired.body.error).toBe('invalid_grant')
    const malformed = await sts(form(exchangeFields('not-a-jwt')))
    expect(malformed.status).toBe(400)
    expect(malformed.body.error).toBe('invalid_grant')
    const grant = await sts(form({ ...exchangeFields(ghJwt()), grant_type: 'client_credentials' }))
    expect(grant.status).toBe(400)
    expect(grant.body.error).toBe('unsupported_grant_type')
    expect((await sts('{not json', 'application/json')).body.error).toBe('invalid_request')
  })
})

describe('IAM Credentials generateAccessToken', () => {
  const gen = (
    sa: string,
    token?: string,
    body: unknown = { scope: ['https://www.googleapis.com/auth/cloud-platform'], lifetime: '600s' }
  ) =>
    c.post(`/v1/projects/-/serviceAccounts/${sa}:generateAccessToken`, body, {
      authorization: token ? `Bearer ${token}` : ''
    })

  test('needs a federated token and a known service account', async () => {
    const fed = (await sts(form(exchangeFields(ghJwt())))).body.access_token
    const ok = await gen(SA, fed)
    expect(ok.status).toBe(200)
    expect(ok.body.accessToken).toMatch(/^ya29\./)
    expect(ok.body.expireTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    const none = await gen(SA)
    expect(none.status).toBe(401)
    expect(none.body.error.status).toBe('UNAUTHENTICATED')
    const unknown = await gen('ghost@team-a.iam.gserviceaccount.com', fed)
    expect(unknown.status).toBe(403)
    expect(unknown.body.error).toEqual({
      code: 403,
      message: "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
      status: 'PERMISSION_DENIED'
    })
    expect((await gen(SA, 'some-static-token')).status).toBe(403)
    expect((await gen(SA, fed, { scope: ['x'], lifetime: '7200s' })).status).toBe(400)
    // An SA token of team-b is refused on team-a, with a Compute-shaped 403.
    const other = (await gen('other@team-b.iam.gserviceaccount.com', fed)).body.accessToken
    const r = await c.get(`${C}/team-a/global/backendServices`, { authorization: `Bearer ${other}` })
    expect(r.status).toBe(403)
    expect(r.body.error.message).toBe(
      "Required 'compute.backendServices.list' permission for 'projects/team-a'"
    )
    const run = await c.get('/v2/projects/team-a/locations/europe-west1/services/x', {
      authorization: `Bearer ${other}`
    })
    expect(run.status).toBe(403)
    expect(run.body.error.status).toBe('PERMISSION_DENIED')
  })
})

describe('static tokens', () => {
  test('work everywhere unless state.tokens restricts them; no token is 401; the log keeps 6 chars', async () => {
    expect(
      (await c.get(`${C}/team-b/global/urlMaps/um`, { authorization: 'Bearer free-token-123' })).status
    ).toBe(200)
    expect(
      (await c.get(`${C}/team-a/global/urlMaps/um`, { authorization: 'Bearer restricted-token' })).status
    ).toBe(200)
    const denied = await c.post(
      `${C}/team-b/global/urlMaps`,
      { name: 'x' },
      { authorization: 'Bearer restricted-token' }
    )
    expect(denied.status).toBe(403)
    expect(denied.body.error.message).toBe(
      "Required 'compute.urlMaps.create' permission for 'projects/team-b'"
    )
    const anonymous = await c.get(`${C}/team-b/global/urlMaps/um`, { authorization: '' })
    expect([anonymous.status, reason(anonymous)]).toEqual([401, 'required'])
    const principals = emu
      .requests()
      .slice(-4)
      .map((e) => e.principal)
    expect(principals).toEqual(['token:free-t…', 'token:restri…', 'token:restri…', 'anonymous'])
  })
})
