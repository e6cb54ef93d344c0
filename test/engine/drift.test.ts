// `lb-routes drift` end to end: the CLI in-process over HTTP against the emulator, with the fake GitHub
// as the issue tracker. Hand edits are made through the Compute API, as a person with gcloud would.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { UrlMap } from '../../src/core/compute.js'
import { startFakeGitHub, type FakeGitHub, type FakeIssue } from '../support/fake-github.js'
import { cli, type CliRun } from './cli-io.js'
import { LB, ROOT, Scenario, seededState, URL_MAP } from './scenario-helpers.js'

const REPO = 'Codertocat/Hello-World'
const MARKER = '<!-- lb-routes-drift owner=team-web url-map=edge-prod/edge -->'
const TITLE = 'lb-routes drift: team-web on edge-prod/edge'

let sc: Scenario
let gh: FakeGitHub

beforeEach(async () => {
  sc = await Scenario.start(seededState())
  // Two per page, so finding the issue among others exercises pagination.
  gh = await startFakeGitHub({ maxPerPage: 2 })
  sc.routes('routes.json', readFileSync(join(ROOT, 'examples/routes.json'), 'utf8'))
  await sc.converge('routes.json')
})
afterEach(async () => {
  await Promise.all([sc.close(), gh.close()])
})

/** drift runs `lb-routes drift` with a GitHub token and --repo, or (github: false) without a token. */
function drift(extra: string[] = [], github = true): Promise<CliRun> {
  const env = { ...sc.env, ...(github ? { GITHUB_TOKEN: 'ghs_test', GITHUB_API_URL: gh.url } : {}) }
  const repo = github ? ['--repo', REPO] : []
  return cli(['drift', '--routes', 'routes.json', ...repo, ...extra], { env, cwd: sc.dir })
}

const show = (r: CliRun): string => `exit ${r.code}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`
const openIssues = (): FakeIssue[] => [...gh.issues.values()].filter((i) => i.state === 'open')
/** Mutating GitHub calls since request number `since`: `METHOD path`. */
const writesSince = (since: number): string[] =>
  gh.requests
    .slice(since)
    .filter((r) => r.method !== 'GET')
    .map((r) => `${r.method} ${r.url.replace(/\?.*$/, '')}`)

/** setTimeoutSec changes a backend's timeout by hand (a PATCH, as `gcloud compute backend-services update`). */
async function setTimeoutSec(route: string, seconds: number): Promise<void> {
  const b = sc.backendOf('team-web', route)
  await sc.compute.run(
    sc.compute.patchBackendService(LB, b.name!, { timeoutSec: seconds, fingerprint: b.fingerprint })
  )
}

/** editMap edits the live URL map by hand (read, change, PUT with the fingerprint). */
async function editMap(change: (m: UrlMap) => void): Promise<void> {
  const map = structuredClone(sc.urlMap())
  change(map)
  await sc.compute.run(sc.compute.updateUrlMap(LB, URL_MAP, map))
}

const dropHello2Rules = (m: UrlMap): void => {
  for (const pm of m.pathMatchers ?? [])
    pm.pathRules = (pm.pathRules ?? []).filter((r) => !(r.paths ?? []).some((p) => p.startsWith('/hello2')))
}

