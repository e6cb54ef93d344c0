// Nobody's traffic moves without their say (issue 12, DESIGN.md §4.1), end to end against the emulator:
// team-web holds `*` /hello2, team-a holds shop.example.com (its default and /cart) and api.example.com
// /v1/*, legacy.example.com is hand-built. Each attack of the issue is tried by team-x through the CLI; the
// proof is the LIVE map after `apply`, evaluated with the shared evaluator: every other owner's and every
// unmanaged request still goes where it went. Refused plans also name the holder.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { BackendService } from '../../src/core/compute.js'
import type { EmulatorState } from '../../src/emulator/types.js'
import { emptyMapState, LB, projectAndName, Scenario } from './scenario-helpers.js'

const G = `https://www.googleapis.com/compute/v1/projects/${LB}/global/`

/** The empty-map state plus a hand-built legacy host whose backend's description mentions the marker in prose. */
function stateWithLegacy(): EmulatorState {
  const state = emptyMapState()
  const p = state.projects[LB]!
  const map = p.urlMaps![0]!
  map.hostRules = [{ hosts: ['legacy.example.com'], pathMatcher: 'legacy' }]
  map.pathMatchers = [
    {
      name: 'legacy',
      description: 'hand-made in the console in 2021',
      defaultService: `${G}backendServices/legacy-web`,
      pathRules: [{ paths: ['/old/*'], service: `${G}backendServices/legacy-old` }]
    }
  ]
  const handBuilt = (name: string, description: string): BackendService => ({
    name,
    description,
    protocol: 'HTTPS',
    loadBalancingScheme: 'EXTERNAL_MANAGED',
    backends: [{ group: `${G}networkEndpointGroups/fallback-neg` }]
  })
  p.backendServices!.push(
    handBuilt('legacy-web', 'legacy site; ask team-web (see lb-routes owner=team-web in the wiki)'),
    handBuilt('legacy-old', 'archive')
  )
  return state
}

const run = (name: string) => ({ cloudRun: { url: `https://${name}-5f5f-ew.a.run.app` } })
const file = (owner: string, routes: unknown[], tests: unknown[] = []) =>
  JSON.stringify({ version: 1, owner, loadBalancer: { project: LB, urlMap: 'edge' }, routes, tests }, null, 2)

const TEAM_WEB = file(
  'team-web',
  [{ name: 'hello2', prefix: '/hello2', rewrite: { pathPrefix: '/' }, to: run('hello2') }],
  [{ host: 'www.example.com', path: '/hello2/x', expect: { route: 'hello2', path: '/x' } }]
)
const TEAM_A = file('team-a', [
  { name: 'shop', hosts: ['shop.example.com'], default: true, to: run('shop') },
  { name: 'cart', hosts: ['shop.example.com'], prefix: '/cart', to: run('cart') },
  { name: 'api', hosts: ['api.example.com'], paths: ['/v1/*'], to: run('api') }
])

/** Requests of team-web, team-a and the hand-built host, with where they go before any attack. */
const WATCHED: readonly [string, string][] = [
  ['www.example.com', '/hello2/x'],
  ['lbr-probe.example.com', '/hello2/x'],
  ['api.example.com', '/hello2/x'],
  ['shop.example.com', '/'],
  ['shop.example.com', '/login'],
  ['shop.example.com', '/cart/'],
  ['shop.example.com', '/cart/checkout/pay'],
  ['shop.example.com:443', '/cart'],
  ['api.example.com', '/v1/admin/users'],
  ['legacy.example.com', '/'],
  ['legacy.example.com', '/login'],
  ['legacy.example.com', '/old/secret/x']
]

let sc: Scenario
let before: Map<string, string>
const where = (host: string, path: string) => sc.where(host, path).service

beforeEach(async () => {
  sc = await Scenario.start(stateWithLegacy())
  // team-web first: team-a's matchers, created later, then carry copies of team-web's `*` rules.
  await sc.converge(sc.routes('web.json', TEAM_WEB))
  await sc.converge(sc.routes('a.json', TEAM_A))
  before = new Map(WATCHED.map(([h, p]) => [`${h}${p}`, where(h, p)]))
})
afterEach(async () => {
  await sc.close()
})

/** unmoved asserts that every watched request still reaches what it reached before the attack. */
function unmoved(): void {
  const now = new Map(WATCHED.map(([h, p]) => [`${h}${p}`, where(h, p)]))
  expect(Object.fromEntries(now)).toEqual(Object.fromEntries(before))
}

interface Attack {
  readonly name: string
  readonly routes: unknown[]
  /** The holder the refusal names. */
  readonly holder: string
}

