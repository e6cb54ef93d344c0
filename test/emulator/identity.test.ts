// The emulator's identity model (DESIGN.md §8, issue 13): a workload identity provider with the platform's
// attribute mapping and a condition pinning the trusted workflow, a plan service account open to that
// workflow on any event and an apply service account open only to it on a push to the default branch in
// the apply environment. OIDC tokens carry GitHub's real claim set.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { CelError, evaluateCel } from '../../src/emulator/cel.js'
import type { Emulator } from '../../src/emulator/server.js'
import type { EmulatorState } from '../../src/emulator/types.js'
import { C, Caller, reason, seedLb, start } from './helpers.js'

const POOL = 'projects/123456/locations/global/workloadIdentityPools/github'
const PROVIDER = `${POOL}/providers/github`
const TRUSTED = 'platform-org/edge-routes/.github/workflows/routes.yml@refs/heads/main'
const PLAN_SA = 'lb-routes-plan@edge-prod.iam.gserviceaccount.com'
const APPLY_SA = 'lb-routes-apply@edge-prod.iam.gserviceaccount.com'
const SET = `principalSet://iam.googleapis.com/${POOL}`

/** What examples/platform/setup-gcp.sh creates, as emulator state. */
const STATE: EmulatorState = {
  projects: {},
  workloadIdentityProviders: {
    [PROVIDER]: {
      attributeMapping: {
        'google.subject': 'assertion.sub',
        'attribute.repository': 'assertion.repository',
        'attribute.repository_owner_id': 'assertion.repository_owner_id',
        'attribute.job_workflow_ref': 'assertion.job_workflow_ref',
        'attribute.ref': 'assertion.ref',
        'attribute.event_name': 'assertion.event_name',
        'attribute.environment': 'assertion.environment',
        'attribute.apply':
          "assertion.event_name == 'push' && assertion.ref == 'refs/heads/main' && assertion.environment == 'lb-routes-apply' ? 'yes' : 'no'"
      },
      attributeCondition: `assertion.job_workflow_ref == '${TRUSTED}' && assertion.repository_owner_id == '4242'`
    }
  },
  serviceAccounts: {
    [PLAN_SA]: { projects: [], workloadIdentityUsers: [`${SET}/attribute.job_workflow_ref/${TRUSTED}`] },
    [APPLY_SA]: { projects: [], workloadIdentityUsers: [`${SET}/attribute.apply/yes`] }
  }
}

/** A GitHub Actions OIDC token of a job in octo-org/web-routes (unsigned: the emulator trusts any issuer). */
function githubJwt(claims: Record<string, unknown>): string {
  const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url')
  const now = Math.floor(Date.now() / 1000)
  const base = {
    iss: 'https://token.actions.githubusercontent.com',
    aud: `https://iam.googleapis.com/${PROVIDER}`,
    sub: 'repo:octo-org/web-routes:environment:lb-routes-apply',
    repository: 'octo-org/web-routes',
    repository_owner_id: '4242',
    job_workflow_ref: TRUSTED,
    ref: 'refs/heads/main',
    event_name: 'push',
    environment: 'lb-routes-apply',
    iat: now,
    exp: now + 300
  }
  const payload = Object.fromEntries(
    Object.entries({ ...base, ...claims }).filter(([, v]) => v !== undefined)
  )
  return `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc(payload)}.c2ln`
}

let emu: Emulator
let c: Caller
beforeEach(async () => {
  ;({ emu, c } = await start({ state: STATE }))
  await seedLb(c, 'edge-prod')
})
afterEach(() => emu.close())

/** exchange: STS, then generateAccessToken for `sa`; the statuses and the token (if any) it ends with. */
async function exchange(claims: Record<string, unknown>, sa: string) {
  const sts = await c.post(
    '/v1/token',
    {
      grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
      audience: `//iam.googleapis.com/${PROVIDER}`,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      requestedTokenType: 'urn:ietf:params:oauth:token-type:access_token',
      subjectTokenType: 'urn:ietf:params:oauth:token-type:jwt',
      subjectToken: githubJwt(claims)
    },
    { authorization: '' }
  )
  if (sts.status !== 200) return { sts: sts.status, body: sts.body }
  const gen = await c.post(
    `/v1/projects/-/serviceAccounts/${sa}:generateAccessToken`,
    { scope: ['https://www.googleapis.com/auth/cloud-platform'] },
    { authorization: `Bearer ${sts.body.access_token}` }
  )
  return { sts: 200, iam: gen.status, body: gen.body, token: gen.body?.accessToken as string | undefined }
}

