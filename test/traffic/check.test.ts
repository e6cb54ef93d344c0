// The traffic invariant on table cases (DESIGN.md §4.1): each attack of issue 12 on a live map where
// team-a and team-web hold routes is refused naming the holder; legitimate changes pass with their moves.
import { describe, expect, it } from '@jest/globals'
import type { PathMatcher, UrlMap } from '../../src/core/compute.js'
import { canonicalRef } from '../../src/core/google-semantics/refs.js'
import { checkTraffic } from '../../src/core/traffic/check.js'
import { trafficConflicts, describeMove } from '../../src/core/traffic/conflicts.js'
import { trafficProbes } from '../../src/core/traffic/probes.js'

const P = 'edge-prod'
const bs = (name: string) => `global/backendServices/${name}`
const url = (name: string) => canonicalRef(bs(name), P)

/**
 * The live map: unmanaged fallback default; team-a holds shop.example.com (/cart/* and its default) and
 * api.example.com /v1/*; team-web holds `*` /hello2 and /hello2/*; legacy.example.com is hand-built.
 */
const LIVE: UrlMap = {
  name: 'edge',
  defaultService: bs('fallback'),
  hostRules: [
    { hosts: ['shop.example.com'], pathMatcher: 'shop', description: 'lb-routes owner=team-a' },
    { hosts: ['api.example.com'], pathMatcher: 'api', description: 'lb-routes owner=team-a' },
    { hosts: ['*'], pathMatcher: 'star', description: 'lb-routes owner=team-web' },
    { hosts: ['legacy.example.com'], pathMatcher: 'legacy' }
  ],
  pathMatchers: [
    {
      name: 'shop',
      description: 'lb-routes owner=team-a',
      defaultService: bs('a-shop'),
      pathRules: [{ paths: ['/cart/*'], service: bs('a-cart') }]
    },
    {
      name: 'api',
      description: 'lb-routes owner=team-a',
      defaultService: bs('fallback'),
      pathRules: [{ paths: ['/v1/*'], service: bs('a-api') }]
    },
    {
      name: 'star',
      description: 'lb-routes owner=team-web',
      defaultService: bs('fallback'),
      pathRules: [{ paths: ['/hello2', '/hello2/*'], service: bs('web-hello2') }]
    },
    {
      name: 'legacy',
      defaultService: bs('legacy'),
      pathRules: [{ paths: ['/old/*'], service: bs('legacy-old') }]
    }
  ]
}

const OWNERS = new Map([
  [url('a-shop'), 'team-a'],
  [url('a-cart'), 'team-a'],
  [url('a-api'), 'team-a'],
  [url('web-hello2'), 'team-web'],
  [url('x1'), 'team-x'],
  [url('x2'), 'team-x']
])

const clone = (m: UrlMap): UrlMap => JSON.parse(JSON.stringify(m)) as UrlMap
const matcher = (m: UrlMap, name: string): PathMatcher => m.pathMatchers!.find((p) => p.name === name)!

/** addRules puts team-x's rule into a live matcher (as a careless merge would). */
const addRules =
  (pm: string, paths: string[], service = bs('x1')) =>
  (m: UrlMap): void => {
    const t = matcher(m, pm)
    t.pathRules = [...(t.pathRules ?? []), { paths, service }]
  }

/**
 * addHost gives team-x a host rule of its own (default and rules optional); like the merge, the new
 * matcher gets copies of the `*` rules of other owners unless `noCopies`.
 */
const addHost =
  (host: string, opts: { default?: string; rules?: [string[], string][]; noCopies?: boolean } = {}) =>
  (m: UrlMap): void => {
    const copies = opts.noCopies ? [] : matcher(LIVE, 'star').pathRules!
    const name = `x-${host.replace(/[^a-z0-9]/g, '-')}`
    m.hostRules!.push({ hosts: [host], pathMatcher: name, description: 'lb-routes owner=team-x' })
    m.pathMatchers!.push({
      name,
      description: 'lb-routes owner=team-x',
      defaultService: opts.default ?? bs('fallback'),
      pathRules: [...copies, ...(opts.rules ?? []).map(([paths, service]) => ({ paths, service }))]
    })
  }

interface Case {
  readonly name: string
  /** Where the expectation comes from: the issue's attack list or the design's sentence. */
  readonly cite: string
  readonly change: (m: UrlMap) => void
  /** The holder each refused move names (sorted, unique), or [] for an allowed plan. */
  readonly refused: readonly string[]
  /** A move the plan must record, as `host path: before → after`. */
  readonly records?: string
  readonly scheme?: 'EXTERNAL' | 'EXTERNAL_MANAGED'
}

