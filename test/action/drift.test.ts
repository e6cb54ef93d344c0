// The action on a schedule (and workflow_dispatch): `node dist/index.js` with no command input checks for
// drift, keeps one issue in step with it, reports in the summary and outputs, and never fails on drift.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { cli } from '../engine/cli-io.js'
import { example, explain, leakedSecrets, runAction, startEnv, type Env } from './harness.js'

const MARKER = '<!-- lb-routes-drift owner=team-web url-map=edge-prod/edge -->'

/** GitHub's `schedule` payload: the cron expression plus the repository. */
const scheduled = (): Record<string, any> => ({
  schedule: '17 6 * * *',
  repository: example('push').repository,
  workflow: '.github/workflows/lb-routes-drift.yml'
})

const writesSince = (env: Env, since: number): string[] =>
  env.github.requests
    .slice(since)
    .filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.url.replace(/\?.*$/, '')}`)

describe('action on a schedule', () => {
  let env: Env
  beforeEach(async () => {
    env = await startEnv()
  })
  afterEach(async () => {
    await env.close()
  })

  it('opens one drift issue, leaves it alone while unchanged, closes it once the load balancer matches', async () => {
    // The seeded load balancer has never seen examples/routes.json applied: that is drift.
    const first = await runAction(env, { event: 'schedule', payload: scheduled() })
    expect({ code: first.code, log: first.code === 0 ? '' : explain(first) }).toEqual({ code: 0, log: '' })
    expect(first.outputs).toMatchObject({
      drift: 'true',
      'drift-issue': '100',
      'drift-issue-url': 'https://github.com/Codertocat/Hello-World/issues/100',
      'has-changes': 'true'
    })
    const issues = [...env.github.issues.values()]
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({
      title: 'lb-routes drift: team-web on edge-prod/edge',
      state: 'open',
      user: { login: 'github-actions[bot]' }
    })
    expect(issues[0]!.body.split('\n')[0]).toBe(MARKER)
    expect(issues[0]!.body).toContain('🟢 Apply would create')
    expect(first.stdout).toMatch(
      /^::warning::drift: the live load balancer differs from routes\.json\. Opened drift issue #100/m
    )
    expect(first.summary).toContain('### ⚠️ lb-routes drift for `team-web` on `edge` in `edge-prod`')
    expect(first.summary).toContain(
      '**Opened drift issue [#100](https://github.com/Codertocat/Hello-World/issues/100).**'
    )
    expect(first.summary).not.toContain('<!-- lb-routes-drift')
    // Drift reads only: nothing was written to Google.
    expect(
      env.emulator
        .requests()
        .filter((e) => e.path.startsWith('/compute/') && e.method !== 'GET' && !e.path.endsWith('/validate'))
    ).toEqual([])

    const before = env.github.requests.length
    const again = await runAction(env, { event: 'schedule', payload: scheduled() })
    expect(again.code).toBe(0)
    expect(again.outputs).toMatchObject({ drift: 'true', 'drift-issue': '100' })
    expect(writesSince(env, before)).toEqual([])
    expect(again.summary).toContain(
      'Drift issue [#100](https://github.com/Codertocat/Hello-World/issues/100) is up to date'
    )

    // Someone applies routes.json; a manual run (workflow_dispatch also defaults to drift) closes the issue.
    const apply = await cli(['apply', '--routes', 'examples/routes.json'], {
      env: {
        GOOGLE_COMPUTE_CUSTOM_ENDPOINT: `${env.emulator.url}/compute/v1/`,
        GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT: `${env.emulator.url}/v2/`,
        GOOGLE_OAUTH_ACCESS_TOKEN: 'test'
      }
    })
    expect(apply.code).toBe(0)
    const fixed = await runAction(env, {
      event: 'workflow_dispatch',
      payload: { ...scheduled(), inputs: {} }
    })
    expect({ code: fixed.code, log: fixed.code === 0 ? '' : explain(fixed) }).toEqual({ code: 0, log: '' })
    expect(fixed.outputs).toMatchObject({ drift: 'false', 'drift-issue': '100', 'has-changes': 'false' })
    expect(env.github.issues.get(100)).toMatchObject({ state: 'closed', state_reason: 'completed' })
    const comments = env.github.comments.get(100) ?? []
    expect(comments.map((c) => c.body.startsWith('✅ **Resolved.** The live load balancer matches'))).toEqual(
      [true]
    )
    expect(fixed.summary).toContain('### ✅ No drift for `team-web`')
    expect(fixed.summary).toContain('Closed drift issue [#100]')
    expect(leakedSecrets(env, [first, again, fixed])).toEqual([])
  })

  it('fails the step, saying which permission is missing, when it cannot write the issue', async () => {
    const r = await runAction(env, {
      event: 'schedule',
      payload: scheduled(),
      inputs: { 'github-token': '' }
    })
    expect(r.code).toBe(1)
    expect(r.outputs.drift).toBe('true')
    expect(r.stdout).toMatch(
      /^::error::could not update the drift issue: .*\(the job needs permissions: issues: write\)/m
    )
  })
})
