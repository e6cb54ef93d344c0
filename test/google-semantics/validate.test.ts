import { describe, it, expect } from '@jest/globals'
import type { UrlMap } from '../../src/core/compute.js'
import {
  collectServiceReferences,
  validateUrlMapStructure,
  validHost,
  validPathRulePath,
  type ValidateOptions
} from '../../src/core/google-semantics/validate.js'
import { bs, mainMap } from './fixtures.js'

/** base is a small valid map; each case breaks one rule of gce-api.md §6.4. */
const base = (): UrlMap => ({
  name: 'edge',
  defaultService: bs('default'),
  hostRules: [
    { hosts: ['a.example.com'], pathMatcher: 'a' },
    { hosts: ['b.example.com', '*.b.example.com'], pathMatcher: 'b' }
  ],
  pathMatchers: [
    { name: 'a', defaultService: bs('a'), pathRules: [{ paths: ['/x', '/x/*'], service: bs('x') }] },
    {
      name: 'b',
      defaultService: bs('b'),
      routeRules: [{ priority: 1, matchRules: [{ prefixMatch: '/api' }], service: bs('api') }]
    }
  ],
  tests: [{ host: 'a.example.com', path: '/x', service: bs('x') }]
})

const many = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i))

interface Case {
  readonly name: string
  readonly edit: (m: UrlMap) => void
  readonly opts?: ValidateOptions
  /** Field and the start of the message of the one problem expected. */
  readonly field: string
  readonly message: string
  /** Number of problems expected when one edit necessarily breaks two rules (default 1). */
  readonly count?: number
}

