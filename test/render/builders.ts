// Small builders for plans and apply results: each fills in the boring fields so a test states only
// what it is about.
import type {
  ApplyResult,
  ApplyStep,
  ChangeAction,
  Plan,
  PlanCheck,
  ResourceChange,
  ResourceKind,
  RouteSummary,
  RuleChange
} from '../../src/core/plan/model.js'
import { changeKey } from '../../src/core/plan/model.js'
import type { DesiredState } from '../../src/core/compile/model.js'
import type { LoadBalancerRef } from '../../src/core/routes/model.js'

export const LB: LoadBalancerRef = { project: 'edge-prod', urlMap: 'edge', scheme: 'EXTERNAL_MANAGED' }

export function desired(owner = 'team-web'): DesiredState {
  return {
    owner,
    loadBalancer: LB,
    negs: [],
    backendServices: [],
    rules: { hosts: [] },
    routeServices: {}
  }
}

export function route(name: string, over: Partial<RouteSummary> = {}): RouteSummary {
  return {
    name,
    hosts: ['www.example.com'],
    paths: [`/${name}`, `/${name}/*`],
    default: false,
    target: `Cloud Run ${name} (team-a, europe-west1)`,
    backend: `lbr-team-web-${name}`,
    backendProject: 'edge-prod',
    targetProject: 'team-a',
    hops: 1,
    status: 'unchanged',
    ...over
  }
}

export function change(
  kind: ResourceKind,
  name: string,
  action: ChangeAction,
  over: Partial<ResourceChange> & { project?: string; region?: string } = {}
): ResourceChange {
  const { project = 'edge-prod', region, ...rest } = over
  const address = region === undefined ? { kind, project, name } : { kind, project, region, name }
  return {
    key: changeKey(address),
    address,
    action,
    reason: `${action} ${name}`,
    ...rest
  }
}

export function rule(
  action: RuleChange['action'],
  host: string,
  path: string,
  over: Partial<RuleChange> = {}
): RuleChange {
  return { action, host, path, ...over }
}

export function check(name: string, status: PlanCheck['status'], detail = ''): PlanCheck {
  return { name, status, detail }
}

export function plan(over: Partial<Plan> = {}): Plan {
  const changes = over.changes ?? []
  return {
    formatVersion: 1,
    planId: 'p-3f9a1c',
    createdAt: '2026-03-01T12:00:00Z',
    owner: 'team-web',
    loadBalancer: LB,
    urlMapFingerprint: 'fp-42',
    changes,
    waves: over.waves ?? (changes.length > 0 ? [changes.map((c) => c.key)] : []),
    routes: [],
    warnings: [],
    checks: [],
    desired: desired(over.owner ?? 'team-web'),
    ...over
  }
}