describe('lb-routes drift', () => {
  it('opens one issue on drift, keeps it without edits while unchanged, updates it, closes it once applied', async () => {
    // In sync: no issue, exit 0, and nothing written to GitHub.
    const clean = await drift()
    expect({ code: clean.code, out: clean.stdout }).toEqual({
      code: 0,
      out: expect.stringContaining('No drift: the live load balancer matches routes.json for team-web')
    })
    expect(gh.issues.size).toBe(0)
    expect(writesSince(0)).toEqual([])

    // Someone changes hello's backend timeout in the console.
    await setTimeoutSec('hello', 7)
    const first = await drift()
    expect(first.code).toBe(2)
    expect(first.stdout).toMatch(
      /Drift for team-web on URL map edge \(project edge-prod\): 1 resource change/
    )
    expect(first.stdout).toMatch(/~ update backend service lbr-team-web-hello-bs-\w+ \(edge-prod\)/)
    expect(first.stdout).toMatch(
      /Opened drift issue #100: https:\/\/github\.com\/Codertocat\/Hello-World\/issues\/100/
    )
    expect(openIssues()).toHaveLength(1)
    const issue = openIssues()[0]!
    expect(issue).toMatchObject({ title: TITLE, user: { login: 'github-actions[bot]' } })
    expect(issue.labels.map((l) => l.name)).toEqual(['lb-routes-drift'])
    expect(issue.body.split('\n')[0]).toBe(MARKER)
    expect(issue.body).toMatch(/\| `hello` \| `\*` \| _\(default\)_ \|.*\| 🟡 differs \|/)
    expect(issue.body).toContain('changed: timeoutSec')
    expect(issue.body).toMatch(/- timeoutSec: 7\n\+ timeoutSec: 30/)
    expect(issue.body).not.toContain('hello2')
    expect(gh.labels.has('lb-routes-drift')).toBe(true)

    // Same drift again: the same issue, not touched (no PATCH, no comment).
    const before = gh.requests.length
    const again = await drift()
    expect(again.code).toBe(2)
    expect(again.stdout).toContain('Drift issue #100 is up to date')
    expect(writesSince(before)).toEqual([])
    expect(gh.issues.size).toBe(1)
    // Someone removes the label: the issue is still ours (found by its creator), still no duplicate.
    gh.issues.get(100)!.labels = []
    expect((await drift()).stdout).toContain('Drift issue #100 is up to date')
    expect(gh.issues.size).toBe(1)

    // Different drift: someone also deletes hello2's path rules. The body is edited in place.
    await editMap(dropHello2Rules)
    const more = gh.requests.length
    const second = await drift()
    expect(second.code).toBe(2)
    expect(second.stdout).toContain('Updated drift issue #100')
    expect(writesSince(more)).toEqual(['PATCH /repos/Codertocat/Hello-World/issues/100'])
    expect(gh.issues.size).toBe(1)
    const updated = gh.issues.get(100)!
    expect(updated.body).toContain('2 resource changes would restore it')
    expect(updated.body).toMatch(
      /```diff\n\+ www\.example\.com \/hello2 → lbr-team-web-hello2-bs-\w+\n\+ www\.example\.com \/hello2\/\* → /
    )
    expect(updated.body).toMatch(/\| `hello2` \|.*\| 🟡 differs \|/)
    expect(gh.comments.get(100) ?? []).toEqual([])

    // Applying routes.json undoes the hand edits; the next check closes the issue with a comment.
    expect((await sc.run(['apply', '--routes', 'routes.json'])).code).toBe(0)
    const fixed = await drift()
    expect({ code: fixed.code, out: fixed.stdout }).toEqual({
      code: 0,
      out: expect.stringContaining('Closed drift issue #100')
    })
    expect(gh.issues.get(100)).toMatchObject({ state: 'closed', state_reason: 'completed' })
    const comments = gh.comments.get(100)!
    expect(comments).toHaveLength(1)
    expect(comments[0]!.body).toMatch(
      /^✅ \*\*Resolved\.\*\* The live load balancer matches routes\.json again/
    )

    // In sync and closed: nothing more to do. A new drift later opens a new issue.
    const quiet = gh.requests.length
    expect((await drift()).code).toBe(0)
    expect(writesSince(quiet)).toEqual([])
    await setTimeoutSec('model', 12)
    const back = await drift()
    expect(back.code).toBe(2)
    expect(back.stdout).toContain('Opened drift issue #101')
    expect(openIssues().map((i) => i.number)).toEqual([101])
  })

  it('reports a conflict with live state as drift of its own kind (errors), with the file position', async () => {
    // Someone points /hello2 at a hand-made backend in the console: our path is now held by a rule we do not own.
    await editMap((m) => {
      for (const pm of m.pathMatchers ?? [])
        for (const r of pm.pathRules ?? [])
          if ((r.paths ?? []).includes('/hello2'))
            r.service = `https://www.googleapis.com/compute/v1/projects/${LB}/global/backendServices/legacy-web`
    })
    const r = await drift()
    expect({ code: r.code, log: r.code === 2 ? '' : show(r) }).toEqual({ code: 2, log: '' })
    expect(r.stdout).toMatch(/Drift for team-web .*: 4 errors: live state conflicts with routes\.json/)
    expect(r.stdout).not.toContain('No changes.')
    expect(r.stderr).toMatch(
      /^routes\.json:20:5: error: route hello2 claims host www\.example\.com path \/hello2, which is held by an unmanaged rule \(backend service legacy-web\)/m
    )
    const body = gh.issues.get(100)!.body
    expect(body).toContain('4 errors stop routes.json from being applied as it stands')
    expect(body).toContain('#### Errors: live state conflicts with routes.json')
    expect(body).toMatch(
      /- ❌ `routes\.json:20:5` route hello2 claims host \S*www\S*\.example\.com\S* path \/hello2, which is held by an unmanaged rule/
    )
    expect(body).not.toContain('Undo the hand edit')
  })

  it('ignores an issue with a forged marker opened by someone else', async () => {
    // Other issues of the bot (another owner's drift, a quoted marker) sit on other pages.
    gh.addIssue(TITLE, '<!-- lb-routes-drift owner=team-shop url-map=edge-prod/edge -->\n', undefined, [
      'lb-routes-drift'
    ])
    gh.addIssue(TITLE, `quoted:\n${MARKER}\n`, undefined, ['lb-routes-drift'])
    gh.addIssue('unrelated', 'hello')
    const forged = gh.addIssue(TITLE, `${MARKER}\n\nnothing to see`, 'mallory', ['lb-routes-drift'])
    await setTimeoutSec('hello', 9)
    const r = await drift()
    expect(r.code).toBe(2)
    expect(r.stdout).toContain(`Opened drift issue #${forged.number + 1}`)
    expect(gh.issues.get(forged.number)!.body).toBe(`${MARKER}\n\nnothing to see`)
    // Fixed: only our issue is closed; mallory's stays as it was.
    expect((await sc.run(['apply', '--routes', 'routes.json'])).code).toBe(0)
    expect((await drift()).code).toBe(0)
    expect(gh.issues.get(forged.number)).toMatchObject({ state: 'open' })
    expect(gh.issues.get(forged.number + 1)).toMatchObject({ state: 'closed' })
    expect(gh.comments.get(forged.number) ?? []).toEqual([])
    expect(openIssues().map((i) => i.number)).toEqual([100, 101, 102, forged.number])
    expect(gh.requests.some((r) => /[?&]page=2/.test(r.url))).toBe(true)
  })

  it('without a token only reports (exit 2 on drift), and --json says what differs', async () => {
    await setTimeoutSec('hello', 7)
    const r = await drift(['--json', '--markdown', 'drift.md'], false)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('note: GITHUB_TOKEN is not set: reporting only, no issue')
    const out = JSON.parse(r.stdout)
    expect(out).toMatchObject({
      drift: true,
      owner: 'team-web',
      loadBalancer: { project: 'edge-prod', urlMap: 'edge' },
      changes: [
        {
          action: 'update',
          key: expect.stringMatching(/^backendService\/edge-prod\/global\/lbr-team-web-hello-bs-/),
          fields: ['timeoutSec']
        }
      ],
      routes: [{ name: 'hello', status: 'changed' }],
      errors: [],
      issue: null
    })
    expect(gh.requests).toEqual([])
    const md = readFileSync(join(sc.dir, 'drift.md'), 'utf8')
    expect(md).toMatch(/^### ⚠️ lb-routes drift for `team-web` on `edge` in `edge-prod`\n/)
    expect(md).toMatch(/- timeoutSec: 7\n\+ timeoutSec: 30/)
  })
})
