// The action on a push to the default branch (merge): finds the merged PR, compares the fresh plan with
// the planId reviewed in its comment, applies or refuses, and reports on the PR.
import { beforeEach, afterEach, describe, expect, it } from '@jest/globals'
import {
  commentsOn,
  exampleRoutes,
  explain,
  leakedSecrets,
  prOpened,
  pushToDefault,
  runAction,
  startEnv,
  type Env,
  type RunResult,
  mergedIn
} from './harness.js'

const PR = 2
const MERGE_SHA = 'a10867b14bb761a232cd80139fbd4c0d33264240'
const APPLY_MARKER = '<!-- lb-routes:apply '

/** Mutating Compute calls (anything but GET) the emulator received after `since`. */
function writesSince(env: Env, since: number): string[] {
  return env.emulator
    .requests()
    .slice(since)
    .filter((e) => e.path.startsWith('/compute/') && e.method !== 'GET')
    .map((e) => `${e.method} ${e.path}`)
}

describe('action on merge', () => {
  let env: Env
  let reviewed: RunResult
  beforeEach(async () => {
    env = await startEnv()
    reviewed = await runAction(env, { event: 'pull_request', payload: prOpened() })
    expect({ code: reviewed.code, log: reviewed.code === 0 ? '' : explain(reviewed) }).toEqual({
      code: 0,
      log: ''
    })
    mergedIn(env, MERGE_SHA, PR)
  })
  afterEach(async () => {
    await env.close()
  })

  it('applies the reviewed plan and reports the result on the merged PR; the next plan has no changes', async () => {
    const r = await runAction(env, { event: 'push', payload: pushToDefault(MERGE_SHA), sha: MERGE_SHA })
    expect({ code: r.code, log: r.code === 0 ? '' : explain(r) }).toEqual({ code: 0, log: '' })
    expect(
      env.github.requests.some((q) =>
        q.url.startsWith(`/repos/Codertocat/Hello-World/commits/${MERGE_SHA}/pulls`)
      )
    ).toBe(true)
    expect(r.outputs['plan-id']).toBe(reviewed.outputs['plan-id'])

    const apply = commentsOn(env, PR).filter((c) => c.body.startsWith(APPLY_MARKER))
    expect(apply).toHaveLength(1)
    expect(apply[0]!.body).toContain('✅ **Applied.**')
    expect(r.summary).toContain('✅ **Applied.**')
    // The plan comment stays as the record of what was reviewed.
    expect(commentsOn(env, PR).filter((c) => c.body.startsWith('<!-- lb-routes:plan '))).toHaveLength(1)

    const map = env.emulator.exportState().projects['edge-prod']!.urlMaps!.find((m) => m.name === 'edge')!
    expect(JSON.stringify(map.hostRules)).toContain('api.example.com')
    expect(map.defaultService).toMatch(/lbr-team-web-hello-bs-/)
    const backends = env.emulator
      .exportState()
      .projects['edge-prod']!.backendServices!.map((b) => String(b.name))
    expect(backends.some((n) => n.startsWith('lbr-team-web-welcome-'))).toBe(false)

    const again = await runAction(env, { event: 'pull_request', payload: prOpened() })
    expect(again.code).toBe(0)
    expect(again.outputs['has-changes']).toBe('false')
    expect(leakedSecrets(env, [reviewed, r, again])).toEqual([])
  })

  it('refuses when routes.json changed after review: nothing applied, exit 1, the comment says what changed', async () => {
    const before = env.emulator.requests().length
    // The merged routes.json lost the "model" route the reviewers saw.
    const routes = exampleRoutes().replace(
      /\n {4}\{\n {6}\/\/ Everything on ml\.example\.com[\s\S]*?\n {4}\}\n/,
      '\n'
    )
    expect(routes).not.toContain('"name": "model"')
    const r = await runAction(env, {
      event: 'push',
      payload: pushToDefault(MERGE_SHA),
      sha: MERGE_SHA,
      routes: routes
        .replace(/,\n {2}\],\n {2}\/\/ Checked offline/, '\n  ],\n  // Checked offline')
        .replace(/\n {4}\{ "host": "ml\.example\.com".*\n/, '\n')
    })
    expect(r.code).toBe(1)
    expect(writesSince(env, before)).toEqual([])
    const apply = commentsOn(env, PR).find((c) => c.body.startsWith(APPLY_MARKER))!
    expect(apply.body).toContain('🛑 **Refused: nothing was applied.**')
    expect(apply.body).toMatch(
      /no longer: [^\n]*create backendService\/edge-prod\/global\/lbr-team-web-model-bs-/
    )
    expect(r.stdout).toMatch(/^::error::the plan changed since it was reviewed/m)
    expect(r.summary).toContain('Refused')
  })

  it('refuses when the live load balancer changed after review', async () => {
    // Someone created team-web's hello2 NEG by hand between review and merge.
    const state = env.emulator.exportState()
    state.projects['edge-prod']!.globalNetworkEndpointGroups!.push({
      name: 'lbr-team-web-hello2-neg-cfc3aabc',
      description: 'lb-routes owner=team-web routes=hello2 (managed by lb-routes; do not edit by hand)',
      networkEndpointType: 'INTERNET_FQDN_PORT',
      defaultPort: 443,
      networkEndpoints: [{ fqdn: 'hello2-3abc-ew.a.run.app', port: 443 }]
    })
    env.emulator.importState(state)
    const before = env.emulator.requests().length
    const r = await runAction(env, { event: 'push', payload: pushToDefault(MERGE_SHA), sha: MERGE_SHA })
    expect(r.code).toBe(1)
    expect(writesSince(env, before)).toEqual([])
    const apply = commentsOn(env, PR).find((c) => c.body.startsWith(APPLY_MARKER))!
    expect(apply.body).toContain('Refused')
    expect(apply.body).toContain(
      'globalNetworkEndpointGroup/edge-prod/global/lbr-team-web-hello2-neg-cfc3aabc'
    )
  })

  it('refuses a merge whose PR has no plan comment from the bot (a pasted marker is not trusted)', async () => {
    env.github.comments.clear()
    env.github.addComment(
      3,
      `<!-- lb-routes:plan {"owner":"team-web","project":"edge-prod","urlMap":"edge","planId":"${reviewed.outputs['plan-id']}","v":1} -->`,
      'mallory'
    )
    mergedIn(env, MERGE_SHA, 3)
    const before = env.emulator.requests().length
    const r = await runAction(env, { event: 'push', payload: pushToDefault(MERGE_SHA), sha: MERGE_SHA })
    expect(r.code).toBe(1)
    expect(writesSince(env, before)).toEqual([])
    expect(r.stdout).toContain('pull request #3 has no lb-routes plan comment for owner team-web')
  })
})

