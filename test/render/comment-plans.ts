// The plans of the comment tests (issue #14), built directly (traffic moves and errors set by hand), shared
// by the render tests and the mermaid parser test.
import type { Plan, TrafficMove } from '../../src/core/plan/model.js'
import { change, check, plan, route, rule } from './builders.js'

const BS = 'https://www.googleapis.com/compute/v1/projects/edge-prod/global/backendServices/'

const move = (
  host: string,
  path: string,
  before: [string, string],
  after: [string, string],
  conflict?: string
): TrafficMove => ({
  host,
  path,
  before: { owner: before[0], backend: `${BS}${before[1]}` },
  after: { owner: after[0], backend: `${BS}${after[1]}` },
  ...(conflict ? { conflict } : {})
})

/** A failing plan: a path held by team-shop, a forwarding rule that does not exist, a route test that fails. */
export function failingPlan(): Plan {
  return plan({
    owner: 'team-web',
    changes: [
      change('backendService', 'lbr-team-web-promo-bs-0a1b2c3d', 'create', { routes: ['promo'] }),
      change('urlMap', 'edge', 'update', {
        rules: [
          rule('add', 'shop.example.com', '/shop/promo', {
            after: 'lbr-team-web-promo-bs-0a1b2c3d',
            route: 'promo'
          })
        ]
      })
    ],
    routes: [
      route('promo', {
        hosts: ['shop.example.com'],
        paths: ['/shop/promo'],
        status: 'new',
        kind: 'cloudRun',
        hops: 2,
        backend: 'lbr-team-web-promo-bs-0a1b2c3d'
      }),
      route('batch', {
        status: 'new',
        kind: 'loadBalancer',
        hops: 2,
        target: 'load balancer team-ml/batch-https'
      })
    ],
    checks: [check('Route tests (offline)', 'fail', '1 of 4 failed'), check('Quota headroom', 'pass', 'ok')],
    trafficMoves: [
      move(
        'shop.example.com',
        '/shop/promo',
        ['team-shop', 'lbr-team-shop-shop-bs-7a1d2c3e'],
        ['team-web', 'lbr-team-web-promo-bs-0a1b2c3d'],
        'team-shop'
      )
    ],
    errors: [
      {
        file: 'routes.json',
        line: 12,
        column: 5,
        route: 'promo',
        message:
          'route promo claims host shop.example.com path /shop/promo, which is held by owner team-shop (backend service lbr-team-shop-shop-bs-7a1d2c3e); pick another host or path, or agree with the holder to release it'
      },
      {
        file: 'routes.json',
        line: 18,
        column: 5,
        route: 'batch',
        message: 'forwarding rule team-ml/batch-https was not found; check the project, region and name'
      },
      {
        file: 'routes.json',
        line: 40,
        column: 7,
        message: 'route test failed: shop.example.com/shop/promo expected route promo, got team-shop'
      }
    ]
  })
}

/** A clean plan: one new Cloud Run route, nothing else. */
export function cleanPlan(): Plan {
  return plan({
    changes: [change('backendService', 'lbr-team-web-hello2-bs-11152932', 'create', { routes: ['hello2'] })],
    routes: [
      route('hello2', {
        status: 'new',
        kind: 'cloudRun',
        hops: 2,
        backend: 'lbr-team-web-hello2-bs-11152932'
      })
    ],
    checks: [
      check('Route tests (offline)', 'pass', '4 passed'),
      check('Hop count', 'pass', '1 through an extra hop')
    ]
  })
}

/** The owner's own move: removing `welcome` sends the URL map default to `hello`. */
export function ownMovePlan(): Plan {
  return plan({
    changes: [
      change('backendService', 'lbr-team-web-welcome-bs-5f0c1a2b', 'delete', { routes: ['welcome'] }),
      change('urlMap', 'edge', 'update', {
        before: { defaultService: `${BS}lbr-team-web-welcome-bs-5f0c1a2b` },
        rules: [
          rule('change', '*', '(default)', {
            before: 'lbr-team-web-welcome-bs-5f0c1a2b',
            after: 'lbr-team-web-hello-bs-7903f8e1'
          })
        ]
      })
    ],
    routes: [
      route('welcome', {
        status: 'removed',
        hosts: ['*'],
        paths: [],
        default: true,
        hops: 0,
        backend: 'lbr-team-web-welcome-bs-5f0c1a2b'
      }),
      route('hello', {
        status: 'new',
        hosts: ['*'],
        paths: [],
        default: true,
        kind: 'cloudRun',
        hops: 2,
        backend: 'lbr-team-web-hello-bs-7903f8e1'
      })
    ],
    trafficMoves: [
      move(
        '*',
        '/',
        ['team-web', 'lbr-team-web-welcome-bs-5f0c1a2b'],
        ['team-web', 'lbr-team-web-hello-bs-7903f8e1']
      ),
      move(
        'www.example.com',
        '/',
        ['team-web', 'lbr-team-web-welcome-bs-5f0c1a2b'],
        ['team-web', 'lbr-team-web-hello-bs-7903f8e1']
      )
    ]
  })
}

/** A catch-all held by team-shop (the URL map default): team-web claims /news on every host more specifically. */
export function catchAllPlan(): Plan {
  return plan({
    changes: [
      change('urlMap', 'edge', 'update', {
        before: { defaultService: `${BS}lbr-team-shop-home-bs-1111aaaa` },
        rules: [rule('add', '*', '/news', { after: 'lbr-team-web-news-bs-2222bbbb', route: 'news' })]
      })
    ],
    routes: [
      route('news', {
        status: 'new',
        hosts: ['*'],
        paths: ['/news'],
        kind: 'serverless',
        hops: 1,
        backend: 'lbr-team-web-news-bs-2222bbbb'
      })
    ],
    trafficMoves: [
      move(
        '*',
        '/news',
        ['team-shop', 'lbr-team-shop-home-bs-1111aaaa'],
        ['team-web', 'lbr-team-web-news-bs-2222bbbb']
      )
    ]
  })
}

/** A changed target: api moves from the hello2-3abc service to hello2-v2-9xyz, timeout 30s → 60s, a host added. */
export function changedTargetPlan(): Plan {
  return plan({
    changes: [
      change('backendService', 'lbr-team-web-api-bs-9e9e9e9e', 'create', { routes: ['api'] }),
      change('backendService', 'lbr-team-web-api-bs-1a1a1a1a', 'delete', { routes: ['api'] })
    ],
    routes: [
      route('api', {
        status: 'changed',
        kind: 'cloudRun',
        hops: 2,
        hosts: ['api.example.com', 'api2.example.com'],
        target: 'Cloud Run hello2-v2-9xyz-ew.a.run.app',
        backend: 'lbr-team-web-api-bs-9e9e9e9e',
        hostRewrite: 'internal.example.com',
        changes: [
          {
            field: 'target',
            before: 'Cloud Run hello2-3abc-ew.a.run.app',
            after: 'Cloud Run hello2-v2-9xyz-ew.a.run.app'
          },
          { field: 'timeout', before: '30s', after: '60s' },
          { field: 'hosts', after: 'api2.example.com' },
          { field: 'paths', before: '/old/*' },
          { field: 'host rewrite', before: 'none', after: 'internal.example.com' }
        ]
      })
    ]
  })
}
