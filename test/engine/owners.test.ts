// Two owners on one URL map and one host, through the CLI against the emulator: each applies and removes
// its own routes without touching the other's; claiming the other's path is a plan error naming the
// holder; a URL map edit made between plan and apply is merged, not lost; a saved plan is refused when
// routes.json changed after it was saved.
import { afterEach, describe, expect, it } from '@jest/globals'
import type { PathMatcher, UrlMap } from '../../src/core/compute.js'
import { applyPlan } from '../../src/shell/engine/apply-plan.js'
import { planRoutesFile } from '../../src/shell/engine/plan-routes.js'
import { staticTokenCredentials } from '../../src/shell/google/credentials.js'
import { RunClient } from '../../src/shell/google/run-client.js'
import { edit, emptyMapState, fixture, LB, projectAndName, Scenario, URL_MAP } from './scenario-helpers.js'

let sc: Scenario | undefined
afterEach(async () => {
  await sc?.close()
  sc = undefined
})

const FALLBACK = `${LB}/fallback`

/** sharedMatcher is the one path matcher serving shared.example.com. */
function sharedMatcher(map: UrlMap): PathMatcher {
  const rules = (map.hostRules ?? []).filter((h) => h.hosts?.includes('shared.example.com'))
  expect(rules).toHaveLength(1)
  return map.pathMatchers!.find((pm) => pm.name === rules[0]!.pathMatcher)!
}

/** rulesOf serialises the path rules of `pm` that point at `owner`'s backend services. */
function rulesOf(pm: PathMatcher, owner: string): string {
  return JSON.stringify((pm.pathRules ?? []).filter((r) => r.service?.includes(`/lbr-${owner}-`)))
}

const y2Claim = {
  name: 'y2',
  hosts: ['shared.example.com'],
  paths: ['/x/*'],
  to: { cloudRun: { url: 'https://y2-6a6a-ew.a.run.app' } }
}
const y3 = {
  name: 'y3',
  hosts: ['shared.example.com'],
  prefix: '/y3',
  to: { cloudRun: { url: 'https://y3-6a6a-ew.a.run.app' } }
}

describe('two owners on one URL map and one host', () => {
  it('both apply, each removes its own routes, and the other owner is never touched', async () => {
    sc = await Scenario.start(emptyMapState())
    const x = sc.routes('x.json', 'team-x.jsonc')
    const y = sc.routes('y.json', 'team-y.jsonc')
    await sc.converge(x)
    await sc.converge(y)
    // team-x's apply must not have made team-y's plan dirty and vice versa.
    expect((await sc.run(['plan', '--routes', x])).code).toBe(0)

    const x1 = sc.backendOf('team-x', 'x1')
    const x2 = sc.backendOf('team-x', 'x2')
    const y1 = sc.backendOf('team-y', 'y1')
    expect(sc.where('shared.example.com', '/x/a').service).toBe(projectAndName(x1))
    expect(sc.where('shared.example.com', '/x2/a')).toEqual({ service: projectAndName(x2), path: '/a' })
    expect(sc.where('shared.example.com', '/y')).toEqual({ service: projectAndName(y1), path: '/y' })
    expect(sc.where('shared.example.com', '/elsewhere').service).toBe(FALLBACK)
    const yRules = rulesOf(sharedMatcher(sc.urlMap()), 'team-y')
    const yResources = JSON.stringify(sc.backendServices().filter((b) => b.name === y1.name))

    // team-x drops x2: its backend goes, team-y's rules and resources stay byte-identical.
    sc.routes('x.json', edit(fixture('team-x.jsonc'), [['routes', 1]]))
    await sc.converge(x)
    expect(sc.backendServices().map((b) => b.name)).not.toContain(x2.name)
    expect(sc.where('shared.example.com', '/x2/a').service).toBe(FALLBACK)
    expect(rulesOf(sharedMatcher(sc.urlMap()), 'team-y')).toBe(yRules)
    expect(JSON.stringify(sc.backendServices().filter((b) => b.name === y1.name))).toBe(yResources)

    // team-y removes y1 in favour of y3: team-x's remaining rule stays byte-identical.
    const xRules = rulesOf(sharedMatcher(sc.urlMap()), 'team-x')
    sc.routes('y.json', edit(fixture('team-y.jsonc'), [[['routes', 0], y3]]))
    await sc.converge(y)
    expect(sc.backendServices().map((b) => b.name)).not.toContain(y1.name)
    expect(sc.where('shared.example.com', '/y/a').service).toBe(FALLBACK)
    expect(sc.where('shared.example.com', '/y3/a').service).toBe(projectAndName(sc.backendOf('team-y', 'y3')))
    expect(rulesOf(sharedMatcher(sc.urlMap()), 'team-x')).toBe(xRules)
    expect((await sc.run(['plan', '--routes', x])).code).toBe(0)
  })

  it("refuses to claim another owner's path, naming the holder at the route's line", async () => {
    sc = await Scenario.start(emptyMapState())
    await sc.converge(sc.routes('x.json', 'team-x.jsonc'))
    const text = edit(fixture('team-y.jsonc'), [[['routes', -1], y2Claim]])
    const y = sc.routes('y.json', text)
    const before = sc.state()
    const plan = await sc.run(['plan', '--routes', y])
    expect(plan.code).toBe(1)
    const lines = text.split('\n')
    // The route object starts on the line before its "name".
    const line = lines.findIndex((l) => l.includes('"y2"'))
    const col = lines[line - 1]!.indexOf('{') + 1
    expect(plan.stderr).toMatch(
      new RegExp(
        `^y\\.json:${line}:${col}: error: route y2 claims host shared\\.example\\.com path /x/\\*, which is held by owner team-x .*$`,
        'm'
      )
    )
    // One cause, one message: no follow-on errors about duplicate paths or shadowed generated tests.
    expect(plan.stderr.trim().split('\n')).toHaveLength(1)
    const apply = await sc.run(['apply', '--routes', y])
    expect(apply.code).toBe(1)
    expect(apply.stderr).toContain('held by owner team-x')
    expect(sc.state()).toEqual(before)
  })
})

