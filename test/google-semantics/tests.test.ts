import { describe, it, expect } from '@jest/globals'
import type { UrlMap, UrlMapTest, TestFailure } from '../../src/core/compute.js'
import {
  formatTestFailure,
  mapProject,
  runUrlMapTests,
  type RunTestsOptions
} from '../../src/core/google-semantics/tests.js'
import { bs, mainMap } from './fixtures.js'

const U = 'https://www.googleapis.com/compute/v1/projects/'
const full = (project: string, name: string): string => `${U}${project}/global/backendServices/${name}`
const withSelf: UrlMap = { ...mainMap, selfLink: `${U}edge/global/urlMaps/edge` }

interface Case {
  readonly name: string
  readonly test: UrlMapTest
  /** undefined when the test passes, else the fields of the expected failure. */
  readonly fail?: Partial<TestFailure>
  readonly map?: UrlMap
  readonly opts?: RunTestsOptions
}

const cases: Case[] = [
  // Services compare after canonicalising both sides (gce-api.md §1.3).
  {
    name: 'partial map ref vs full test ref',
    test: { host: 'example.com', path: '/api/x', service: full('edge', 'api') }
  },
  {
    name: 'full test ref, project from selfLink',
    map: withSelf,
    test: { host: 'example.com', path: '/', service: full('edge', 'main-default') }
  },
  {
    name: 'projects/... partial form',
    map: withSelf,
    test: { host: 'example.com', path: '/', service: 'projects/edge/global/backendServices/main-default' }
  },
  {
    name: 'other project does not match',
    map: withSelf,
    test: { host: 'example.com', path: '/', service: full('other', 'main-default') },
    fail: { expectedService: full('other', 'main-default'), actualService: full('edge', 'main-default') }
  },
  {
    name: 'project option fills partial refs',
    opts: { project: 'p1' },
    test: { host: 'x.org', path: '/', service: bs('nope') },
    fail: {
      host: 'x.org',
      path: '/',
      expectedService: full('p1', 'nope'),
      actualService: full('p1', 'default')
    }
  },
  { name: 'both partial, project unknown', test: { host: 'x.org', path: '/', service: bs('default') } },
  // expectedOutputUrl: "the test verifies that the forwarded request matches hostRewrite and pathPrefixRewrite".
  {
    name: 'rewrite checked as host/path',
    test: {
      host: 'example.com',
      path: '/api/users',
      service: bs('api'),
      expectedOutputUrl: 'example.com/users'
    }
  },
  {
    name: 'rewrite checked as full URL (scheme ignored)',
    test: {
      host: 'example.com',
      path: '/api/users',
      service: bs('api'),
      expectedOutputUrl: 'http://example.com/users'
    }
  },
  {
    name: 'query is kept in the output URL',
    test: {
      host: 'example.com',
      path: '/api/users?q=1',
      service: bs('api'),
      expectedOutputUrl: 'https://example.com/users?q=1'
    }
  },
  {
    name: 'output host compares case-insensitively',
    test: { host: 'example.com', path: '/api/', expectedOutputUrl: 'EXAMPLE.com/' }
  },
  {
    name: 'rewrite not applied as expected',
    test: {
      host: 'example.com',
      path: '/api/users',
      service: bs('api'),
      expectedOutputUrl: 'example.com/api/users'
    },
    fail: { expectedOutputUrl: 'example.com/api/users', actualOutputUrl: 'example.com/users' }
  },
  {
    name: 'hostRewrite in the output URL',
    test: {
      host: 'example.com',
      path: '/run/hello',
      service: bs('shared-run'),
      expectedOutputUrl: 'hello-abc-ew.a.run.app/hello'
    }
  },
  {
    name: 'hostRewrite missing from expectation',
    test: { host: 'example.com', path: '/run/hello', expectedOutputUrl: 'example.com/hello' },
    fail: { actualOutputUrl: 'hello-abc-ew.a.run.app/hello' }
  },
  // Redirects.
  {
    name: 'redirect code and Location',
    test: {
      host: 'example.com',
      path: '/moved/x',
      expectedRedirectResponseCode: 302,
      expectedOutputUrl: 'example.com/new/x'
    }
  },
  {
    name: 'wrong redirect code',
    test: { host: 'example.com', path: '/moved/x', expectedRedirectResponseCode: 301 },
    fail: { expectedRedirectResponseCode: 301, actualRedirectResponseCode: 302 }
  },
  {
    name: 'httpsRedirect requires an https expectedOutputUrl',
    test: {
      host: 'example.com',
      path: '/gone',
      expectedRedirectResponseCode: 301,
      expectedOutputUrl: 'other.example.com/x'
    },
    fail: { actualOutputUrl: 'https://other.example.com/x' }
  },
  {
    name: 'httpsRedirect with https expectedOutputUrl',
    test: {
      host: 'example.com',
      path: '/gone?a=1',
      expectedRedirectResponseCode: 301,
      expectedOutputUrl: 'https://other.example.com/x'
    }
  },
  {
    name: 'expected a service, got a redirect',
    test: { host: 'example.com', path: '/moved/x', service: bs('api') },
    fail: { expectedService: full('-', 'api'), actualService: '', actualRedirectResponseCode: 302 }
  },
  {
    name: 'expected a redirect, got a service',
    test: { host: 'example.com', path: '/api/x', expectedRedirectResponseCode: 301 },
    fail: { expectedRedirectResponseCode: 301, actualService: full('-', 'api') }
  },
  // Headers feed routeRules headerMatches.
  {
    name: 'test headers reach headerMatches',
    test: {
      host: 'routes.example.org',
      path: '/hdr',
      headers: [{ name: 'x-canary', value: 'yes' }],
      service: bs('r-canary')
    }
  },
  {
    name: 'without the header the next rule applies',
    test: { host: 'routes.example.org', path: '/hdr', service: bs('r-hdr') }
  }
]

describe('runUrlMapTests', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const failures = runUrlMapTests(c.map ?? mainMap, [c.test], c.opts)
    if (!c.fail) {
      expect(failures).toEqual([])
    } else {
      expect(failures).toHaveLength(1)
      expect(failures[0]).toMatchObject({ host: c.test.host, path: c.test.path, ...c.fail })
    }
  })

  it('reports only the failing tests, in order', () => {
    const tests: UrlMapTest[] = [
      { host: 'a.org', path: '/', service: bs('default') },
      { host: 'a.org', path: '/1', service: bs('x') },
      { host: 'example.com', path: '/api', service: bs('api-exact') },
      { host: 'a.org', path: '/2', service: bs('y') }
    ]
    expect(runUrlMapTests(mainMap, tests).map((f) => f.path)).toEqual(['/1', '/2'])
  })

  it('formats a service failure in Compute words', () => {
    const [f] = runUrlMapTests(withSelf, [{ host: 'example.com', path: '/api/x', service: bs('web') }])
    expect(formatTestFailure(f!)).toBe(
      `Test failure: Expect URL 'example.com/api/x' to map to service '${full('edge', 'web')}', but actually mapped to '${full('edge', 'api')}'.`
    )
  })

  it.each([
    [{ ...mainMap, selfLink: `${U}lb/global/urlMaps/edge` }, 'lb'],
    [{ defaultService: `${U}team/global/backendServices/x` }, 'team'],
    [{ defaultService: bs('x') }, '-']
  ] as const)('mapProject %#', (map, want) => {
    expect(mapProject(map)).toBe(want)
  })
})