const cases: Case[] = [
  {
    name: '1 name regex',
    edit: (m) => (m.name = 'Bad_Name'),
    field: 'resource.name',
    message:
      "Invalid value for field 'resource.name': 'Bad_Name'. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'"
  },
  {
    name: '1 name too long',
    edit: (m) => (m.name = 'a'.repeat(64)),
    field: 'resource.name',
    message: "Invalid value for field 'resource.name'"
  },
  {
    name: '1 name missing',
    edit: (m) => delete m.name,
    field: 'resource.name',
    message: "Required field 'resource.name' not specified"
  },
  {
    name: '2 map has two defaults',
    edit: (m) => (m.defaultUrlRedirect = { hostRedirect: 'x.org' }),
    field: 'resource.defaultService',
    message:
      "Invalid value for field 'resource.defaultService': 'global/backendServices/default'. Only one of defaultUrlRedirect, defaultService or defaultRouteAction.weightedBackendService can be set"
  },
  {
    name: '2 map has no default',
    edit: (m) => delete m.defaultService,
    field: 'resource.defaultService',
    message: "Invalid value for field 'resource.defaultService': ''. One of defaultService"
  },
  {
    name: '2 matcher without default',
    edit: (m) => delete m.pathMatchers![0]!.defaultService,
    field: 'resource.pathMatchers[0].defaultService',
    message: "Invalid value for field 'resource.pathMatchers[0].defaultService': ''. One of"
  },
  {
    name: '2 matcher default service and weighted',
    edit: (m) =>
      (m.pathMatchers![0]!.defaultRouteAction = {
        weightedBackendServices: [{ backendService: bs('w'), weight: 1 }]
      }),
    field: 'resource.pathMatchers[0].defaultService',
    message: 'Only one of defaultUrlRedirect'
  },
  {
    name: '2 path rule with service and redirect',
    edit: (m) => (m.pathMatchers![0]!.pathRules![0]!.urlRedirect = { pathRedirect: '/y' }),
    field: 'resource.pathMatchers[0].pathRules[0].service',
    message: 'Only one of urlRedirect, service or routeAction.weightedBackendService must be set'
  },
  {
    name: '2 route rule with no action',
    edit: (m) => delete m.pathMatchers![1]!.routeRules![0]!.service,
    field: 'resource.pathMatchers[1].routeRules[0].service',
    message: 'Only one of urlRedirect'
  },
  {
    name: '3 unknown path matcher',
    edit: (m) => (m.hostRules![0]!.pathMatcher = 'c'),
    field: 'resource.hostRules[0].pathMatcher',
    message:
      "Invalid value for field 'resource.hostRules[0].pathMatcher': 'c'. Bad path matcher name specified in host rule"
  },
  {
    name: '4 duplicate host across rules',
    edit: (m) => m.hostRules![1]!.hosts!.push('a.example.com'),
    field: 'resource.hostRules[1].hosts[2]',
    message:
      "Invalid value for field 'resource.hostRules[1].hosts[2]': 'a.example.com'. Duplicate host 'a.example.com'"
  },
  {
    name: '4 duplicate host, other case',
    edit: (m) => m.hostRules![1]!.hosts!.push('A.Example.com'),
    field: 'resource.hostRules[1].hosts[2]',
    message: 'Duplicate host'
  },
  {
    name: '5 host with * in the middle',
    edit: (m) => (m.hostRules![0]!.hosts = ['a.*.com']),
    field: 'resource.hostRules[0].hosts[0]',
    message: "Invalid value for field 'resource.hostRules[0].hosts[0]': 'a.*.com'. Invalid host"
  },
  {
    name: '5 host *example.com',
    edit: (m) => (m.hostRules![0]!.hosts = ['*example.com']),
    field: 'resource.hostRules[0].hosts[0]',
    message: 'Invalid host'
  },
  {
    name: '6 path without leading /',
    edit: (m) => (m.pathMatchers![0]!.pathRules![0]!.paths = ['api/*']),
    field: 'resource.pathMatchers[0].pathRules[0].paths[0]',
    message:
      "Invalid value for field 'resource.pathMatchers[0].pathRules[0].paths[0]': 'api/*'. Path must start with /"
  },
  {
    name: '6 path /videos*',
    edit: (m) => (m.pathMatchers![0]!.pathRules![0]!.paths = ['/videos*']),
    field: 'resource.pathMatchers[0].pathRules[0].paths[0]',
    message: 'Path must start with /'
  },
  {
    name: '7 duplicate path in a matcher',
    edit: (m) => m.pathMatchers![0]!.pathRules!.push({ paths: ['/x/*'], service: bs('y') }),
    field: 'resource.pathMatchers[0].pathRules[1].paths[0]',
    message: "Duplicate path '/x/*'"
  },
  {
    name: '8 pathRules and routeRules together',
    edit: (m) => (m.pathMatchers![1]!.pathRules = [{ paths: ['/p'], service: bs('p') }]),
    field: 'resource.pathMatchers[1].routeRules',
    message: 'Only one of pathRules or routeRules'
  },
  {
    name: '9 duplicate priority',
    edit: (m) =>
      m.pathMatchers![1]!.routeRules!.push({
        priority: 1,
        matchRules: [{ prefixMatch: '/b' }],
        service: bs('x')
      }),
    field: 'resource.pathMatchers[1].routeRules[1].priority',
    message: 'Duplicate priority 1'
  },
  {
    name: '9 priority out of range',
    edit: (m) => (m.pathMatchers![1]!.routeRules![0]!.priority = 2147483648),
    field: 'resource.pathMatchers[1].routeRules[0].priority',
    message: 'Priority must be between 0 and 2147483647'
  },
  {
    name: '9 two path predicates',
    edit: (m) => (m.pathMatchers![1]!.routeRules![0]!.matchRules![0]!.fullPathMatch = '/api'),
    field: 'resource.pathMatchers[1].routeRules[0].matchRules[0]',
    message: 'Exactly one of prefixMatch'
  },
  {
    name: '9 prefixMatch without /',
    edit: (m) => (m.pathMatchers![1]!.routeRules![0]!.matchRules = [{ prefixMatch: 'api' }]),
    field: 'resource.pathMatchers[1].routeRules[0].matchRules[0].prefixMatch',
    message: 'prefixMatch must begin with a /'
  },
  {
    name: '9 regexMatch rejected',
    edit: (m) => (m.pathMatchers![1]!.routeRules![0]!.matchRules = [{ regexMatch: '/a.*' }]),
    field: 'resource.pathMatchers[1].routeRules[0].matchRules[0].regexMatch',
    message: "Global and classic Application Load Balancers don't support regular expressions"
  },
  {
    name: '9 pathTemplateMatch on classic',
    opts: { scheme: 'EXTERNAL' },
    edit: (m) => (m.pathMatchers![1]!.routeRules![0]!.matchRules = [{ pathTemplateMatch: '/a/{x}' }]),
    field: 'resource.pathMatchers[1].routeRules[0].matchRules[0].pathTemplateMatch',
    message: 'pathTemplateMatch is not supported for classic'
  },
  {
    name: '9 pathTemplateMatch > 5 operators',
    edit: (m) =>
      (m.pathMatchers![1]!.routeRules![0]!.matchRules = [{ pathTemplateMatch: '/{a}/{b}/{c}/{d}/{e}/{f}' }]),
    field: 'resource.pathMatchers[1].routeRules[0].matchRules[0].pathTemplateMatch',
    message: 'at most 5 operators'
  },
  {
    name: '10 two rewrites',
    edit: (m) => {
      const r = m.pathMatchers![1]!.routeRules![0]!
      r.matchRules = [{ pathTemplateMatch: '/api/{x}' }]
      r.routeAction = { urlRewrite: { pathPrefixRewrite: '/', pathTemplateRewrite: '/{x}' } }
    },
    field: 'resource.pathMatchers[1].routeRules[0].routeAction.urlRewrite',
    message: 'Only one of pathPrefixRewrite, pathTemplateRewrite or regexRewrite'
  },
  {
    name: '10 hostRewrite too long',
    edit: (m) =>
      (m.pathMatchers![0]!.pathRules![0]!.routeAction = { urlRewrite: { hostRewrite: 'h'.repeat(256) } }),
    field: 'resource.pathMatchers[0].pathRules[0].routeAction.urlRewrite.hostRewrite',
    message: 'hostRewrite must be between 1 and 255 characters'
  },
  {
    name: '10 pathPrefixRewrite empty',
    edit: (m) => (m.defaultRouteAction = { urlRewrite: { pathPrefixRewrite: '' } }),
    field: 'resource.defaultRouteAction.urlRewrite.pathPrefixRewrite',
    message: 'pathPrefixRewrite must be between 1 and 1024 characters'
  },
  {
    name: '10 pathTemplateRewrite without pathTemplateMatch',
    edit: (m) =>
      (m.pathMatchers![1]!.routeRules![0]!.routeAction = { urlRewrite: { pathTemplateRewrite: '/{x}' } }),
    field: 'resource.pathMatchers[1].routeRules[0].routeAction.urlRewrite.pathTemplateRewrite',
    message: 'pathTemplateRewrite may only be used with a pathTemplateMatch'
  },
  {
    name: '11 pathRedirect and prefixRedirect',
    edit: (m) => {
      delete m.defaultService
      m.defaultUrlRedirect = { pathRedirect: '/a', prefixRedirect: '/b' }
    },
    field: 'resource.defaultUrlRedirect.prefixRedirect',
    message: 'Only one of pathRedirect or prefixRedirect'
  },
  {
    name: '11 hostRedirect too long',
    edit: (m) => {
      delete m.pathMatchers![0]!.defaultService
      m.pathMatchers![0]!.defaultUrlRedirect = { hostRedirect: 'h'.repeat(256) }
    },
    field: 'resource.pathMatchers[0].defaultUrlRedirect.hostRedirect',
    message: 'hostRedirect must be between 1 and 255'
  },
  {
    name: '11 unknown redirect code',
    edit: (m) => {
      delete m.defaultService
      m.defaultUrlRedirect = { redirectResponseCode: 'MOVED' }
    },
    field: 'resource.defaultUrlRedirect.redirectResponseCode',
    message: 'Must be one of MOVED_PERMANENTLY_DEFAULT'
  },
  {
    name: '12 classic: routeAction beyond urlRewrite',
    opts: { scheme: 'EXTERNAL' },
    edit: (m) => (m.pathMatchers![0]!.pathRules![0]!.routeAction = { timeout: { seconds: 5 } }),
    field: 'resource.pathMatchers[0].pathRules[0].routeAction.timeout',
    message: 'URL maps for classic Application Load Balancers only support the urlRewrite action'
  },
  {
    name: '12 classic: headerAction',
    opts: { scheme: 'EXTERNAL' },
    edit: (m) => (m.headerAction = { requestHeadersToRemove: ['x'] }),
    field: 'resource.headerAction',
    message:
      'headerAction is not supported for load balancers that have their loadBalancingScheme set to EXTERNAL'
  },
  {
    name: '14 service and expectedRedirectResponseCode',
    edit: (m) => (m.tests![0]!.expectedRedirectResponseCode = 301),
    field: 'resource.tests[0].expectedRedirectResponseCode',
    message: 'expectedRedirectResponseCode cannot be set when service is set'
  },
  {
    name: '14 more than 100 tests (EXTERNAL_MANAGED)',
    edit: (m) => (m.tests = many(101, () => ({ host: 'a.example.com', path: '/' }))),
    field: 'resource.tests',
    message: "Invalid value for field 'resource.tests': '101'. Exceeded the limit of 100 tests"
  },
  {
    name: 'limit: host rules',
    edit: (m) => m.hostRules!.push(...many(999, (i) => ({ hosts: [`h${i}.example.org`], pathMatcher: 'a' }))),
    field: 'resource.hostRules',
    message: 'Exceeded the limit of 1000 host rules'
  },
  {
    name: 'limit: hosts per rule',
    edit: (m) => m.hostRules![0]!.hosts!.push(...many(1000, (i) => `h${i}.example.org`)),
    field: 'resource.hostRules[0].hosts',
    message: 'Exceeded the limit of 1000 hosts per host rule'
  },
  {
    name: 'limit: path rules per matcher',
    edit: (m) =>
      m.pathMatchers![0]!.pathRules!.push(...many(1000, (i) => ({ paths: [`/p${i}`], service: bs('x') }))),
    field: 'resource.pathMatchers[0]',
    message: 'Exceeded the limit of 1000 path rules or route rules',
    count: 2
  },
  {
    name: 'limit: predicates per matcher',
    edit: (m) => m.pathMatchers![0]!.pathRules!.push({ paths: many(999, (i) => `/p${i}`), service: bs('x') }),
    field: 'resource.pathMatchers[0]',
    message: 'Exceeded the limit of 1000 predicates per path matcher'
  }
]