const ISSUE = 'issue 12, attacks tried'
const CASES: Case[] = [
  {
    name: 'a more specific path under another owner’s prefix',
    cite: `${ISSUE}: /cart/checkout/* under team-a's /cart/*`,
    change: addRules('shop', ['/cart/checkout/*']),
    refused: ['team-a'],
    records: 'shop.example.com /cart/checkout/lbr-probe: team-a (a-cart) → team-x (x1)'
  },
  {
    name: '/cart/ under /cart/*',
    cite: `${ISSUE}: /cart/ under team-a's /cart/*`,
    change: addRules('shop', ['/cart/']),
    refused: ['team-a'],
    records: 'shop.example.com /cart/: team-a (a-cart) → team-x (x1)'
  },
  {
    name: '/v1/admin/* under /v1/*',
    cite: `${ISSUE}: /v1/admin/* under /v1/*`,
    change: addRules('api', ['/v1/admin/*']),
    refused: ['team-a']
  },
  {
    name: 'a new path on a host whose default another owner holds',
    cite: `${ISSUE}: /login on a host whose default team-a holds`,
    change: addRules('shop', ['/login']),
    refused: ['team-a'],
    records: 'shop.example.com /login: team-a (a-shop) → team-x (x1)'
  },
  {
    name: 'host:443 is the host (same path)',
    cite: 'DESIGN §4.1: for ownership, host:port is the host',
    change: addHost('shop.example.com:443', { rules: [[['/cart'], bs('x1')]] }),
    refused: ['team-a']
  },
  {
    name: 'host:443 is the host (a path the owner does not hold)',
    cite: 'DESIGN §4.1: another owner holds shop.example.com (its default or any of its paths)',
    change: addHost('api.example.com:443', { rules: [[['/other'], bs('x1')]] }),
    refused: ['team-a']
  },
  {
    name: 'a wildcard-host default captures another owner’s `*` rule',
    cite: `${ISSUE}: *.example.com captured www.example.com/hello2/x`,
    change: addHost('*.example.com', { default: bs('x1'), noCopies: true }),
    refused: ['team-web'],
    records: 'lbr-probe.example.com /hello2/lbr-probe: team-web (web-hello2) → team-x (x1)'
  },
  {
    name: 'rules added into an unmanaged path matcher',
    cite: `${ISSUE}: /old/secret/* inside a hand-made path matcher`,
    change: addRules('legacy', ['/old/secret/*']),
    refused: ['unmanaged']
  },
  {
    name: '/login on the legacy host',
    cite: `${ISSUE}: /login on the legacy host`,
    change: addRules('legacy', ['/login']),
    refused: ['unmanaged']
  },
  {
    name: 'a new exact host shadows another owner’s `*` rules',
    cite: `${ISSUE}: a new exact host rule (www.example.com) shadows team-web's hosts: ["*"] rule`,
    change: addHost('www.example.com', { default: bs('x1'), noCopies: true }),
    refused: ['team-web'],
    records: 'www.example.com /hello2: team-web (web-hello2) → team-x (x1)'
  },
  {
    name: 'allowed: a new exact host that keeps the `*` rules (copies)',
    cite: 'DESIGN §4.1: `*` path rules are placed in every path matcher, including ones created later',
    change: addHost('www.example.com', { default: bs('x1') }),
    refused: [],
    records: 'www.example.com /: unmanaged (fallback) → team-x (x1)'
  },
  {
    name: 'allowed: a path that fell to the URL map default',
    cite: 'DESIGN §4.1: falls today to a catch-all and the owner claims it more specifically',
    change: addRules('star', ['/x', '/x/*']),
    refused: [],
    records: 'lbr-probe.invalid /x: unmanaged (fallback) → team-x (x1)'
  },
  {
    name: 'allowed: a wildcard-host default over catch-all requests only',
    cite: 'DESIGN §4.1: a wildcard-host default is a catch-all; URL map default requests may be claimed',
    change: (m) => {
      addHost('*.example.org', { default: bs('x1') })(m)
    },
    refused: []
  },
  {
    name: 'allowed: an owner moves its own requests',
    cite: 'DESIGN §4.1: an owner’s plan may change where a request goes if the request is its own',
    change: (m) => {
      matcher(m, 'shop').pathRules![0]!.service = bs('a-api')
    },
    refused: [],
    records: 'shop.example.com /cart/: team-a (a-cart) → team-a (a-api)'
  },
  {
    name: 'classic scheme: host:443 is matched as the host, so the rule moves team-a’s requests',
    cite: 'gce-api.md §8.3: EXTERNAL considers only the hostname',
    change: addRules('shop', ['/cart/checkout/*']),
    refused: ['team-a'],
    records: 'shop.example.com:443 /cart/checkout/lbr-probe: team-a (a-cart) → team-x (x1)',
    scheme: 'EXTERNAL'
  }
]

/** The planning owner for each case: team-a for its own move, team-x otherwise. */
const ownerOf = (c: Case) => (c.name.includes('its own') ? 'team-a' : 'team-x')