describe('workload identity as the platform sets it up', () => {
  test('the trusted workflow on a push to main in the apply environment gets the apply token, and it works', async () => {
    const r = await exchange({}, APPLY_SA)
    expect([r.sts, r.iam]).toEqual([200, 200])
    const map = await c.get(`${C}/edge-prod/global/urlMaps/um`, { authorization: `Bearer ${r.token}` })
    expect(map.status).toBe(200)
    expect(emu.requests().at(-1)?.principal).toBe(APPLY_SA)
  })

  test('a job outside the trusted workflow gets no token at all: STS answers unauthorized_client', async () => {
    const r = await exchange(
      { job_workflow_ref: 'octo-org/web-routes/.github/workflows/evil.yml@refs/heads/x' },
      APPLY_SA
    )
    expect(r).toEqual({
      sts: 400,
      body: {
        error: 'unauthorized_client',
        error_description: 'The given credential is rejected by the attribute condition.'
      }
    })
    // Another organisation's fork of the platform workflow: same path, other owner id.
    expect((await exchange({ repository_owner_id: '999' }, PLAN_SA)).sts).toBe(400)
  })

  test('the trusted workflow on a pull request (or on a branch, or outside the environment) gets the plan token only', async () => {
    for (const claims of [
      { event_name: 'pull_request', ref: 'refs/pull/7/merge', environment: undefined },
      { ref: 'refs/heads/feature' },
      { environment: undefined }
    ]) {
      const plan = await exchange(claims, PLAN_SA)
      expect([plan.sts, plan.iam]).toEqual([200, 200])
      const apply = await exchange(claims, APPLY_SA)
      expect([apply.sts, apply.iam, apply.body?.error?.status]).toEqual([200, 403, 'PERMISSION_DENIED'])
    }
  })

  test('an unknown provider is invalid_target; a token without a mapped subject is invalid_grant', async () => {
    const other = await c.post(
      '/v1/token',
      {
        grantType: 'urn:ietf:params:oauth:grant-type:token-exchange',
        audience: `//iam.googleapis.com/${POOL}/providers/other`,
        subjectTokenType: 'urn:ietf:params:oauth:token-type:jwt',
        subjectToken: githubJwt({})
      },
      { authorization: '' }
    )
    expect([other.status, other.body.error]).toEqual([400, 'invalid_target'])
    expect((await exchange({ sub: undefined }, PLAN_SA)).body.error).toBe('invalid_grant')
  })

  test('every project needs a token: 401 required without one', async () => {
    const r = await c.get(`${C}/edge-prod/global/urlMaps/um`, { authorization: '' })
    expect([r.status, reason(r)]).toEqual([401, 'required'])
  })
})

describe('the CEL subset', () => {
  const claims = { repository: 'octo-org/web-routes', ref: 'refs/heads/main', n: 2 }
  test.each([
    ["assertion.repository == 'octo-org/web-routes'", true],
    ["assertion.repository != 'octo-org/web-routes'", false],
    ["assertion.repository.startsWith('octo-org/') && assertion.ref.endsWith('/main')", true],
    ["!(assertion.ref in ['refs/heads/main', 'refs/heads/release'])", false],
    ["'environment' in assertion", false],
    // A missing claim is an error, which || absorbs when the other side is true and ? : when not taken.
    ["assertion.environment == 'x' || assertion.ref == 'refs/heads/main'", true],
    ["'environment' in assertion ? assertion.environment : 'none'", 'none'],
    ["assertion.repository + '@' + assertion.ref", 'octo-org/web-routes@refs/heads/main'],
    ['assertion[\'ref\'] == "refs/heads/main"', true]
  ])('%s → %p', (expr, want) => {
    expect(evaluateCel(expr, { assertion: claims })).toEqual(want)
  })
  test.each([
    ["assertion.environment == 'x'"],
    ['assertion.n == '],
    ['unknown.x'],
    ['assertion.ref.startsWith(1)']
  ])('%s is an error', (expr) => {
    expect(() => evaluateCel(expr, { assertion: claims })).toThrow(CelError)
  })
})
