// One table per part of routes.json: each rule alone (RuleSet with just that rule) on a file that breaks
// it, and on one that does not. Messages are pinned by their distinctive part; paths exactly.
import { describe, it, expect } from '@jest/globals'
import type { JSONPath } from 'jsonc-parser'
import {
  RULES,
  ruleProblems,
  type FileRule,
  type FrontendRule,
  type RouteRule,
  type RuleSet,
  type TestRule
} from '../../src/core/routes/rules.js'
import type { RuleOptions } from '../../src/core/routes/rules/context.js'
import * as backendRules from '../../src/core/routes/rules/backend.js'
import * as fileRules from '../../src/core/routes/rules/file.js'
import * as routeRules from '../../src/core/routes/rules/route.js'
import * as targetRules from '../../src/core/routes/rules/target.js'
import * as testRules from '../../src/core/routes/rules/tests.js'

const NONE: RuleSet = { file: [], route: [], test: [], frontend: [] }
type Found = Array<[JSONPath, string]>

function check(part: keyof RuleSet, rule: FileRule | RouteRule | TestRule | FrontendRule) {
  return (root: unknown, opts: RuleOptions = {}): Found =>
    ruleProblems(root, opts, { ...NONE, [part]: [rule] }).map((p) => [p.path, `${p.severity}: ${p.message}`])
}

const run = { cloudRun: { url: 'https://a-3abc-ew.a.run.app' } }
const routes = (...rs: unknown[]) => ({ routes: rs })