describe('checkTraffic: the invariant on the attacks of issue 12', () => {
  it.each(CASES)('$name ($cite)', (c) => {
    const merged = clone(LIVE)
    c.change(merged)
    const moves = checkTraffic({
      owner: ownerOf(c),
      project: P,
      scheme: c.scheme ?? 'EXTERNAL_MANAGED',
      live: LIVE,
      merged,
      liveOwners: OWNERS,
      owners: OWNERS
    })
    expect(moves.length).toBeGreaterThan(0)
    expect([...new Set(moves.flatMap((m) => (m.conflict ? [m.conflict] : [])))].sort()).toEqual(c.refused)
    if (c.records) expect(moves.map(describeMove)).toContain(c.records)
  })

  it('adopting a hand-built backend that unmanaged rules still use: their requests are not the owner’s', () => {
    // team-x adopts legacy-old (bound as its own after the plan) but claims only /old/a/*; the merge takes
    // every rule using the adopted backend out, so legacy.example.com/old/* would fall to the default.
    const merged = clone(LIVE)
    matcher(merged, 'legacy').pathRules = [{ paths: ['/old/a/*'], service: bs('legacy-old') }]
    const after = new Map([...OWNERS, [url('legacy-old'), 'team-x']])
    const moves = checkTraffic({
      owner: 'team-x',
      project: P,
      scheme: 'EXTERNAL_MANAGED',
      live: LIVE,
      merged,
      liveOwners: OWNERS,
      owners: after
    })
    expect(moves.map(describeMove)).toContain(
      'legacy.example.com /old/lbr-probe: unmanaged (legacy-old) → unmanaged (legacy)'
    )
    expect(new Set(moves.map((m) => m.conflict))).toEqual(new Set(['unmanaged']))
  })

  it('records no move when nothing changes', () => {
    expect(
      checkTraffic({
        owner: 'team-x',
        project: P,
        scheme: 'EXTERNAL_MANAGED',
        live: LIVE,
        merged: LIVE,
        liveOwners: OWNERS,
        owners: OWNERS
      })
    ).toEqual([])
  })

  it('groups refused moves into one error per route and holder, at the route that causes them', () => {
    const merged = clone(LIVE)
    addRules('shop', ['/cart/checkout/*', '/cart/'])(merged)
    const moves = checkTraffic({
      owner: 'team-x',
      project: P,
      scheme: 'EXTERNAL_MANAGED',
      live: LIVE,
      merged,
      liveOwners: OWNERS,
      owners: OWNERS
    })
    const errors = trafficConflicts(
      moves,
      [{ name: 'checkout', hosts: ['shop.example.com'], service: url('x1') }],
      P
    )
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ route: 'checkout', holder: 'team-a' })
    expect(errors[0]!.message).toMatch(
      /^route checkout would move requests held by owner team-a: shop\.example\.com \/cart\/: team-a \(a-cart\) → team-x \(x1\); .*agree with team-a/
    )
  })

  it('tells a `*` route to list its hosts or agree with the holder', () => {
    const merged = clone(LIVE)
    addRules('shop', ['/login'])(merged)
    const moves = checkTraffic({
      owner: 'team-x',
      project: P,
      scheme: 'EXTERNAL_MANAGED',
      live: LIVE,
      merged,
      liveOwners: OWNERS,
      owners: OWNERS
    })
    const [e] = trafficConflicts(moves, [{ name: 'login', hosts: ['*'], service: url('x1') }], P)
    expect(e!.message).toContain('list the hosts explicitly or agree with team-a')
  })
})

describe('trafficProbes', () => {
  it('covers hosts with and without ports, wildcard samples, children and siblings of each pattern', () => {
    const probes = trafficProbes([LIVE], 'EXTERNAL_MANAGED').map((p) => `${p.host}${p.path}`)
    for (const p of [
      'shop.example.com/cart/lbr-probe',
      'shop.example.com/cart',
      'lbr-probe.invalid/hello2/lbr-probe',
      'lbr-probe.invalid/hello2lbr-probe',
      'legacy.example.com/old/'
    ])
      expect(probes).toContain(p)
  })

  it('probes one host per class: ported hosts that fall to `*` share its class, unless a rule names them', () => {
    const managed = trafficProbes([LIVE], 'EXTERNAL_MANAGED').map((p) => p.host)
    expect(managed).not.toContain('shop.example.com:443')
    const classic = trafficProbes([LIVE], 'EXTERNAL').map((p) => `${p.host}${p.path}`)
    expect(classic).toContain('shop.example.com:443/cart/lbr-probe')
  })

  it('includes route-rule match paths', () => {
    const map: UrlMap = {
      defaultService: bs('fallback'),
      hostRules: [{ hosts: ['r.example.com'], pathMatcher: 'r' }],
      pathMatchers: [
        {
          name: 'r',
          defaultService: bs('fallback'),
          routeRules: [
            { priority: 1, matchRules: [{ prefixMatch: '/api' }], service: bs('x1') },
            { priority: 2, matchRules: [{ fullPathMatch: '/exact' }], service: bs('x1') },
            { priority: 3, matchRules: [{ pathTemplateMatch: '/u/{id}/*' }], service: bs('x1') }
          ]
        }
      ]
    }
    const probes = trafficProbes([map], 'EXTERNAL_MANAGED').map((p) => `${p.host}${p.path}`)
    for (const p of [
      'r.example.com/apilbr-probe',
      'r.example.com/exact',
      'r.example.com/u/lbr-probe/lbr-probe'
    ])
      expect(probes).toContain(p)
  })
})
