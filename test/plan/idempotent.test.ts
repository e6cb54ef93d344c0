// Property: planning any generated state against itself gives no changes. For seeded random routes files
// (every target kind, shared and own hosts, defaults, prefixes, rewrites, backend settings, the shared
// Cloud Run backend) on a load balancer another owner already uses: plan, apply the plan's `after` bodies
// (applyPlan, what Compute would then report), plan again — no changes, no problems, every route unchanged.
// The same after a second routes file replaces the first.
import { describe, expect, it } from '@jest/globals'
import type { LiveState } from '../../src/core/plan/live.js'
import type { RoutesConfig } from '../../src/core/routes/model.js'
import { prng } from '../emulator/helpers.js'
import { applyPlan, liveState, plan, routesConfig, summary, type RouteDoc } from '../support/builders.js'

const SEEDS = process.env.LB_ROUTES_LONG === '1' ? 1000 : 150
const REGIONS = ['europe-west1', 'us-central1', 'asia-east1']

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!

/** target draws one of the target kinds that compile without reading live APIs. */
function target(rnd: () => number, tag: string): Record<string, unknown> {
  switch (pick(rnd, ['run', 'internet', 'serverless', 'lb'] as const)) {
    case 'run':
      return { cloudRun: { url: `https://${tag}-${Math.floor(rnd() * 1e4)}-ew.a.run.app` } }
    case 'internet':
      return {
        internet: {
          fqdn: `origin-${Math.floor(rnd() * 3)}.example.net`,
          port: pick(rnd, [443, 8443]),
          ...(rnd() < 0.5 ? { hostHeader: `${tag}.example.org` } : {})
        }
      }
    case 'serverless': {
      const regions = REGIONS.filter(() => rnd() < 0.6)
      return {
        serverless: {
          project: 'team-a',
          service: pick(rnd, ['api', 'web']),
          regions: regions.length ? regions : ['us-central1']
        }
      }
    }
    case 'lb':
      return { loadBalancer: { domain: `lb-${Math.floor(rnd() * 2)}.example.net` } }
  }
}

/** The Cloud Run services serverless targets name, serving in every region (the preflight reads them). */
const SERVERLESS_SERVICES: LiveState['runServices'] = Object.fromEntries(
  REGIONS.flatMap((r) =>
    ['api', 'web'].map((s) => [`team-a/${r}/${s}`, { found: true, ingress: 'INGRESS_TRAFFIC_ALL' }])
  )
)

/** settings draws optional backend settings (none for serverless targets, which take no timeout). */
function settings(rnd: () => number, to: Record<string, unknown>): Record<string, unknown> {
  return {
    ...(rnd() < 0.2 && !('serverless' in to) ? { timeoutSec: 1 + Math.floor(rnd() * 120) } : {}),
    ...(rnd() < 0.15 ? { enableCdn: true } : {}),
    ...(rnd() < 0.15 ? { logSampleRate: 0.5 } : {}),
    ...(rnd() < 0.1 ? { requestHeaders: ['X-Team: web'] } : {})
  }
}

/** routes draws 1–8 routes for `owner`; paths are unique per owner, so two owners never claim the same. */
function routes(rnd: () => number, owner: string, version: string): RouteDoc[] {
  const defaults = new Set<string>()
  return Array.from({ length: 1 + Math.floor(rnd() * 8) }, (_, i) => {
    const name = `r${i}`
    // A shared host rather than `*`: a `*` path rule lands on every host (issue 12), where another
    // owner's host default would make it a conflict.
    const hosts =
      rnd() < 0.4
        ? ['shared.example.com']
        : [
            `${owner}-${Math.floor(rnd() * 3)}.example.com`,
            ...(rnd() < 0.2 ? [`${owner}-x.example.com`] : [])
          ]
    const to = target(rnd, `${owner}-${name}${version}`)
    const route: RouteDoc = { name, hosts, to, ...settings(rnd, to) }
    if (hosts[0] !== 'shared.example.com' && hosts.every((h) => !defaults.has(h)) && rnd() < 0.25) {
      hosts.forEach((h) => defaults.add(h))
      return { ...route, default: true }
    }
    const base = `/${owner}-${name}`
    return {
      ...route,
      ...(rnd() < 0.5
        ? { prefix: base }
        : { paths: [`${base}/*`, ...(rnd() < 0.4 ? [`${base}-exact`] : [])] }),
      ...(rnd() < 0.3 ? { rewrite: { pathPrefix: pick(rnd, ['/', '/v2/']) } } : {})
    }
  })
}

function config(rnd: () => number, owner: string, version = ''): RoutesConfig {
  return routesConfig(routes(rnd, owner, version), {
    owner,
    allowedInternetHosts: ['*.example.net'],
    ...(rnd() < 0.2 ? { options: { sharedCloudRunBackend: true } } : {})
  })
}

/** converge plans and applies `c`, checking that the plan had no problems. */
function converge(c: RoutesConfig, live: LiveState, seed: number): LiveState {
  const first = plan(c, live)
  expect({ seed, problems: first.problems }).toEqual({ seed, problems: [] })
  return applyPlan(live, first.plan!)
}

/** expectNoChanges: planning `c` against the state its own apply left changes nothing. */
function expectNoChanges(c: RoutesConfig, live: LiveState, seed: number): void {
  const again = plan(c, live)
  expect({ seed, problems: again.problems, changes: summary(again.plan!.changes) }).toEqual({
    seed,
    problems: [],
    changes: []
  })
  expect(again.plan!.routes.filter((r) => r.status !== 'unchanged')).toEqual([])
}

describe('planning a state against itself', () => {
  it(`gives no changes (${SEEDS} generated states)`, () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      const rnd = prng(seed)
      const shared = converge(config(rnd, 'team-x'), liveState({ runServices: SERVERLESS_SERVICES }), seed)
      const a = config(rnd, 'team-web')
      const afterA = converge(a, shared, seed)
      expectNoChanges(a, afterA, seed)
      const b = config(rnd, 'team-web', 'b')
      expectNoChanges(b, converge(b, afterA, seed), seed)
    }
  })
})
