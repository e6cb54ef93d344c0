// compileDesired as a table: one routes config per row, and the exact shape of what it compiles to — each
// NEG (kind and endpoint), each backend service (project, protocol, Host/headers, NEG count), the owner's
// URL-map rules (route per host and path), unresolved targets and notes.
import { describe, expect, it } from '@jest/globals'
import {
  compileDesired,
  type CompileResult,
  type Resolutions
} from '../../src/core/compile/compile-desired.js'
import type { RoutesConfig, Target } from '../../src/core/routes/model.js'
import { modelConfig, modelRoute } from '../support/builders.js'

const route = modelRoute
const config = modelConfig

// The parts of a CompileResult a reviewer reads, with resource names replaced by the routes they serve.
function shape(result: CompileResult) {
  const { desired } = result
  const serviceRoute = new Map(desired.backendServices.map((b) => [b.name, b.routes.join('+')]))
  const routeOf = (service: string | undefined) =>
    service === undefined ? undefined : serviceRoute.get(service.split('/').pop()!)
  return {
    negs: desired.negs.map((n) => [
      n.routes.join('+'),
      n.project,
      n.region ?? 'global',
      n.resource.networkEndpointType,
      n.endpoint ?? n.resource.cloudRun
    ]),
    backendServices: desired.backendServices.map((b) => [
      b.routes.join('+'),
      b.project,
      b.resource.protocol,
      b.resource.backends?.length,
      b.resource.customRequestHeaders ?? [],
      b.securityPolicy ?? null
    ]),
    defaultRoute: desired.rules.defaultRoute ?? null,
    defaultServiceRoute: routeOf(desired.rules.defaultService) ?? null,
    hosts: desired.rules.hosts.map((h) => [
      h.host,
      h.defaultRoute ?? null,
      h.pathRules.map((r) => [r.route, routeOf(r.service), r.paths, r.routeAction?.urlRewrite ?? null])
    ]),
    unresolved: result.unresolved,
    notes: result.notes
  }
}

const runUrl: Target = { kind: 'cloudRun', url: 'https://hello-3abc-ew.a.run.app' }
const runByName: Target = { kind: 'cloudRun', project: 'team-a', region: 'europe-west1', service: 'hello' }
const resolved: Resolutions = {
  cloudRunHosts: { 'team-a/europe-west1/hello': 'hello-123.europe-west1.run.app' },
  forwardingRuleIps: { 'ml-prod/ml-fr': '34.1.2.3' }
}