describe('a saved plan (plan --out, apply --plan)', () => {
  it('merges a URL map change made between plan and apply instead of losing it', async () => {
    sc = await Scenario.start(emptyMapState())
    await sc.converge(sc.routes('x.json', 'team-x.jsonc'))
    const y = sc.routes('y.json', 'team-y.jsonc')
    const plan = await sc.run(['plan', '--routes', y, '--out', 'plan.json'])
    expect(plan.code).toBe(2)

    // Someone else adds an unrelated rule with a proper fingerprinted update.
    const live = await sc.compute.getUrlMap(LB, URL_MAP)
    const fallback = live.defaultService!
    await sc.compute.run(
      sc.compute.updateUrlMap(LB, URL_MAP, {
        ...live,
        hostRules: [...(live.hostRules ?? []), { hosts: ['other.example.com'], pathMatcher: 'other' }],
        pathMatchers: [
          ...(live.pathMatchers ?? []),
          { name: 'other', defaultService: fallback, pathRules: [{ paths: ['/o/*'], service: fallback }] }
        ]
      })
    )
    const apply = await sc.run(['apply', '--routes', y, '--plan', 'plan.json'])
    expect([apply.code, apply.stderr]).toEqual([0, expect.any(String)])
    const map = sc.urlMap()
    expect(
      map.hostRules!.some((h) => h.pathMatcher === 'other' && h.hosts?.includes('other.example.com'))
    ).toBe(true)
    expect(map.pathMatchers!.find((pm) => pm.name === 'other')!.pathRules).toEqual([
      { paths: ['/o/*'], service: fallback }
    ])
    expect(sc.where('shared.example.com', '/y/1').service).toBe(projectAndName(sc.backendOf('team-y', 'y1')))
    expect(sc.where('shared.example.com', '/x/1').service).toBe(projectAndName(sc.backendOf('team-x', 'x1')))
    expect((await sc.run(['plan', '--routes', y])).code).toBe(0)
  })

  it('re-merges when the URL map changes between the read and the write (412 conditionNotMet)', async () => {
    sc = await Scenario.start(emptyMapState())
    await sc.converge(sc.routes('x.json', 'team-x.jsonc'))
    const clients = {
      compute: sc.compute,
      run: new RunClient({ endpoint: `${sc.emulator.url}/v2/`, credentials: staticTokenCredentials('t') })
    }
    const planned = await planRoutesFile({
      file: 'y.json',
      bytes: fixture('team-y.jsonc'),
      clients,
      now: new Date()
    })
    expect(planned.diagnostics).toEqual([])
    let raced = 0
    const result = await applyPlan(planned.plan!, {
      compute: sc.compute,
      // Right before lb-routes writes, someone else updates the map (an unrelated host rule).
      beforeUrlMapWrite: async () => {
        if (raced++ > 0) return
        const live = await sc!.compute.getUrlMap(LB, URL_MAP)
        await sc!.compute.run(
          sc!.compute.updateUrlMap(LB, URL_MAP, {
            ...live,
            hostRules: [...(live.hostRules ?? []), { hosts: ['race.example.com'], pathMatcher: 'race' }],
            pathMatchers: [
              ...(live.pathMatchers ?? []),
              { name: 'race', defaultService: live.defaultService! }
            ]
          })
        )
      }
    })
    expect([result.status, result.urlMapRetries]).toEqual(['applied', 1])
    expect(sc.urlMap().hostRules!.some((h) => h.pathMatcher === 'race')).toBe(true)
    expect(sc.where('shared.example.com', '/y').service).toBe(projectAndName(sc.backendOf('team-y', 'y1')))
    expect(sc.where('shared.example.com', '/x').service).toBe(projectAndName(sc.backendOf('team-x', 'x1')))
  })

  it('is refused when routes.json changed after the plan was saved, saying what changed', async () => {
    sc = await Scenario.start(emptyMapState())
    const y = sc.routes('y.json', 'team-y.jsonc')
    expect((await sc.run(['plan', '--routes', y, '--out', 'plan.json'])).code).toBe(2)
    sc.routes('y.json', edit(fixture('team-y.jsonc'), [[['routes', -1], y3]]))
    const before = sc.state()
    const apply = await sc.run(['apply', '--routes', y, '--plan', 'plan.json'])
    expect(apply.code).toBe(1)
    const out = apply.stdout + apply.stderr
    expect(out).toMatch(/plan changed since it was reviewed/)
    expect(out).toMatch(/now also: .*create backendService\/edge-prod\/global\/lbr-team-y-y3-/)
    expect(sc.state()).toEqual(before)
  })

  it('points an error about the map as a whole at loadBalancer, and a failing declared test at the test', async () => {
    sc = await Scenario.start(emptyMapState())
    await sc.converge(sc.routes('x.json', 'team-x.jsonc'))
    const test = { host: 'shared.example.com', path: '/x/1', expect: { route: 'y1' } }
    const text = edit(fixture('team-y.jsonc'), [[['tests'], [test]]])
    const y = sc.routes('y.json', text)
    const plan = await sc.run(['plan', '--routes', y])
    expect(plan.code).toBe(1)
    const lines = text.split('\n')
    // The test object opens on the line after "tests": [ (the edit writes one key per line).
    const testLine = lines.findIndex((l) => l.includes('"tests"')) + 2
    expect(lines[testLine - 1]!.trim()).toBe('{')
    expect(plan.stderr).toMatch(new RegExp(`^y\\.json:${testLine}:\\d+: error: route test failed: .*`, 'm'))

    // No URL map, and no route declares the default that would create it: an error about the map itself.
    const noMap = await Scenario.start({ projects: { [LB]: {} } })
    try {
      const file = noMap.routes('y.json', fixture('team-y.jsonc'))
      const r = await noMap.run(['plan', '--routes', file])
      expect(r.code).toBe(1)
      const lbLine =
        fixture('team-y.jsonc')
          .split('\n')
          .findIndex((l) => l.includes('"loadBalancer"')) + 1
      expect(r.stderr).toMatch(
        new RegExp(
          `^y\\.json:${lbLine}:\\d+: error: URL map edge does not exist in project ${LB}; .*default`,
          'm'
        )
      )
    } finally {
      await noMap.close()
    }
  })
})