describe('validateUrlMapStructure', () => {
  it.each([
    ['base map', base(), {}],
    ['base map, classic', base(), { scheme: 'EXTERNAL' }],
    ['fixture map (matcher defaults optional)', mainMap, { requireMatcherDefault: false }],
    ['redirect-only map', { name: 'r', defaultUrlRedirect: { httpsRedirect: true } }, {}],
    [
      'weighted default',
      {
        name: 'w',
        defaultRouteAction: { weightedBackendServices: [{ backendService: bs('w'), weight: 100 }] }
      },
      {}
    ],
    ['100 tests', { ...base(), tests: many(100, () => ({ host: 'a.example.com', path: '/' })) }, {}],
    [
      '101 tests on classic',
      { ...base(), tests: many(101, () => ({ host: 'a.example.com', path: '/' })) },
      { scheme: 'EXTERNAL' }
    ]
  ] as [string, UrlMap, ValidateOptions][])('valid: %s → []', (_n, map, opts) => {
    expect(validateUrlMapStructure(map, opts)).toEqual([])
  })

  it.each(cases.map((c) => [c.name, c] as const))('rule %s', (_n, c) => {
    const m = base()
    c.edit(m)
    const problems = validateUrlMapStructure(m, c.opts)
    expect(problems).toHaveLength(c.count ?? 1)
    expect(problems[0]!.field).toBe(c.field)
    expect(problems[0]!.message).toContain(c.message)
  })

  it('reports every problem at once', () => {
    const m = base()
    m.name = 'X'
    m.hostRules![0]!.pathMatcher = 'zz'
    m.pathMatchers![0]!.pathRules![0]!.paths = ['/a*']
    expect(validateUrlMapStructure(m).map((p) => p.field)).toEqual([
      'resource.name',
      'resource.hostRules[0].pathMatcher',
      'resource.pathMatchers[0].pathRules[0].paths[0]'
    ])
  })
})