// [rule, part, a file that breaks it, the problems (path and a distinctive part of the message), a file that does not]
type Case = [string, keyof RuleSet, unknown, Found, unknown, RuleOptions?]
const CASES: Case[] = [
  [
    'ownerName',
    'file',
    { owner: 'Team_Web' },
    [[['owner'], 'error: owner "Team_Web" must match']],
    { owner: 'team-web' }
  ],
  [
    'loadBalancerProject',
    'file',
    { loadBalancer: { project: 'P' } },
    [[['loadBalancer', 'project'], 'loadBalancer.project "P"']],
    { loadBalancer: { project: 'edge-prod' } }
  ],
  [
    'loadBalancerUrlMap',
    'file',
    { loadBalancer: { urlMap: 'Edge' } },
    [[['loadBalancer', 'urlMap'], 'loadBalancer.urlMap "Edge"']],
    { loadBalancer: { urlMap: 'edge' } }
  ],
  [
    'allowList',
    'file',
    { allowedInternetHosts: ['https://x.com', 'a.com', 'a.com', 'b.org'] },
    [
      [['allowedInternetHosts', 0], 'must be a hostname, not a URL'],
      [['allowedInternetHosts', 2], 'lists "a.com" twice'],
      [['allowedInternetHosts', 3], "not allowed by the load balancer owner's policy"]
    ],
    { allowedInternetHosts: ['a.com', '*.a.com'] },
    { policyAllowedInternetHosts: ['*.com'] }
  ],
  [
    'frontendNames',
    'frontend',
    { frontend: { address: 'A', sslPolicy: 'ok' } },
    [[['frontend', 'address'], 'frontend.address "A"']],
    { frontend: { address: 'a', sslPolicy: 'b' } }
  ],
  [
    'frontendDomains',
    'frontend',
    { frontend: { domains: ['*.a.com', 'localhost', 'a.com', 'a.com'] } },
    [
      [['frontend', 'domains', 0], 'is a wildcard'],
      [['frontend', 'domains', 1], 'must be a fully qualified domain name'],
      [['frontend', 'domains', 3], 'already listed as domains[2]']
    ],
    { frontend: { domains: ['a.com', 'www.a.com'] } }
  ],
  [
    'routeName',
    'route',
    routes({ name: 'Web_1' }),
    [[['routes', 0, 'name'], 'route name "Web_1" must match']],
    routes({ name: 'web-1' })
  ],
  [
    'uniqueRouteName',
    'route',
    routes({ name: 'a' }, { name: 'a' }),
    [[['routes', 1, 'name'], 'already used by routes[0]']],
    routes({ name: 'a' }, { name: 'b' })
  ],
  [
    'routeHosts',
    'route',
    {
      loadBalancer: { scheme: 'EXTERNAL' },
      ...routes({ hosts: ['a..com', 'a.com', 'A.com', 'b.com:8080'] })
    },
    [
      [['routes', 0, 'hosts', 0], 'error: host "a..com" has an empty label'],
      [['routes', 0, 'hosts', 2], 'error: host "A.com" is listed twice'],
      [['routes', 0, 'hosts', 3], 'warning: host "b.com:8080" has a port, but a classic']
    ],
    routes({ hosts: ['a.com', '*.b.com', 'c.com:8080'] })
  ],
  [
    'prefixOrPaths',
    'route',
    routes({ prefix: '/a', paths: ['/b'] }),
    [[['routes', 0, 'prefix'], 'use either "prefix" or "paths"']],
    routes({ prefix: '/a' })
  ],
  [
    'prefixFormat',
    'route',
    routes({ prefix: '/a/*' }),
    [[['routes', 0, 'prefix'], 'prefix "/a/*" must not']],
    routes({ prefix: '/a' })
  ],
  [
    'routePaths',
    'route',
    routes({ paths: ['a', '/b', '/b'] }),
    [
      [['routes', 0, 'paths', 0], 'path "a" must start with "/"'],
      [['routes', 0, 'paths', 2], 'path "/b" is listed twice']
    ],
    routes({ paths: ['/a', '/a/*'] })
  ],
  [
    'reachable',
    'route',
    routes({ name: 'x' }),
    [[['routes', 0], 'route "x" has no "paths" or "prefix"']],
    routes({ default: true })
  ],
  [
    'rewriteNeedsPaths',
    'route',
    routes({ default: true, rewrite: {} }),
    [[['routes', 0, 'rewrite'], 'has a rewrite but no "paths"']],
    routes({ prefix: '/a', rewrite: {} })
  ],
  [
    'rewritePathPrefix',
    'route',
    routes({ rewrite: { pathPrefix: 'v2' } }, { rewrite: { pathPrefix: '/v2/*' } }),
    [
      [['routes', 0, 'rewrite', 'pathPrefix'], 'must start with "/"; use "/v2"'],
      [['routes', 1, 'rewrite', 'pathPrefix'], 'must not contain "*"']
    ],
    routes({ rewrite: { pathPrefix: '/v2' } })
  ],
  [
    'rewriteHost',
    'route',
    routes({ rewrite: { host: 'a b' } }),
    [[['routes', 0, 'rewrite', 'host'], 'rewrite.host "a b"']],
    routes({ rewrite: { host: 'a.com:8443' } })
  ],
  [
    'hostClaims',
    'route',
    routes(
      { name: 'a', prefix: '/x', default: true },
      { name: 'b', paths: ['/x/*'], default: true },
      { name: 'c', hosts: ['h.com'], paths: ['/x/*'] }
    ),
    [
      [
        ['routes', 1, 'paths', 0],
        'path "/x/*" on host "*" (the default when "hosts" is left out) is already claimed by route "a"'
      ],
      [['routes', 1, 'default'], 'route "a"\u0000related\u0000 is already the default for host "*"']
    ],
    routes(
      { name: 'a', prefix: '/x', default: true },
      { name: 'b', hosts: ['h.com'], prefix: '/x', default: true }
    )
  ],
  [
    'targetFields',
    'route',
    routes({ to: { cloudRun: { project: 'P', region: 'eu', service: 's' } } }),
    [
      [['routes', 0, 'to', 'cloudRun', 'project'], 'cloudRun.project "P"'],
      [['routes', 0, 'to', 'cloudRun', 'region'], 'cloudRun.region "eu"']
    ],
    routes({ to: { cloudRun: { project: 'team-a', region: 'europe-west1', service: 's' } } })
  ],
  [
    'serverlessRegions',
    'route',
    routes({ to: { serverless: { regions: ['eu', 'europe-west1', 'europe-west1'] } } }),
    [
      [['routes', 0, 'to', 'serverless', 'regions', 0], 'serverless region "eu"'],
      [['routes', 0, 'to', 'serverless', 'regions', 2], 'lists "europe-west1" twice']
    ],
    routes({ to: { serverless: { regions: ['europe-west1', 'us-central1'] } } })
  ],
  [
    'cloudRunNaming',
    'route',
    routes(
      { to: { cloudRun: { url: 'u', service: 's' } } },
      { to: { cloudRun: { project: 'p' } } },
      { to: { cloudRun: {} } }
    ),
    [
      [['routes', 0, 'to', 'cloudRun'], 'not both'],
      [['routes', 1, 'to', 'cloudRun'], 'cloudRun is missing "region" and "service"'],
      [['routes', 2, 'to', 'cloudRun'], 'cloudRun needs either "url"']
    ],
    routes({ to: run }, { to: { cloudRun: { project: 'p', region: 'r', service: 's' } } })
  ],
  [
    'internetEndpoint',
    'route',
    routes({ to: { internet: { fqdn: 'a.com', ip: '1.2.3.4' } } }, { to: { internet: {} } }),
    [
      [['routes', 0, 'to', 'internet'], 'exactly one of "fqdn" or "ip"'],
      [['routes', 1, 'to', 'internet'], 'internet needs "fqdn"']
    ],
    routes({ to: { internet: { fqdn: 'a.com' } } })
  ],
  [
    'internetAllowed',
    'route',
    routes({ to: { internet: { fqdn: 'API.b.com' } } }, { to: { internet: { ip: '8.8.8.8' } } }),
    [
      [
        ['routes', 0, 'to', 'internet', 'fqdn'],
        'internet.fqdn "api.b.com" is not listed in allowedInternetHosts'
      ],
      [['routes', 1, 'to', 'internet', 'ip'], 'internet.ip "8.8.8.8" is not listed']
    ],
    {
      allowedInternetHosts: ['*.a.com', '8.8.8.8'],
      ...routes(
        { to: { internet: { fqdn: 'x.a.com' } } },
        { to: { internet: { ip: '8.8.8.8' } } },
        { to: { internet: { fqdn: 'x.a.run.app' } } }
      )
    }
  ],
  [
    'loadBalancerNaming',
    'route',
    routes(
      { to: { loadBalancer: { domain: 'a.com', project: 'p' } } },
      { to: { loadBalancer: {} } },
      { to: { loadBalancer: { forwardingRule: 'f' } } },
      { to: { loadBalancer: { project: 'p' } } }
    ),
    [
      [['routes', 0, 'to', 'loadBalancer'], 'not both'],
      [['routes', 1, 'to', 'loadBalancer'], 'loadBalancer needs "domain"'],
      [['routes', 2, 'to', 'loadBalancer'], 'missing "project"'],
      [['routes', 3, 'to', 'loadBalancer'], 'missing "forwardingRule"']
    ],
    routes(
      { to: { loadBalancer: { domain: 'a.com' } } },
      { to: { loadBalancer: { project: 'p', forwardingRule: 'f' } } }
    )
  ],
  [
    'loadBalancerAllowed',
    'route',
    routes({ to: { loadBalancer: { domain: 'ml.b.com' } } }),
    [[['routes', 0, 'to', 'loadBalancer', 'domain'], 'loadBalancer.domain "ml.b.com" is not listed']],
    { allowedInternetHosts: ['ml.b.com'], ...routes({ to: { loadBalancer: { domain: 'ml.b.com' } } }) }
  ],
  [
    'serverlessTimeout',
    'route',
    routes({ to: { serverless: {} }, timeoutSec: 30 }),
    [[['routes', 0, 'timeoutSec'], 'timeoutSec is not supported for serverless']],
    routes({ to: run, timeoutSec: 30 })
  ],
  [
    'sharedBackendSettings',
    'route',
    { options: { sharedCloudRunBackend: true }, ...routes({ to: run, enableCdn: true, timeoutSec: 5 }) },
    [
      [['routes', 0, 'timeoutSec'], 'warning: timeoutSec has no effect'],
      [['routes', 0, 'enableCdn'], 'warning: enableCdn has no effect']
    ],
    routes({ to: run, enableCdn: true })
  ],
  [
    'securityPolicy',
    'route',
    routes({ securityPolicy: 'Bad Policy' }),
    [[['routes', 0, 'securityPolicy'], 'securityPolicy "Bad Policy"']],
    routes({ securityPolicy: 'armor' })
  ],
  [
    'requestHeaders',
    'route',
    routes({ requestHeaders: ['nocolon', 'X-A: 1', 'x-a: 2'] }),
    [
      [['routes', 0, 'requestHeaders', 0], 'request header "nocolon"'],
      [['routes', 0, 'requestHeaders', 2], 'sets "x-a" again']
    ],
    routes({ requestHeaders: ['X-A: 1', 'X-B: 2'] })
  ],
  [
    'requestHeaderCount',
    'route',
    routes({ to: run, requestHeaders: Array.from({ length: 16 }, (_, i) => `X-${i}: v`) }),
    [
      [
        ['routes', 0, 'requestHeaders'],
        'requestHeaders has 16 headers, but this target also needs a Host header'
      ]
    ],
    {
      options: { sharedCloudRunBackend: true },
      ...routes({ to: run, requestHeaders: Array.from({ length: 16 }, (_, i) => `X-${i}: v`) })
    }
  ],
  [
    'testHost',
    'test',
    { tests: [{ host: 'a b' }] },
    [[['tests', 0, 'host'], 'test host "a b"']],
    { tests: [{ host: 'a.com:8080' }] }
  ],
  [
    'testPath',
    'test',
    { tests: [{ path: 'a' }] },
    [[['tests', 0, 'path'], 'test path "a" must start with "/"']],
    { tests: [{ path: '/a' }] }
  ],
  [
    'expectedRoute',
    'test',
    { ...routes({ name: 'api' }), tests: [{ expect: { route: 'apj' } }, { expect: { route: 'zzzzzz' } }] },
    [
      [['tests', 0, 'expect', 'route'], 'did you mean "api"?'],
      [['tests', 1, 'expect', 'route'], 'routes are "api"']
    ],
    { ...routes({ name: 'api' }), tests: [{ expect: { route: 'api' } }] }
  ],
  [
    'expectedPath',
    'test',
    { tests: [{ expect: { path: 'x' } }] },
    [[['tests', 0, 'expect', 'path'], 'expect.path "x" must start with "/"']],
    { tests: [{ expect: { path: '/x' } }] }
  ],
  [
    'expectedHost',
    'test',
    { tests: [{ expect: { host: 'a b' } }] },
    [[['tests', 0, 'expect', 'host'], 'expect.host "a b"']],
    { tests: [{ expect: { host: 'a.com' } }] }
  ]
]

