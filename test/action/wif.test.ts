// Workload Identity Federation as the runner does it: @actions/core's real getIDToken against the local
// OIDC endpoint, STS token exchange and per-project service-account impersonation at the emulator.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  commentsOn,
  EDGE_SA,
  impersonable,
  explain,
  googleApiCalls,
  leakedSecrets,
  prOpened,
  PROVIDER,
  runAction,
  seedState,
  startEnv,
  TEAM_A_SA,
  type Env
} from './harness.js'

const projectOf = (path: string): string | undefined => /\/projects\/([^/]+)\//.exec(path)?.[1]

describe('action with Workload Identity Federation', () => {
  let env: Env
  beforeAll(async () => {
    env = await startEnv()
  })
  afterAll(async () => {
    await env.close()
  })

  it('exchanges the OIDC token once and calls each project as its own service account', async () => {
    const r = await runAction(env, { event: 'pull_request', payload: prOpened() })
    expect({ code: r.code, log: r.code === 0 ? '' : explain(r) }).toEqual({ code: 0, log: '' })

    // The OIDC token was asked for with the provider's audience, through the request token.
    expect(env.github.idTokens.map((t) => t.audience)).toContain(`https://iam.googleapis.com/${PROVIDER}`)
    const log = env.emulator.requests()
    expect(log.filter((e) => e.api === 'sts.token' && e.status === 200).length).toBeGreaterThanOrEqual(1)
    const impersonated = log.filter((e) => e.api === 'iamcredentials.generateAccessToken')
    expect(
      new Set(impersonated.map((e) => e.path.replace(/^.*serviceAccounts\/(.*):generateAccessToken$/, '$1')))
    ).toEqual(new Set([EDGE_SA, TEAM_A_SA]))
    expect(
      impersonated.every(
        (e) => e.status === 200 && e.principal.startsWith('federated:repo:Codertocat/Hello-World')
      )
    ).toBe(true)

    const calls = googleApiCalls(log)
    expect(calls.length).toBeGreaterThan(0)
    const byProject = new Map<string, Set<string>>()
    for (const c of calls) {
      const set = byProject.get(projectOf(c.path)!) ?? new Set()
      set.add(c.principal)
      byProject.set(projectOf(c.path)!, set)
    }
    expect(Object.fromEntries([...byProject].map(([p, s]) => [p, [...s]]))).toEqual({
      'edge-prod': [EDGE_SA],
      'team-a': [TEAM_A_SA]
    })

    // Every token the action's clients sent was masked for the runner, and no token is shown anywhere.
    expect(env.google.apiTokens.size).toBe(2)
    for (const token of env.google.apiTokens) expect(r.stdout).toContain(`::add-mask::${token}`)
    expect(leakedSecrets(env, [r])).toEqual([])
  })

  it('refuses a service account that lacks a project, naming the project and the input to fix', async () => {
    const r = await runAction(env, {
      event: 'pull_request',
      payload: prOpened(),
      inputs: { 'service-accounts': '', 'service-account': EDGE_SA }
    })
    expect(r.code).toBe(1)
    const failure = r.stdout.split('\n').find((l) => l.startsWith('::error::'))
    expect(failure).toContain(`service account ${EDGE_SA} has no access to project team-a`)
    expect(failure).toContain('set input service-accounts')
    const denied = env.emulator.requests().filter((e) => e.status === 403)
    expect(denied.length).toBeGreaterThan(0)
    expect(denied.every((e) => projectOf(e.path) === 'team-a' && e.principal === EDGE_SA)).toBe(true)
    // The PR no longer shows the earlier plan as if it were current.
    const ours = commentsOn(env, 2).filter((c) => c.login === 'github-actions[bot]')
    expect(ours).toHaveLength(1)
    expect(ours[0]!.body).toContain('could not read the live load balancer')
    expect(ours[0]!.body).toContain('service-accounts')
    expect(ours[0]!.body).toContain('"planId":"offline-no-live-plan"')
    expect(leakedSecrets(env, [r])).toEqual([])
  })
})

describe('action with a service account granted extra projects', () => {
  it('uses one service account everywhere when the state file grants it every project', async () => {
    const state = seedState()
    const env = await startEnv({ ...state, ...impersonable({ [EDGE_SA]: ['team-a'] }) })
    try {
      const r = await runAction(env, {
        event: 'pull_request',
        payload: prOpened(),
        inputs: { 'service-accounts': '', 'service-account': EDGE_SA }
      })
      expect({ code: r.code, log: r.code === 0 ? '' : explain(r) }).toEqual({ code: 0, log: '' })
      expect(new Set(googleApiCalls(env.emulator.requests()).map((e) => e.principal))).toEqual(
        new Set([EDGE_SA])
      )
    } finally {
      await env.close()
    }
  })
})
