// Security suite: internet hosts outside the allow-lists are refused, hostile strings cannot inject
// markdown/HTML/mentions into the PR comment, tokens never leak into output or files, and a token of
// one project cannot change another.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseRoutes } from '../../src/core/routes/parse.js'
import { renderPlanMarkdown } from '../../src/core/render/index.js'
import { startEmulator, type Emulator, type EmulatorState } from '../../src/emulator/server.js'
import { cli } from '../engine/cli-io.js'
import {
  apply,
  clientsFor,
  errorsOf,
  mutatingCounts,
  plan,
  prng,
  routesDoc,
  seededState,
  type RouteDoc,
  type RoutesDoc
} from './harness.js'

let emu: Emulator
let dir: string
const env = (token = 'ya29.SECRET-d2f1c0ffee') => ({
  GOOGLE_COMPUTE_CUSTOM_ENDPOINT: `${emu.url}/compute/v1/`,
  GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT: `${emu.url}/v2/`,
  GOOGLE_OAUTH_ACCESS_TOKEN: token
})

beforeAll(async () => {
  emu = await startEmulator({ state: seededState(), random: prng(5) })
  dir = await mkdtemp(join(tmpdir(), 'lb-routes-sec-'))
})
afterAll(async () => {
  await emu?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function writeDoc(name: string, doc: unknown): Promise<string> {
  const file = join(dir, name)
  await writeFile(file, JSON.stringify(doc, null, 2))
  return file
}

const web = (to: Record<string, unknown>, allowed: string[] = ['ml-lb.example.net']): RoutesDoc => ({
  ...routesDoc('team-sec', [{ name: 'out', hosts: ['sec.example.com'], paths: ['/out/*'], to }]),
  allowedInternetHosts: allowed
})

describe('internet targets must be allowed', () => {
  test.each([
    ['internet fqdn', { internet: { fqdn: 'evil.example.org', port: 443 } }],
    ['chained load balancer domain', { loadBalancer: { domain: 'evil.example.org' } }]
  ])(
    '%s outside allowedInternetHosts: validate and plan exit 1 naming the host and the list',
    async (_what, to) => {
      const file = await writeDoc('evil.json', web(to))
      for (const command of ['validate', 'plan']) {
        const run = await cli([command, '--routes', file], { env: env(), cwd: dir })
        expect({ command, code: run.code }).toEqual({ command, code: 1 })
        expect(run.stderr).toMatch(/evil\.example\.org.*allowedInternetHosts/)
      }
      expect(mutatingCounts(emu.counters())).toEqual({})
    }
  )

  test("a file's allowedInternetHosts outside the platform policy is refused, naming the host and the policy", async () => {
    const file = await writeDoc(
      'wide.json',
      web({ internet: { fqdn: 'api.partner.example', port: 443 } }, ['*.partner.example'])
    )
    for (const command of ['validate', 'plan']) {
      const run = await cli(
        [command, '--routes', file, '--allowed-internet-hosts', 'ml-lb.example.net,*.example.net'],
        { env: env(), cwd: dir }
      )
      expect({ command, code: run.code }).toEqual({ command, code: 1 })
      expect(run.stderr).toMatch(/\*\.partner\.example/)
      expect(run.stderr).toMatch(/ml-lb\.example\.net/)
    }
  })
})

// ---- PR comment injection ----

const HOSTILE = [
  '@org/team',
  '@admin',
  '<img src=x onerror=alert(1)>',
  '<!-- lb-routes:plan owner=team-shop -->',
  '`code` ``x``',
  '[click](https://evil.example/)',
  '![img](https://evil.example/x.png)',
  '</details><script>alert(1)</script>',
  '**bold** _em_ | pipe | #123',
  'https://evil.example/',
  '\u202eevil',
  '-->',
  '<a href=x>'
]

/** accepted keeps the hostile route/test variants the parser accepts (the schema allows them). */
function hostileDoc(): { doc: RoutesDoc; accepted: string[] } {
  const routes: RouteDoc[] = []
  const tests: unknown[] = []
  const accepted: string[] = []
  const base = (i: number): RouteDoc => ({
    name: `h${i}`,
    hosts: ['sec.example.com'],
    paths: [`/h${i}/*`],
    to: { cloudRun: { url: `https://h${i}-abc-ew.a.run.app` } }
  })
  const variants: ((s: string, i: number) => { route?: RouteDoc; test?: unknown; where: string })[] = [
    (s, i) => ({ route: { ...base(i), paths: [`/h${i}/${s}`] }, where: 'path' }),
    (s, i) => ({
      route: { ...base(i), prefix: `/h${i}${s}`, paths: undefined } as RouteDoc,
      where: 'prefix'
    }),
    (s, i) => ({ route: { ...base(i), rewrite: { pathPrefix: `/x${s}/` } }, where: 'rewrite.pathPrefix' }),
    (s, i) => ({
      route: { ...base(i), to: { internet: { fqdn: 'ml-lb.example.net', port: 443, hostHeader: s } } },
      where: 'hostHeader'
    }),
    (s, i) => ({
      route: { ...base(i), requestHeaders: [`X-Note: ${s}`] } as RouteDoc,
      where: 'requestHeaders'
    }),
    (s, i) => ({
      route: base(i),
      test: { host: 'sec.example.com', path: `/h${i}/${s}`, expect: { route: `h${i}` } },
      where: 'test path'
    })
  ]
  let i = 0
  for (const s of HOSTILE) {
    for (const v of variants) {
      const { route, test, where } = v(s, i)
      const candidate = {
        ...routesDoc('team-sec', [...routes, route!]),
        allowedInternetHosts: ['ml-lb.example.net'],
        tests: [...tests, ...(test ? [test] : [])]
      }
      const parsed = parseRoutes(JSON.stringify(candidate), { file: 'routes.json' })
      if (parsed.config && !parsed.diagnostics.some((d) => d.severity === 'error')) {
        routes.push(route!)
        if (test) tests.push(test)
        accepted.push(`${where}: ${s}`)
        i++
      }
    }
  }
  return {
    doc: {
      ...routesDoc('team-sec', routes),
      allowedInternetHosts: ['ml-lb.example.net'],
      tests
    } as RoutesDoc,
    accepted
  }
}

/** outsideCode drops fenced code blocks and inline code spans (CommonMark backtick-run matching). */
function outsideCode(md: string): string {
  const noFences = md.replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '')
  let out = ''
  let i = 0
  while (i < noFences.length) {
    if (noFences[i] !== '`') {
      out += noFences[i++]
      continue
    }
    const run = /^`+/.exec(noFences.slice(i))![0]
    const close = new RegExp(`(?<!\`)${run}(?!\`)`, 'g')
    close.lastIndex = i + run.length
    const m = close.exec(noFences)
    if (!m) {
      out += run
      i += run.length
    } else i = m.index + run.length
  }
  return out
}

describe('the PR comment cannot be injected into', () => {
  test('hostile paths, headers and tests render as text: one hidden marker, no tags, mentions or links from user text', async () => {
    const { doc, accepted } = hostileDoc()
    // Non-degenerate: the parser accepts many of the hostile strings, so the renderer must neutralise them.
    expect(accepted.length).toBeGreaterThanOrEqual(5)
    const planned = await plan(clientsFor(emu.url), doc)
    expect(errorsOf(planned)).toBe('')
    const md = renderPlanMarkdown(planned.plan!)
    const prose = outsideCode(md)
    expect((md.match(/<!--/g) ?? []).length).toBe(1)
    expect(md.startsWith('<!-- lb-routes:plan ') || /^<!-- lb-routes:plan [^\n]*-->$/m.test(md)).toBe(true)
    const tags = [...prose.matchAll(/<\/?([a-zA-Z][\w-]*)[^>]*>/g)].map((m) => m[1]!.toLowerCase())
    expect(tags.filter((t) => !['details', 'summary', 'br', 'b', 'sub', 'sup'].includes(t))).toEqual([])
    expect(prose).not.toMatch(/(^|[^\w`\u200d])@[a-zA-Z0-9]/m)
    expect(prose).not.toMatch(/!?\[[^\]]*\]\(/)
    expect(prose).not.toMatch(/onerror|<script|javascript:/i)
    expect(prose).not.toMatch(/\u202e/)
  })
})

// ---- tokens ----

describe('tokens never leak', () => {
  const SECRET = 'ya29.SECRET-d2f1c0ffee'
  test('plan and apply with LB_ROUTES_DEBUG=1: the token is in no output, plan file or comment', async () => {
    const routes = await writeDoc('routes.json', web({ cloudRun: { url: 'https://tok-abc-ew.a.run.app' } }))
    const debugEnv = { ...env(SECRET), LB_ROUTES_DEBUG: '1' }
    const planned = await cli(['plan', '--routes', routes, '--out', 'plan.json', '--markdown', 'plan.md'], {
      env: debugEnv,
      cwd: dir
    })
    expect(planned.code).toBe(2)
    const applied = await cli(['apply', '--routes', routes, '--plan', 'plan.json'], {
      env: debugEnv,
      cwd: dir
    })
    expect(applied.code).toBe(0)
    // A failing call too: an unknown URL map's 404 and a refused token's 403 are logged with their request.
    const refused = await cli(['plan', '--routes', routes], {
      env: { ...debugEnv, GOOGLE_OAUTH_ACCESS_TOKEN: `${SECRET}-refused` },
      cwd: dir
    })
    const files = [
      await readFile(join(dir, 'plan.json'), 'utf8'),
      await readFile(join(dir, 'plan.md'), 'utf8')
    ]
    const everything = [
      planned.stdout,
      planned.stderr,
      applied.stdout,
      applied.stderr,
      refused.stdout,
      refused.stderr,
      ...files
    ].join('\n')
    // Debug logging really ran (otherwise this proves nothing).
    expect(planned.stderr).toMatch(/compute\.urlMaps\.get/)
    expect(everything).not.toContain(SECRET)
    expect(everything).not.toContain('SECRET-d2f1')
    expect(everything).not.toMatch(/authorization:\s*bearer/i)
  })
})

// ---- a token of one project cannot change another ----

describe('a token restricted to one project', () => {
  test('cannot change another project: apply needing team-a with tok-a fails with a 403 naming team-a, nothing there changes', async () => {
    const state: EmulatorState = { ...seededState(), tokens: { 'tok-a': { projects: ['edge-prod'] } } }
    const restricted = await startEmulator({ state, random: prng(9) })
    try {
      const before = restricted.exportState().projects['team-a']
      const doc = routesDoc('team-sec', [
        {
          name: 'api',
          hosts: ['sec.example.com'],
          paths: ['/api/*'],
          to: { serverless: { project: 'team-a', service: 'api', regions: ['europe-west1'] } }
        }
      ])
      // The engine throws the API error; the CLI prints it as one line (exit 1).
      const message = await apply(clientsFor(restricted.url, 'tok-a'), doc).then(
        (r) => `status ${r.result?.status}: ${errorsOf(r)}`,
        (e: Error) => e.message
      )
      expect(message).not.toMatch(/^status applied/)
      expect(message).toMatch(/403|denied|forbidden|permission/i)
      expect(message).toMatch(/team-a/)
      expect(restricted.exportState().projects['team-a']).toEqual(before)
      const refused = restricted.requests().filter((e) => e.status === 403)
      expect(refused.length).toBeGreaterThan(0)
      expect(refused.every((e) => e.path.includes('/projects/team-a/'))).toBe(true)
    } finally {
      await restricted.close()
    }
  })
})
