// The assembler: buildPlan runs the named steps in order and puts their results into one Plan. Table
// tests of the steps themselves are in the files next to this one.
import { describe, expect, it } from '@jest/globals'
import { ownerMarker } from '../../src/core/compile/markers.js'
import { withCheck } from '../../src/core/plan/build-plan.js'
import { PLAN_CHECKS, runPlanChecks } from '../../src/core/plan/checks/index.js'
import type { PlanCheckStep } from '../../src/core/plan/checks/check.js'
import {
  applyPlan,
  backendService,
  cloudRunRoute,
  contextFor,
  liveState,
  NOW,
  OWNER,
  plan,
  routesConfig,
  summary
} from '../support/builders.js'

const hello = cloudRunRoute('hello', { paths: ['/hello/*'] })

describe('buildPlan', () => {
  it('plans a new route: NEG → backend service → URL map, with every check and the route row', () => {
    const { plan: p, problems, mergedMap, testCases } = plan(routesConfig([hello]), liveState())
    expect(problems).toEqual([])
    expect(summary(p!.changes)).toEqual([
      'create globalNetworkEndpointGroup/edge-prod/global/lbr-team-web-hello-neg-2ebfbb4d',
      'create backendService/edge-prod/global/lbr-team-web-hello-bs-7903f8e1',
      'update urlMap/edge-prod/global/edge'
    ])
    expect(p!.waves).toEqual([
      ['globalNetworkEndpointGroup/edge-prod/global/lbr-team-web-hello-neg-2ebfbb4d'],
      ['backendService/edge-prod/global/lbr-team-web-hello-bs-7903f8e1'],
      ['urlMap/edge-prod/global/edge']
    ])
    expect(p!.checks.map((c) => `${c.name}: ${c.status}`)).toEqual([
      'Route tests (offline): pass',
      'URL map rules (offline): pass',
      'Quota headroom: pass',
      'Traffic ownership: pass',
      'Cloud Run preflight: skip',
      'Hop count: pass'
    ])
    expect(p!.routes.map((r) => `${r.name} ${r.status}`)).toEqual(['hello new'])
    expect(p).toMatchObject({ owner: OWNER, createdAt: NOW.toISOString(), urlMapFingerprint: 'fp-0' })
    expect(p!.planId).toMatch(/^[0-9a-f]{16}$/)
    // Every request class the plan moves is in the plan (issue 12): here the ones /hello/* takes from the default.
    expect(p!.trafficMoves!.map((m) => `${m.host} ${m.path} ${m.before.owner} → ${m.after.owner}`)).toEqual([
      'lbr-probe.invalid /hello/ unmanaged → team-web',
      'lbr-probe.invalid /hello/lbr-probe unmanaged → team-web'
    ])
    expect(mergedMap).toBe(p!.changes[2]!.after)
    expect(testCases.map((t) => `${t.origin} ${t.host}${t.path}`)).toEqual([
      'generated lb-routes-test.example/hello/lb-routes-test'
    ])
  })

  it('orders problems by step: unresolved targets, merge conflicts, name collisions, then checks', () => {
    const theirs = backendService('theirs', { owner: 'team-x', routes: ['x'] })
    const live = liveState({
      backendServices: [theirs, backendService('lbr-team-web-hello-bs-7903f8e1')],
      urlMap: {
        ...liveState().urlMap,
        hostRules: [{ hosts: ['*'], pathMatcher: 'm' }],
        pathMatchers: [
          {
            name: 'm',
            defaultService: liveState().urlMap!.defaultService,
            pathRules: [{ paths: ['/hello/*'], service: theirs.selfLink }]
          }
        ]
      }
    })
    const config = routesConfig(
      [
        hello,
        {
          name: 'run',
          paths: ['/run/*'],
          to: { cloudRun: { project: 'team-a', region: 'europe-west1', service: 's' } }
        }
      ],
      { tests: [{ host: 'www.example.com', path: '/hello/x', expect: { route: 'hello' } }] }
    )
    const { problems } = plan(config, live)
    expect(problems.map((p) => [p.route, p.message.split(/[;,]/)[0]])).toEqual([
      ['run', 'Cloud Run service team-a/europe-west1/s was not found'],
      // Issue 12: the `*` matcher here is hand-made, so no owner adds a new path into it.
      ['run', 'route run claims host * path /run/*'],
      ['hello', 'route hello claims host * path /hello/*'],
      [
        undefined,
        'backend service lbr-team-web-hello-bs-7903f8e1 already exists in project edge-prod and is not managed by lb-routes'
      ],
      [
        'hello',
        'route test failed: www.example.com/hello/x should reach route hello (lbr-team-web-hello-bs-7903f8e1) but reaches theirs (decided by pathRule /hello/*)'
      ]
    ])
    // A declared test points at its own line in routes.json, not at the route.
    expect(problems[4]!.at).toEqual(config.tests[0]!.at)
  })

  it('names, for display, who holds the other backends the merged map references', () => {
    const theirs = backendService('theirs', { owner: 'team-x', routes: ['x'] })
    const live = liveState({
      backendServices: [theirs],
      urlMap: {
        ...liveState().urlMap,
        hostRules: [{ hosts: ['shop.example.com'], pathMatcher: 'm' }],
        pathMatchers: [
          {
            name: 'm',
            description: ownerMarker('team-x', []),
            defaultService: liveState().urlMap!.defaultService,
            pathRules: [{ paths: ['/x/*'], service: theirs.selfLink }]
          }
        ]
      }
    })
    const result = plan(routesConfig([hello]), live)
    expect(result.plan!.holders).toMatchObject({ theirs: 'team-x' })
    expect(Object.values(result.plan!.holders!)).not.toContain('team-web')
  })

  it('plans nothing against the state its own apply left', () => {
    const config = routesConfig([hello])
    const first = plan(config, liveState()).plan!
    const again = plan(config, applyPlan(liveState(), first))
    expect(again.problems).toEqual([])
    expect(again.plan!.changes).toEqual([])
    expect(again.plan!.routes.map((r) => r.status)).toEqual(['unchanged'])
    expect(again.plan!.urlMapFingerprint).toBe(`fp-${first.planId}`)
  })

  it('runs the listed checks in order and concatenates what they report', () => {
    const ctx = contextFor(routesConfig([hello]), liveState())
    const a: PlanCheckStep = () => ({
      check: { name: 'a', status: 'warn', detail: 'A' },
      warnings: ['wa'],
      problems: [{ message: 'pa', route: 'hello' }]
    })
    const none: PlanCheckStep = () => undefined
    const b: PlanCheckStep = (c) => ({
      check: { name: 'b', status: 'pass', detail: c.config.owner },
      trafficMoves: [
        {
          host: 'h',
          path: '/',
          before: { owner: 'x', backend: 'bx' },
          after: { owner: OWNER, backend: 'bw' }
        }
      ]
    })
    expect(runPlanChecks(ctx, [a, none, b])).toEqual({
      checks: [
        { name: 'a', status: 'warn', detail: 'A' },
        { name: 'b', status: 'pass', detail: OWNER }
      ],
      problems: [{ message: 'pa', route: 'hello' }],
      warnings: ['wa'],
      trafficMoves: [
        {
          host: 'h',
          path: '/',
          before: { owner: 'x', backend: 'bx' },
          after: { owner: OWNER, backend: 'bw' }
        }
      ]
    })
    // Every check adds its row, but the owners-policy check only with a policy (or policy-file: none).
    expect(runPlanChecks(ctx).checks).toHaveLength(PLAN_CHECKS.length - 1)
  })

  it('withCheck folds a late check (urlMaps.validate) in after the others', () => {
    const built = plan(routesConfig([hello]), liveState())
    const late = withCheck(built, {
      check: { name: 'late', status: 'fail', detail: 'x' },
      problems: [{ message: 'late problem' }]
    })
    expect(late.plan!.checks.map((c) => c.name).slice(-2)).toEqual(['Hop count', 'late'])
    expect(late.problems).toEqual([{ message: 'late problem' }])
    expect(late.plan!.trafficMoves).toEqual(built.plan!.trafficMoves)
    expect(late.plan!.changes).toBe(built.plan!.changes)
  })
})
