import { describe, it, expect } from '@jest/globals'
import type { PathMatcher, UrlMap } from '../../src/core/compute.js'
import {
  evaluateUrlMap as evaluateWithSource,
  type RouteRequest
} from '../../src/core/google-semantics/evaluate.js'
import { sliceUrlMap } from '../../src/core/google-semantics/slice.js'
import { bs, mainMap } from './fixtures.js'
import { prng } from '../emulator/helpers.js'

const HOSTS = ['*', 'example.com', '*.example.com', 'a.example.com', '*.a.example.com', 'api.test', '*.test']
const SEGMENTS = ['a', 'b', 'v1', 'x']

/** randomMap builds a valid-shaped map: host rules over HOSTS, path rules with exact and `/x/*` patterns. */
function randomMap(r: () => number): UrlMap {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!
  const randomPath = () =>
    '/' + Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(SEGMENTS)).join('/')
  const hosts = HOSTS.filter(() => r() < 0.7)
  const matchers: PathMatcher[] = []
  const hostRules = hosts.map((h, i) => {
    const seen = new Set<string>()
    const pathRules = Array.from({ length: Math.floor(r() * 12) }, (_, j) => {
      const p = randomPath()
      const pattern = r() < 0.5 ? p : `${p}/*`
      if (seen.has(pattern)) return undefined
      seen.add(pattern)
      return {
        paths: [pattern],
        service: bs(`s${i}-${j}`),
        ...(r() < 0.3 ? { routeAction: { urlRewrite: { pathPrefixRewrite: '/' } } } : {})
      }
    }).filter((x) => x !== undefined)
    matchers.push({ name: `m${i}`, ...(r() < 0.5 ? { defaultService: bs(`m${i}-default`) } : {}), pathRules })
    return { hosts: [h], pathMatcher: `m${i}` }
  })
  return { name: 'edge', defaultService: bs('default'), hostRules, pathMatchers: matchers }
}

function randomRequests(r: () => number, n: number): RouteRequest[] {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!
  const host = () =>
    pick([
      'example.com',
      'a.example.com',
      'b.a.example.com',
      'c.example.com',
      'api.test',
      'z.test',
      'other.org'
    ])
  const path = () =>
    '/' +
    Array.from({ length: Math.floor(r() * 4) }, () => pick(SEGMENTS)).join('/') +
    (r() < 0.2 ? '/' : '') +
    (r() < 0.1 ? '?q=1' : '')
  return Array.from({ length: n }, () => ({ host: host(), path: path() }))
}

/** evaluateUrlMap without `matchedBy` (a host rule's index differs in a slice; where the request goes does not). */
function evaluateUrlMap(map: UrlMap, req: RouteRequest): unknown {
  const { matchedBy: _source, ...where } = evaluateWithSource(map, req) as { matchedBy?: unknown }
  return where
}

const ruleCount = (m: UrlMap) => (m.pathMatchers ?? []).reduce((n, pm) => n + (pm.pathRules ?? []).length, 0)

describe('sliceUrlMap', () => {
  it('routes every request of the batch exactly as the whole map, over 300 random maps', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = prng(seed)
      const map = randomMap(r)
      const batch = randomRequests(r, 1 + Math.floor(r() * 6))
      const slice = sliceUrlMap(map, batch, 'EXTERNAL_MANAGED')
      for (const req of batch) {
        expect({ seed, req, got: evaluateUrlMap(slice, req) }).toEqual({
          seed,
          req,
          got: evaluateUrlMap(map, req)
        })
      }
    }
  })

  it('keeps the documented matching cases of the main fixture map', () => {
    const batch = [
      { host: 'example.com', path: '/video/hd/movie1' },
      { host: 'www.example.com', path: '/static/x.png' },
      { host: 'unknown.net', path: '/' }
    ]
    const slice = sliceUrlMap(mainMap, batch, 'EXTERNAL_MANAGED')
    for (const req of batch) expect(evaluateUrlMap(slice, req)).toEqual(evaluateUrlMap(mainMap, req))
  })

  it('sends only the host rule and path rules a batch routes through', () => {
    // 100 hosts × 50 routes, as the benchmark generates: one batch of 100 tests covers one host.
    const pathMatchers: PathMatcher[] = []
    const hostRules = Array.from({ length: 100 }, (_, h) => {
      pathMatchers.push({
        name: `pm${h}`,
        pathRules: Array.from({ length: 50 }, (_, i) => ({
          paths: [`/r${i}`, `/r${i}/*`],
          service: bs(`h${h}-r${i}`)
        }))
      })
      return { hosts: [`h${h}.example.com`], pathMatcher: `pm${h}` }
    })
    const map: UrlMap = { name: 'edge', defaultService: bs('default'), hostRules, pathMatchers }
    const batch = Array.from({ length: 10 }, (_, i) => ({ host: 'h7.example.com', path: `/r${i}/x` }))
    const slice = sliceUrlMap(map, batch, 'EXTERNAL_MANAGED')
    expect(slice.hostRules).toEqual([hostRules[7]])
    expect(ruleCount(slice)).toBe(10)
    expect(JSON.stringify(slice).length * 100).toBeLessThan(JSON.stringify(map).length)
    for (const req of batch) expect(evaluateUrlMap(slice, req)).toEqual(evaluateUrlMap(map, req))
  })

  it('keeps a matcher with routeRules whole, since their order is their priority', () => {
    const map: UrlMap = {
      name: 'edge',
      defaultService: bs('default'),
      hostRules: [{ hosts: ['*'], pathMatcher: 'rr' }],
      pathMatchers: [
        {
          name: 'rr',
          defaultService: bs('d'),
          routeRules: [
            { priority: 1, matchRules: [{ prefixMatch: '/a' }], service: bs('a') },
            { priority: 2, matchRules: [{ prefixMatch: '/' }], service: bs('b') }
          ]
        }
      ]
    }
    const slice = sliceUrlMap(map, [{ host: 'x', path: '/zzz' }], 'EXTERNAL_MANAGED')
    expect(slice.pathMatchers).toEqual(map.pathMatchers)
  })
})