const ATTACKS: Attack[] = [
  {
    name: '/cart/checkout/* under team-a’s /cart/*',
    routes: [{ name: 'co', hosts: ['shop.example.com'], paths: ['/cart/checkout/*'], to: run('x1') }],
    holder: 'team-a'
  },
  {
    name: '/cart/ under team-a’s /cart/*',
    routes: [{ name: 'slash', hosts: ['shop.example.com'], paths: ['/cart/'], to: run('x1') }],
    holder: 'team-a'
  },
  {
    name: '/v1/admin/* under team-a’s /v1/*',
    routes: [{ name: 'admin', hosts: ['api.example.com'], paths: ['/v1/admin/*'], to: run('x1') }],
    holder: 'team-a'
  },
  {
    name: '/login on a host whose default team-a holds',
    routes: [{ name: 'login', hosts: ['shop.example.com'], paths: ['/login'], to: run('x1') }],
    holder: 'team-a'
  },
  {
    name: 'shop.example.com:443 with /cart',
    routes: [{ name: 'port', hosts: ['shop.example.com:443'], paths: ['/cart'], to: run('x1') }],
    holder: 'team-a'
  },
  {
    name: '/old/secret/* inside the hand-made path matcher',
    routes: [{ name: 'secret', hosts: ['legacy.example.com'], paths: ['/old/secret/*'], to: run('x1') }],
    holder: 'unmanaged'
  },
  {
    name: '/login on the legacy host',
    routes: [{ name: 'legacy-login', hosts: ['legacy.example.com'], paths: ['/login'], to: run('x1') }],
    holder: 'unmanaged'
  },
  {
    name: 'a `*` route where team-a holds the host default',
    routes: [{ name: 'promo', paths: ['/promo'], to: run('x1') }],
    holder: 'team-a'
  }
]

describe('attacks of issue 12 are refused naming the holder, and the live map does not move', () => {
  it.each(ATTACKS)('$name', async (attack) => {
    const x = sc.routes('x.json', file('team-x', attack.routes))
    const plan = await sc.run(['plan', '--routes', x])
    expect(plan.code).toBe(1)
    expect(plan.stderr).toMatch(/^x\.json:\d+:\d+: error: /m)
    expect(plan.stderr).toContain(attack.holder === 'unmanaged' ? 'unmanaged' : `owner ${attack.holder}`)
    const apply = await sc.run(['apply', '--routes', x])
    expect(apply.code).toBe(1)
    unmoved()
  })

  it('a `*` route that would move team-a’s requests says to list the hosts or agree', async () => {
    const x = sc.routes('x.json', file('team-x', [{ name: 'promo', paths: ['/promo'], to: run('x1') }]))
    const plan = await sc.run(['plan', '--routes', x])
    expect(plan.stderr).toContain('list the hosts explicitly or agree with team-a')
    expect(plan.stderr).toContain('shop.example.com /promo: team-a')
  })
})

describe('what the invariant allows plans, applies and leaves every other request where it was', () => {
  it('a wildcard-host default (*.example.com): team-web’s `*` rules keep serving under it', async () => {
    const x = sc.routes(
      'x.json',
      file('team-x', [{ name: 'wild', hosts: ['*.example.com'], default: true, to: run('x1') }])
    )
    await sc.converge(x)
    unmoved()
    expect(where('other.example.com', '/anything')).toBe(projectAndName(sc.backendOf('team-x', 'wild')))
    // team-web's pipeline stays green: its route test on www.example.com still passes, nothing to change.
    expect((await sc.run(['plan', '--routes', 'web.json'])).code).toBe(0)
  })

  it('a new exact host next to team-web’s `*` rules: they still serve on it', async () => {
    const x = sc.routes(
      'x.json',
      file('team-x', [{ name: 'www', hosts: ['www.example.com'], default: true, to: run('x1') }])
    )
    await sc.converge(x)
    unmoved()
    expect(where('www.example.com', '/')).toBe(projectAndName(sc.backendOf('team-x', 'www')))
    expect(where('www.example.com', '/hello2/x')).toBe(projectAndName(sc.backendOf('team-web', 'hello2')))
    expect((await sc.run(['plan', '--routes', 'web.json'])).code).toBe(0)
    expect((await sc.run(['plan', '--routes', 'a.json'])).code).toBe(0)
  })

  it('a `*` route applies on every host, and removing it removes every copy', async () => {
    const web2 = file('team-web', [
      { name: 'hello2', prefix: '/hello2', rewrite: { pathPrefix: '/' }, to: run('hello2') },
      { name: 'docs', prefix: '/docs', to: run('docs') }
    ])
    // shop.example.com/docs is team-a's (its host default): refused until team-web lists the hosts.
    const refused = await sc.run(['plan', '--routes', sc.routes('web.json', web2)])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('list the hosts explicitly or agree with team-a')
    unmoved()
    // Without team-a's host default, /docs lands on every host, team-a's api host included.
    const aNoDefault = file('team-a', [
      { name: 'cart', hosts: ['shop.example.com'], prefix: '/cart', to: run('cart') },
      { name: 'api', hosts: ['api.example.com'], paths: ['/v1/*'], to: run('api') }
    ])
    await sc.converge(sc.routes('a.json', aNoDefault))
    await sc.converge('web.json')
    const docs = projectAndName(sc.backendOf('team-web', 'docs'))
    for (const h of ['api.example.com', 'shop.example.com', 'any.example.org'])
      expect(where(h, '/docs/x')).toBe(docs)
    expect(where('legacy.example.com', '/docs/x')).toBe(`${LB}/legacy-web`)
    sc.routes('web.json', TEAM_WEB)
    await sc.converge('web.json')
    const map = JSON.stringify(sc.urlMap())
    expect(map).not.toContain('docs')
  })

  it('an unmanaged backend that mentions the marker in prose is neither deleted nor its host taken over', async () => {
    expect(sc.backendServices().map((b) => b.name)).toContain('legacy-web')
    expect(where('legacy.example.com', '/')).toBe(`${LB}/legacy-web`)
  })
})