const EXPORTED: Record<string, unknown> = {
  ...fileRules,
  ...routeRules,
  ...targetRules,
  ...backendRules,
  ...testRules
}

describe('each rule alone', () => {
  it.each(CASES)('%s', (name, part, bad, found, good, opts = {}) => {
    const rule = EXPORTED[name] as FileRule
    expect((RULES[part] as readonly unknown[]).includes(rule)).toBe(true)
    const problems = check(part, rule)(bad, opts)
    expect(problems.map(([path]) => path)).toEqual(found.map(([path]) => path))
    problems.forEach(([, message], i) => expect(message).toContain(found[i]![1]))
    expect(check(part, rule)(good, opts)).toEqual([])
  })
})

describe('the rule lists', () => {
  it('run every exported rule exactly once, and each rule has a case above', () => {
    const listed = [...RULES.file, ...RULES.route, ...RULES.test, ...RULES.frontend] as unknown[]
    expect(new Set(listed).size).toBe(listed.length)
    expect(Object.values(EXPORTED).filter((f) => !listed.includes(f))).toEqual([])
    expect(CASES.map(([name]) => name).sort()).toEqual(Object.keys(EXPORTED).sort())
  })

  it('report problems part by part: the file, each route in turn, the tests, the frontend', () => {
    const root = {
      owner: 'Bad_Owner',
      frontend: { address: 'A' },
      tests: [{ path: 'x' }],
      routes: [{ name: 'B_1', securityPolicy: 'Bad Policy' }, { name: 'C_1' }]
    }
    const paths = ruleProblems(root, {}).map((p) => p.path.join('.'))
    expect(paths).toEqual([
      'owner',
      'routes.0.name',
      'routes.0',
      'routes.0.securityPolicy',
      'routes.1.name',
      'routes.1',
      'tests.0.path',
      'frontend.address'
    ])
  })

  it('finds nothing in a value that is not an object', () => {
    for (const root of [null, 1, 'x', [], undefined]) expect(ruleProblems(root, {})).toEqual([])
  })
})
