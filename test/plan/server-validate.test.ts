// urlMaps.validate as pure functions (checks/server-validate.ts): the request bodies (at most 100 tests
// each, slices after the first), the failures in words, and the check row. The shell only sends them.
import { describe, expect, it } from '@jest/globals'
import {
  serverValidateOutcome,
  serverValidateSkip,
  validateProblems,
  validateRequests,
  VALIDATE_BATCH
} from '../../src/core/plan/checks/server-validate.js'
import type { RouteTestCase } from '../../src/core/plan/route-tests.js'
import { evaluateUrlMap } from '../../src/core/google-semantics/evaluate.js'
import { applyPlan, cloudRunRoute, liveState, plan, routesConfig } from '../support/builders.js'

/** n routes, each on its own host: n generated tests spread over n host rules. */
function manyRoutes(n: number) {
  const config = routesConfig(
    Array.from({ length: n }, (_, i) =>
      cloudRunRoute(`r${i}`, { hosts: [`h${i}.example.com`], paths: ['/x/*'] })
    )
  )
  const built = plan(config, liveState())
  return { config, map: built.mergedMap!, cases: built.testCases, built }
}

describe('validateRequests', () => {
  it.each([
    [0, [0]],
    [1, [1]],
    [100, [100]],
    [101, [100, 1]],
    [250, [100, 100, 50]]
  ])('%i tests go in bodies of %j', (n, sizes) => {
    const { config, map, cases } = manyRoutes(n)
    const bodies = validateRequests(config.loadBalancer, map, cases)
    expect(bodies.map((b) => b.tests!.length)).toEqual(sizes)
    expect(bodies.every((b) => b.tests!.length <= VALIDATE_BATCH)).toBe(true)
    // Every case is sent exactly once.
    expect(bodies.flatMap((b) => b.tests!.map((t) => t.host)).sort()).toEqual(cases.map((c) => c.host).sort())
  })

  it('sends the whole map first and only the slice its tests route through after, with the same answers', () => {
    const { config, map, cases } = manyRoutes(250)
    const [first, ...rest] = validateRequests(
      config.loadBalancer,
      { ...map, fingerprint: 'fp', tests: [{}] },
      cases
    )
    expect(first!.hostRules).toHaveLength(250)
    expect(first!.fingerprint).toBeUndefined()
    for (const body of rest) {
      expect(body.hostRules!.length).toBeLessThanOrEqual(VALIDATE_BATCH)
      for (const t of body.tests!) {
        // Same destination (the slice renumbers host rules, so matchedBy differs).
        const route = (m: typeof map) => {
          const { matchedBy: _m, ...where } = evaluateUrlMap(m, { host: t.host!, path: t.path! }) as {
            matchedBy?: unknown
          }
          return where
        }
        expect(route(body)).toEqual(route(map))
      }
    }
  })
})

describe('validateProblems', () => {
  const at = { line: 9, column: 3 }
  const cases: RouteTestCase[] = [
    { host: 'a.example.com', path: '/x', route: 'a', service: 's', origin: 'declared', at }
  ]
  it.each([
    ['all good', [{ loadSucceeded: true }], []],
    [
      'load errors, once each',
      [
        { loadSucceeded: false, loadErrors: ['backend bs-1 not found'] },
        { loadSucceeded: false, loadErrors: ['backend bs-1 not found'] }
      ],
      [{ message: 'backend bs-1 not found' }]
    ],
    [
      'a test failure points at its case',
      [
        {
          loadSucceeded: true,
          testFailures: [{ host: 'a.example.com', path: '/x', expectedService: 'want', actualService: 'got' }]
        }
      ],
      [
        {
          message:
            "urlMaps.validate: Test failure: Expect URL 'a.example.com/x' to map to service 'want', but actually mapped to 'got'.",
          route: 'a',
          at
        }
      ]
    ],
    [
      'a failure of an unknown case points nowhere',
      [
        {
          testFailures: [
            {
              host: 'b.example.com',
              path: '/',
              expectedOutputUrl: 'https://b/x',
              actualOutputUrl: 'https://b/'
            }
          ]
        }
      ],
      // Issue 12: the same service, so the message shows the expected and the actual output URL.
      [
        {
          message:
            "urlMaps.validate: Test failure: Expect URL 'b.example.com/' to map to output URL 'https://b/x', but actually mapped to 'https://b/'."
        }
      ]
    ]
  ])('%s', (_what, results, problems) => {
    expect(validateProblems(cases, results)).toEqual(problems)
  })
})

describe('the server-side check row', () => {
  it('is skipped while new backend services do not exist yet', () => {
    const { built } = manyRoutes(2)
    expect(serverValidateSkip(built.plan!)).toEqual({
      check: {
        name: 'urlMaps.validate (server-side)',
        status: 'skip',
        detail: '2 new backend service(s) do not exist yet; apply validates the merged map before writing it'
      }
    })
  })

  it('runs once they exist, and says how it went', () => {
    const config = routesConfig([cloudRunRoute('a', { paths: ['/a/*'] })])
    const again = plan(config, applyPlan(liveState(), plan(config, liveState()).plan!))
    expect(serverValidateSkip(again.plan!)).toBeUndefined()
    expect(serverValidateOutcome([], 3)).toEqual({
      check: {
        name: 'urlMaps.validate (server-side)',
        status: 'pass',
        detail: 'merged map loads; 3 test(s) pass'
      },
      problems: []
    })
    expect(serverValidateOutcome([{ message: 'm1' }, { message: 'm2' }], 3)).toEqual({
      check: { name: 'urlMaps.validate (server-side)', status: 'fail', detail: 'm1; m2' },
      problems: [{ message: 'm1' }, { message: 'm2' }]
    })
  })
})