const bs = (project: string, name: string) =>
  `https://www.googleapis.com/compute/v1/projects/${project}/global/backendServices/${name}`

describe('the URL map write (apply), when the map changed after the plan', () => {
  it("refuses when the owner's * rules would now move another owner's requests, and writes nothing", async () => {
    sc = await Scenario.start(emptyMapState())
    const clients = {
      compute: sc.compute,
      run: new RunClient({ endpoint: `${sc.emulator.url}/v2/`, credentials: staticTokenCredentials('t') })
    }
    const routes = JSON.stringify({
      version: 1,
      owner: 'team-web',
      loadBalancer: { project: LB, urlMap: URL_MAP },
      routes: [
        { name: 'promo', prefix: '/promo', to: { cloudRun: { url: 'https://promo-5f5f-ew.a.run.app' } } }
      ]
    })
    const planned = await planRoutesFile({ file: 'web.json', bytes: routes, clients, now: new Date() })
    expect(planned.diagnostics).toEqual([])
    const result = await applyPlan(planned.plan!, {
      compute: sc.compute,
      // Between the plan and the write, team-a creates shop.example.com with its own default: team-web's
      // `*` /promo would now be copied into team-a's matcher and take shop.example.com/promo.
      beforeUrlMapWrite: async () => {
        if (sc!.urlMap().hostRules?.some((h) => h.hosts?.includes('shop.example.com'))) return
        await sc!.compute.run(
          sc!.compute.insertBackendService(LB, {
            name: 'fallback-shop',
            description: 'lb-routes owner=team-a routes=shop (managed by lb-routes; do not edit by hand)',
            protocol: 'HTTPS',
            loadBalancingScheme: 'EXTERNAL_MANAGED'
          })
        )
        const live = await sc!.compute.getUrlMap(LB, URL_MAP)
        await sc!.compute.run(
          sc!.compute.updateUrlMap(LB, URL_MAP, {
            ...live,
            hostRules: [...(live.hostRules ?? []), { hosts: ['shop.example.com'], pathMatcher: 'shop' }],
            pathMatchers: [
              ...(live.pathMatchers ?? []),
              {
                name: 'shop',
                description: 'lb-routes owner=team-a (managed by lb-routes; do not edit by hand)',
                defaultService: bs(LB, 'fallback-shop')
              }
            ]
          })
        )
      }
    })
    expect(result.status).toBe('failed')
    expect(JSON.stringify(result.steps)).toMatch(
      /owner team-web's rules would now move requests that are not its own \(shop\.example\.com \/promo/
    )
    expect(sc.where('shop.example.com', '/promo').service).toBe(`${LB}/fallback-shop`)
    expect(sc.where('www.example.com', '/promo').service).toBe(`${LB}/fallback`)
  })
})
