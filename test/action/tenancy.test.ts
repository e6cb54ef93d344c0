// Issue 13 in the action, in-process against the emulator and the fake GitHub: input policy-file, the
// owner from the calling repository, the job's own OIDC claims checked against trustedWorkflows before
// apply, and the emulator's provider condition refusing any other workflow. Nothing is written on refusal.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  commentsOn,
  EDGE_SA,
  explain,
  GITHUB_ATTRIBUTE_MAPPING,
  mergedIn,
  PROVIDER,
  prOpened,
  pushToDefault,
  REPOSITORY,
  ROOT,
  runAction,
  seedState,
  startEnv,
  TEAM_A_SA,
  type Env,
  type RunResult
} from './harness.js'

const PR = 2
const MERGE_SHA = 'b20867b14bb761a232cd80139fbd4c0d33264241'
const TRUSTED = 'platform-org/edge-routes/.github/workflows/routes.yml@refs/heads/main'
const UNTRUSTED = `${REPOSITORY}/.github/workflows/lb-routes.yml@refs/heads/master`
const POLICY = readFileSync(join(ROOT, 'examples/platform/lb-policy.json'), 'utf8').replace(
  '"octo-org/web-routes"',
  `"${REPOSITORY}"`
)
const WITH_POLICY = { 'policy-file': 'lb-policy.json' }
const files = (policy = POLICY) => ({ 'lb-policy.json': policy })

/** The claims of a job of the trusted platform workflow called from REPOSITORY. */
function trustedClaims(env: Env, event: 'push' | 'pull_request'): void {
  Object.assign(env.github.oidcClaims, {
    sub: `repo:${REPOSITORY}:${event === 'push' ? 'environment:lb-routes-apply' : 'pull_request'}`,
    repository: REPOSITORY,
    repository_owner_id: '1',
    job_workflow_ref: TRUSTED,
    ref: event === 'push' ? 'refs/heads/master' : `refs/pull/${PR}/merge`,
    event_name: event,
    ...(event === 'push' ? { environment: 'lb-routes-apply' } : {})
  })
  if (event === 'pull_request') delete env.github.oidcClaims.environment
}

/** The provider pins the trusted workflow; the service accounts are open to it (setup-gcp.sh, simplified). */
function pinnedState() {
  const state = seedState()
  const member = `principalSet://iam.googleapis.com/${PROVIDER.replace(/\/providers\/.*$/, '')}/attribute.job_workflow_ref/${TRUSTED}`
  return {
    ...state,
    workloadIdentityProviders: {
      [PROVIDER]: {
        attributeMapping: GITHUB_ATTRIBUTE_MAPPING,
        attributeCondition: `assertion.job_workflow_ref == '${TRUSTED}'`
      }
    },
    serviceAccounts: {
      [EDGE_SA]: { projects: [], workloadIdentityUsers: [member] },
      [TEAM_A_SA]: { projects: [], workloadIdentityUsers: [member] }
    }
  }
}

const ok = (r: RunResult) => ({ code: r.code, log: r.code === 0 ? '' : explain(r) })
const writes = (env: Env, since: number) =>
  env.emulator
    .requests()
    .slice(since)
    .filter((e) => e.path.startsWith('/compute/') && e.method !== 'GET')