describe('review provenance on merge', () => {
  let env: Env
  let reviewed: RunResult
  beforeEach(async () => {
    env = await startEnv()
    reviewed = await runAction(env, { event: 'pull_request', payload: prOpened() })
    expect({ code: reviewed.code, log: reviewed.code === 0 ? '' : explain(reviewed) }).toEqual({
      code: 0,
      log: ''
    })
  })
  afterEach(async () => {
    await env.close()
  })

  /** Pushes MERGE_SHA and expects a refusal that wrote nothing to Google; returns the run. */
  async function refusedPush(): Promise<RunResult> {
    const before = env.emulator.requests().length
    const r = await runAction(env, { event: 'push', payload: pushToDefault(MERGE_SHA), sha: MERGE_SHA })
    expect(r.code).toBe(1)
    expect(writesSince(env, before)).toEqual([])
    expect(r.summary).toContain('🛑 **Refused: nothing was applied.**')
    return r
  }

  /** Another workflow of the repository posts, as github-actions[bot], a copy of the plan comment naming its own run. */
  function forgeComment(runId: number): void {
    const genuine = commentsOn(env, PR).find((c) => c.body.startsWith('<!-- lb-routes:plan '))!
    const forged = genuine.body.replace(/"run":\{"id":\d+,/, `"run":{"id":${runId},`)
    expect(forged).not.toBe(genuine.body)
    env.github.addComment(PR, forged, 'github-actions[bot]')
  }

  it('refuses a push whose commit is only part of an open, unmerged pull request', async () => {
    env.github.pullsByCommit.set(MERGE_SHA, [
      { number: PR, merged_at: null, state: 'open', merge_commit_sha: null, head: { sha: MERGE_SHA } }
    ])
    const r = await refusedPush()
    expect(r.stdout).toContain(
      `::error::no pull request was merged in commit ${MERGE_SHA}, so there is no reviewed plan; nothing was applied`
    )
    expect(commentsOn(env, PR).filter((c) => c.body.startsWith(APPLY_MARKER))).toEqual([])
  })

  it('refuses a plan comment that github-actions[bot] posted from another workflow of the repository', async () => {
    env.github.runs.set(9001, {
      id: 9001,
      path: '.github/workflows/other.yml',
      head_sha: prOpened().pull_request.head.sha,
      event: 'pull_request',
      status: 'completed',
      conclusion: 'success',
      repository: { full_name: 'Codertocat/Hello-World' },
      referenced_workflows: []
    })
    forgeComment(9001)
    mergedIn(env, MERGE_SHA, PR)
    const r = await refusedPush()
    expect(r.stdout).toContain(
      '::error::the plan comment on pull request #2 was written by workflow .github/workflows/other.yml (run 9001), not by the lb-routes workflow .github/workflows/lb-routes.yml; nothing was applied'
    )
    const apply = commentsOn(env, PR).find((c) => c.body.startsWith(APPLY_MARKER))!
    expect(apply.body).toContain('not by the lb-routes workflow')
  })

  it('refuses a plan comment naming a workflow run that does not exist', async () => {
    forgeComment(777)
    mergedIn(env, MERGE_SHA, PR)
    const r = await refusedPush()
    expect(r.stdout).toContain(
      '::error::the plan comment on pull request #2 names workflow run 777, which does not exist in Codertocat/Hello-World'
    )
  })

  it("refuses a copied plan comment that names the genuine run but another planId (the run's artifact seals it)", async () => {
    const genuine = commentsOn(env, PR).find((c) => c.body.startsWith('<!-- lb-routes:plan '))!
    const planId = /"planId":"([0-9a-f]+)"/.exec(genuine.body)![1]!
    const forged = genuine.body.replaceAll(planId, '0123456789abcdef')
    expect(forged).not.toBe(genuine.body)
    env.github.addComment(PR, forged, 'github-actions[bot]')
    mergedIn(env, MERGE_SHA, PR)
    const r = await refusedPush()
    expect(r.stdout).toMatch(
      /::error::the plan comment on pull request #2 says plan 0123456789abcdef, but workflow run \d+ did not publish it \(no artifact lb-routes-plan-0123456789abcdef\)/
    )
  })

  it('refuses when the pull request was merged at a head that was never planned', async () => {
    mergedIn(env, MERGE_SHA, PR, 'f00dfeed'.repeat(5))
    const r = await refusedPush()
    expect(r.stdout).toContain(
      '::error::the plan comment on pull request #2 was written for commit ec26c3e57ca3, but the pull request was merged at head f00dfeedf00d: that head was never planned'
    )
  })
})