type Row = [string, RoutesConfig, Resolutions | undefined, ReturnType<typeof shape>]
const ROWS: Row[] = [
  [
    'a Cloud Run URL: Internet NEG on the run.app host, HTTPS backend with the Host override',
    config([route('hello', runUrl)]),
    undefined,
    {
      negs: [
        ['hello', 'edge-prod', 'global', 'INTERNET_FQDN_PORT', { fqdn: 'hello-3abc-ew.a.run.app', port: 443 }]
      ],
      backendServices: [['hello', 'edge-prod', 'HTTPS', 1, ['Host: hello-3abc-ew.a.run.app'], null]],
      defaultRoute: null,
      defaultServiceRoute: null,
      hosts: [['*', null, [['hello', 'hello', ['/hello', '/hello/*'], null]]]],
      unresolved: [],
      notes: []
    }
  ],
  [
    'a Cloud Run service by name, resolved',
    config([route('hello', runByName, { backend: { requestHeaders: ['X-Team: web'] } })]),
    resolved,
    {
      negs: [
        [
          'hello',
          'edge-prod',
          'global',
          'INTERNET_FQDN_PORT',
          { fqdn: 'hello-123.europe-west1.run.app', port: 443 }
        ]
      ],
      backendServices: [
        ['hello', 'edge-prod', 'HTTPS', 1, ['Host: hello-123.europe-west1.run.app', 'X-Team: web'], null]
      ],
      defaultRoute: null,
      defaultServiceRoute: null,
      hosts: [['*', null, [['hello', 'hello', ['/hello', '/hello/*'], null]]]],
      unresolved: [],
      notes: []
    }
  ],
  [
    'a Cloud Run service by name, unresolved: a placeholder host, reported',
    config([route('hello', runByName)]),
    undefined,
    {
      negs: [
        [
          'hello',
          'edge-prod',
          'global',
          'INTERNET_FQDN_PORT',
          { fqdn: 'hello.europe-west1.team-a.unresolved.run.app', port: 443 }
        ]
      ],
      backendServices: [
        ['hello', 'edge-prod', 'HTTPS', 1, ['Host: hello.europe-west1.team-a.unresolved.run.app'], null]
      ],
      defaultRoute: null,
      defaultServiceRoute: null,
      hosts: [['*', null, [['hello', 'hello', ['/hello', '/hello/*'], null]]]],
      unresolved: [{ route: 'hello', what: 'Cloud Run service team-a/europe-west1/hello' }],
      notes: []
    }
  ],
  [
    'serverless in two regions: a NEG per region in the target project, the backend there too, no Host',
    config([
      route(
        'api',
        { kind: 'serverless', project: 'team-a', service: 'api', regions: ['europe-west1', 'us-central1'] },
        {
          hosts: ['api.example.com'],
          backend: { securityPolicy: 'armor' }
        }
      )
    ]),
    undefined,
    {
      negs: [
        ['api', 'team-a', 'europe-west1', 'SERVERLESS', { service: 'api' }],
        ['api', 'team-a', 'us-central1', 'SERVERLESS', { service: 'api' }]
      ],
      backendServices: [
        [
          'api',
          'team-a',
          'HTTPS',
          2,
          [],
          'https://www.googleapis.com/compute/v1/projects/edge-prod/global/securityPolicies/armor'
        ]
      ],
      defaultRoute: null,
      defaultServiceRoute: null,
      hosts: [['api.example.com', null, [['api', 'api', ['/api', '/api/*'], null]]]],
      unresolved: [],
      notes: []
    }
  ],
  [
    'internet by IP with a Host header, and another load balancer by forwarding rule (resolved IP)',
    config([
      route('ext', {
        kind: 'internet',
        ip: '8.8.8.8',
        port: 8443,
        protocol: 'HTTP2',
        hostHeader: 'ext.example.com'
      }),
      route(
        'ml',
        { kind: 'loadBalancer', project: 'ml-prod', forwardingRule: 'ml-fr', protocol: 'HTTPS', port: 443 },
        {
          hosts: ['ml.example.com'],
          paths: [],
          default: true
        }
      )
    ]),
    resolved,
    {
      negs: [
        ['ext', 'edge-prod', 'global', 'INTERNET_IP_PORT', { ipAddress: '8.8.8.8', port: 8443 }],
        ['ml', 'edge-prod', 'global', 'INTERNET_IP_PORT', { ipAddress: '34.1.2.3', port: 443 }]
      ],
      backendServices: [
        ['ext', 'edge-prod', 'HTTP2', 1, ['Host: ext.example.com'], null],
        ['ml', 'edge-prod', 'HTTPS', 1, [], null]
      ],
      defaultRoute: null,
      defaultServiceRoute: null,
      hosts: [
        ['*', null, [['ext', 'ext', ['/ext', '/ext/*'], null]]],
        ['ml.example.com', 'ml', []]
      ],
      unresolved: [],
      notes: []
    }
  ],
  [
    'shared Cloud Run backend: one NEG on the first run.app host, hostRewrite per route, a note for ignored settings; a default route keeps its own',
    config(
      [
        route('b', { kind: 'cloudRun', url: 'https://b-x.a.run.app' }, { backend: { timeoutSec: 5 } }),
        route('a', { kind: 'cloudRun', url: 'https://a-x.a.run.app' }, { rewrite: { pathPrefix: '/v2' } }),
        route('home', runUrl, { paths: [], default: true })
      ],
      { sharedCloudRunBackend: true }
    ),
    undefined,
    {
      negs: [
        ['b+a', 'edge-prod', 'global', 'INTERNET_FQDN_PORT', { fqdn: 'a-x.a.run.app', port: 443 }],
        ['home', 'edge-prod', 'global', 'INTERNET_FQDN_PORT', { fqdn: 'hello-3abc-ew.a.run.app', port: 443 }]
      ],
      backendServices: [
        ['b+a', 'edge-prod', 'HTTPS', 1, [], null],
        ['home', 'edge-prod', 'HTTPS', 1, ['Host: hello-3abc-ew.a.run.app'], null]
      ],
      defaultRoute: 'home',
      defaultServiceRoute: 'home',
      hosts: [
        [
          '*',
          null,
          [
            ['b', 'b+a', ['/b', '/b/*'], { hostRewrite: 'b-x.a.run.app' }],
            ['a', 'b+a', ['/a'], { pathPrefixRewrite: '/v2', hostRewrite: 'a-x.a.run.app' }],
            ['a', 'b+a', ['/a/*'], { pathPrefixRewrite: '/v2/', hostRewrite: 'a-x.a.run.app' }]
          ]
        ]
      ],
      unresolved: [],
      notes: [
        'route b: backend settings (timeoutSec, enableCdn, logSampleRate, securityPolicy, requestHeaders) do not apply with options.sharedCloudRunBackend; the shared backend service uses defaults'
      ]
    }
  ]
]

describe('compileDesired (table)', () => {
  it.each(ROWS)('%s', (_name, cfg, res, expected) => {
    expect(shape(compileDesired(cfg, res))).toEqual(expected)
  })

  it('names every resource after its owner, and compiles the same config to the same names', () => {
    const cfg = config([route('hello', runUrl)])
    const { desired } = compileDesired(cfg)
    for (const name of [...desired.negs, ...desired.backendServices].map((r) => r.name))
      expect(name).toMatch(/^lbr-team-web-hello-(neg|bs)-[0-9a-f]{8}$/)
    expect(compileDesired(cfg)).toEqual(compileDesired(cfg))
  })
})