describe('the action with an owners policy', () => {
  let env: Env
  beforeEach(async () => {
    env = await startEnv(pinnedState())
  })
  afterEach(async () => {
    await env.close()
  })

  /** review: the trusted workflow plans the PR with the policy; the merge commit is then MERGE_SHA. */
  async function review(): Promise<RunResult> {
    trustedClaims(env, 'pull_request')
    const plan = await runAction(env, {
      event: 'pull_request',
      payload: prOpened(),
      inputs: WITH_POLICY,
      files: files()
    })
    expect(ok(plan)).toEqual({ code: 0, log: '' })
    mergedIn(env, MERGE_SHA, PR)
    return plan
  }

  it('plans with the policy on the PR and applies on push from the trusted workflow', async () => {
    const plan = await review()
    const comment = commentsOn(env, PR).find((c) => c.body.startsWith('<!-- lb-routes:plan '))!
    expect(comment.body).toContain('Owners policy')
    expect(comment.body).toContain(`${REPOSITORY} acts as owner team-web`)
    trustedClaims(env, 'push')
    const apply = await runAction(env, {
      event: 'push',
      payload: pushToDefault(MERGE_SHA),
      sha: MERGE_SHA,
      inputs: WITH_POLICY,
      files: files()
    })
    expect(ok(apply)).toEqual({ code: 0, log: '' })
    expect(apply.outputs['plan-id']).toBe(plan.outputs['plan-id'])
    expect(apply.summary).toContain('✅ **Applied.**')
    expect(apply.summary).not.toContain('nothing binds')
  })

  it('refuses to apply from a job outside the trusted workflow, naming the expected one; Google would refuse it too', async () => {
    await review()
    trustedClaims(env, 'push')
    env.github.oidcClaims.job_workflow_ref = UNTRUSTED
    const since = env.emulator.requests().length
    const apply = await runAction(env, {
      event: 'push',
      payload: pushToDefault(MERGE_SHA),
      sha: MERGE_SHA,
      inputs: WITH_POLICY,
      files: files()
    })
    expect(apply.code).toBe(1)
    // (The summary escapes markdown and keeps "@" from mentioning anyone.)
    const summary = apply.summary.replace(/[\u200d`\\]/g, '')
    expect(summary).toContain(
      `this job runs workflow ${UNTRUSTED}, which may not apply owner team-web's routes: lb-policy.json trusts only ${TRUSTED}`
    )
    expect(env.emulator.requests().slice(since)).toEqual([]) // refused before any Google call
    // Without the action's own check (policy-file: none), the emulator's STS refuses the token with
    // Google's reason, not a bare 403, and nothing is written.
    const bypass = await runAction(env, {
      event: 'push',
      payload: pushToDefault(MERGE_SHA),
      sha: MERGE_SHA,
      inputs: { 'policy-file': 'none', 'on-plan-changed': 'apply' }
    })
    expect(bypass.code).toBe(1)
    expect(bypass.summary.replace(/\\/g, '')).toContain(
      'HTTP 400 unauthorized_client: The given credential is rejected by the attribute condition.'
    )
    expect(writes(env, since)).toEqual([])
  })

  it('refuses apply and rollback without policy-file, and says plainly what policy-file: none means', async () => {
    await review()
    trustedClaims(env, 'push')
    const since = env.emulator.requests().length
    const cases: Record<string, string>[] = [
      { 'policy-file': '' },
      { 'policy-file': '', command: 'rollback', 'rollback-from': 'x.json' }
    ]
    for (const inputs of cases) {
      const r = await runAction(env, {
        event: 'push',
        payload: pushToDefault(MERGE_SHA),
        sha: MERGE_SHA,
        inputs
      })
      expect(r.code).toBe(1)
      expect(r.summary).toMatch(
        /(apply|rollback) needs the load balancer owner's policy: set input policy-file/
      )
    }
    expect(env.emulator.requests().slice(since)).toEqual([])
    const none = await runAction(env, {
      event: 'push',
      payload: pushToDefault(MERGE_SHA),
      sha: MERGE_SHA,
      inputs: { 'policy-file': 'none', 'on-plan-changed': 'apply' }
    })
    expect(ok(none)).toEqual({ code: 0, log: '' })
    expect(none.summary).toContain('nothing binds repositories to owners')
  })

  it("refuses routes.json naming another owner than the repository's, and adoption without the right, at their lines", async () => {
    trustedClaims(env, 'pull_request')
    const teamB = POLICY.replace(/"team-web": \{/, '"team-b": {')
    const r = await runAction(env, {
      event: 'pull_request',
      payload: prOpened(),
      inputs: WITH_POLICY,
      files: files(teamB)
    })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(
      /::error (title=[^,]*,)?file=routes\.json,line=7,col=12::owner "team-web" is not this repository's: lb-policy\.json makes Codertocat\/Hello-World owner team-b/
    )
    const adopt = await runAction(env, {
      event: 'pull_request',
      payload: prOpened(),
      inputs: { ...WITH_POLICY, adopt: 'true' },
      files: files()
    })
    expect(adopt.code).toBe(1)
    expect(adopt.stdout).toContain('owner team-web may not adopt hand-built resources')
  })

  it('refuses a crafted snapshot before anything is written', async () => {
    await review()
    trustedClaims(env, 'push')
    const apply = await runAction(env, {
      event: 'push',
      payload: pushToDefault(MERGE_SHA),
      sha: MERGE_SHA,
      inputs: WITH_POLICY,
      files: files()
    })
    expect(ok(apply)).toEqual({ code: 0, log: '' })
    const snapshot = JSON.parse(readFileSync(apply.outputs['snapshot-file']!, 'utf8'))
    const neg = snapshot.resources.find((r: any) => r.address.kind === 'globalNetworkEndpointGroup')
    neg.action = 'delete'
    neg.before = {
      name: neg.address.name,
      networkEndpointType: 'INTERNET_FQDN_PORT',
      description: 'lb-routes owner=team-web'
    }
    neg.networkEndpoints = [{ fqdn: 'evil.attacker.com', port: 443 }]
    const crafted = join(env.dir, 'crafted.json')
    writeFileSync(crafted, JSON.stringify(snapshot, null, 2))
    const since = env.emulator.requests().length
    const r = await runAction(env, {
      event: 'workflow_dispatch',
      payload: {},
      inputs: { ...WITH_POLICY, command: 'rollback', 'rollback-from': crafted },
      files: files()
    })
    expect(r.code).toBe(1)
    expect(r.stdout).toContain('endpoint "evil.attacker.com" is not granted to owner team-web')
    expect(writes(env, since)).toEqual([])
  })
})