/** examplePlan: one of each route status and resource action, like a typical PR. */
export function examplePlan(over: Partial<Plan> = {}): Plan {
  const neg = change('globalNetworkEndpointGroup', 'lbr-team-web-hello2-neg', 'create', {
    reason: 'new route hello2',
    routes: ['hello2'],
    after: { name: 'lbr-team-web-hello2-neg', networkEndpointType: 'INTERNET_FQDN_PORT' }
  })
  const bs = change('backendService', 'lbr-team-web-hello2', 'create', {
    reason: 'new route hello2',
    routes: ['hello2'],
    after: { name: 'lbr-team-web-hello2', protocol: 'HTTPS', customRequestHeaders: ['Host: hello2.run.app'] }
  })
  const old = change('backendService', 'lbr-team-web-old', 'delete', {
    reason: 'route old was removed',
    routes: ['old'],
    before: { name: 'lbr-team-web-old', protocol: 'HTTPS' }
  })
  const api = change('backendService', 'lbr-team-web-api', 'update', {
    reason: 'timeoutSec changed',
    fields: ['timeoutSec'],
    routes: ['api'],
    project: 'team-a',
    before: { name: 'lbr-team-web-api', timeoutSec: 30 },
    after: { name: 'lbr-team-web-api', timeoutSec: 60 }
  })
  const urlMap = change('urlMap', 'edge', 'update', {
    reason: 'path rules for hello2 added, old removed',
    fields: ['pathMatchers'],
    routes: ['hello2', 'old'],
    rules: [
      rule('add', 'www.example.com', '/hello2', { after: 'lbr-team-web-hello2', route: 'hello2' }),
      rule('remove', 'www.example.com', '/old', { before: 'lbr-team-web-old', route: 'old' })
    ]
  })
  return plan({
    changes: [neg, bs, api, urlMap, old],
    waves: [[neg.key], [bs.key, api.key], [urlMap.key], [old.key]],
    routes: [
      route('hello', { hosts: ['*'], paths: [], default: true }),
      route('hello2', { status: 'new', rewrite: '/' }),
      route('api', {
        hosts: ['api.example.com'],
        paths: ['/v1/*'],
        status: 'changed',
        backendProject: 'team-a',
        target: 'Serverless api (team-a: europe-west1, us-central1)'
      }),
      route('old', { status: 'removed' }),
      route('model', {
        hosts: ['ml.example.com'],
        paths: [],
        default: true,
        hops: 2,
        target: 'Load balancer ml-lb.example.net',
        targetProject: 'ml-prod'
      })
    ],
    checks: [
      check('route tests', 'pass', '6 tests passed'),
      check('urlMaps.validate', 'pass', 'merged map valid'),
      check('Cloud Run preflight', 'warn', 'hello2: ingress is internal-and-cloud-load-balancing'),
      check('quota headroom', 'skip', 'quota not readable'),
      check('hop count', 'pass', 'model: 2 hops')
    ],
    warnings: ['route model chains another load balancer (2 hops)'],
    ...over
  })
}

/** bigPlan: n new routes, each with a NEG and a backend service to create and a URL map rule. */
export function bigPlan(n: number): Plan {
  const routes: RouteSummary[] = []
  const changes: ResourceChange[] = []
  const rules: RuleChange[] = []
  for (let i = 0; i < n; i++) {
    const name = `svc-${String(i).padStart(4, '0')}`
    routes.push(route(name, { hosts: [`${name}.example.com`], status: 'new' }))
    changes.push(
      change('globalNetworkEndpointGroup', `lbr-team-web-${name}-neg`, 'create', {
        reason: `new route ${name}`,
        routes: [name],
        after: {
          name: `lbr-team-web-${name}-neg`,
          networkEndpointType: 'INTERNET_FQDN_PORT',
          defaultPort: 443
        }
      }),
      change('backendService', `lbr-team-web-${name}`, 'create', {
        reason: `new route ${name}`,
        routes: [name],
        after: {
          name: `lbr-team-web-${name}`,
          protocol: 'HTTPS',
          customRequestHeaders: [`Host: ${name}.run.app`]
        }
      })
    )
    rules.push(rule('add', `${name}.example.com`, `/${name}`, { after: `lbr-team-web-${name}`, route: name }))
  }
  const urlMap = change('urlMap', 'edge', 'update', { reason: `${n} routes added`, rules })
  return plan({
    changes: [...changes, urlMap],
    waves: [
      changes.filter((_, i) => i % 2 === 0).map((c) => c.key),
      changes.filter((_, i) => i % 2 === 1).map((c) => c.key),
      [urlMap.key]
    ],
    routes,
    checks: [check('route tests', 'pass', `${n * 2} tests passed`)]
  })
}

export function step(key: string, over: Partial<ApplyStep> = {}): ApplyStep {
  return { key, action: 'create', status: 'done', durationMs: 1200, ...over }
}

export function applyResult(over: Partial<ApplyResult> = {}): ApplyResult {
  return {
    planId: 'p-3f9a1c',
    owner: 'team-web',
    loadBalancer: LB,
    status: 'applied',
    steps: [],
    urlMapRetries: 0,
    durationMs: 4321,
    ...over
  }
}

export const HOSTILE = [
  '</details><script>alert(1)</script>',
  '@org/team',
  '[x](http://evil)',
  '![](http://evil/img)',
  '<!-- lb-routes:plan {"owner":"x"} -->',
  '| a | b |',
  'a`b``c',
  'line1\nline2',
  '#1',
  'x'.repeat(5000)
] as const