describe('validHost / validPathRulePath', () => {
  it.each([
    ['*', true],
    ['*.example.com', true],
    ['*-api.example.com', true],
    ['example.com:8080', true],
    ['Example.COM', true],
    ['a.*.com', false],
    ['*example.com', false],
    ['foo*', false],
    ['', false],
    ['exa mple.com', false],
    ['example.com:99999', false]
  ] as const)('host %j → %s', (h, ok) => expect(validHost(h)).toBe(ok))

  it.each([
    ['/', true],
    ['/*', true],
    ['/api', true],
    ['/api/', true],
    ['/api/*', true],
    ['api/*', false],
    ['/api*', false],
    ['/a/*/b', false],
    ['/a?x', false],
    ['/a#x', false]
  ] as const)('path %j → %s', (p, ok) => expect(validPathRulePath(p)).toBe(ok))
})

describe('collectServiceReferences', () => {
  it('finds defaults, rules, weighted services and mirrors, once each', () => {
    const m: UrlMap = {
      defaultService: bs('d'),
      defaultRouteAction: { requestMirrorPolicy: { backendService: bs('mirror') } },
      pathMatchers: [
        {
          name: 'a',
          defaultRouteAction: {
            weightedBackendServices: [{ backendService: bs('w1') }, { backendService: bs('w2') }]
          },
          pathRules: [
            { paths: ['/x'], service: bs('x') },
            { paths: ['/y'], service: bs('d') }
          ],
          routeRules: [
            { priority: 1, routeAction: { weightedBackendServices: [{ backendService: bs('rw') }] } }
          ]
        },
        { name: 'b', defaultService: bs('b'), routeRules: [{ priority: 1, service: bs('r') }] }
      ]
    }
    expect(collectServiceReferences(m)).toEqual(['d', 'mirror', 'w1', 'w2', 'x', 'rw', 'b', 'r'].map(bs))
  })

  it('is empty for a redirect-only map', () => {
    expect(collectServiceReferences({ defaultUrlRedirect: { hostRedirect: 'x.org' } })).toEqual([])
  })
})
