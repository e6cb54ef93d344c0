// exportRoutes as a table, called directly: live resources (built here with their selfLinks, the way Compute
// returns them) → the routes it writes and the warnings for what it leaves out. Every export must parse as
// a valid routes.json.
import { describe, expect, it } from '@jest/globals'
import type {
  BackendService,
  NetworkEndpoint,
  NetworkEndpointGroup,
  PathMatcher,
  UrlMap
} from '../../src/core/compute.js'
import { ownerMarker } from '../../src/core/compile/markers.js'
import { exportRoutes, globalNegsOf, type ExportInput } from '../../src/core/export/export-routes.js'
import { parseRoutes } from '../../src/core/routes/parse.js'

const API = 'https://www.googleapis.com/compute/v1/projects'
const bsUrl = (name: string, project = 'edge-prod') => `${API}/${project}/global/backendServices/${name}`
const globalNeg = (name: string, project = 'edge-prod') =>
  `${API}/${project}/global/networkEndpointGroups/${name}`
const regionNeg = (region: string, name: string, project = 'edge-prod') =>
  `${API}/${project}/regions/${region}/networkEndpointGroups/${name}`

function backend(name: string, groups: string[], extra: Partial<BackendService> = {}): BackendService {
  return {
    name,
    selfLink: bsUrl(name),
    protocol: 'HTTPS',
    loadBalancingScheme: 'EXTERNAL_MANAGED',
    backends: groups.map((group) => ({ group })),
    timeoutSec: 30,
    ...extra
  }
}

function internetNeg(name: string): NetworkEndpointGroup {
  return { name, selfLink: globalNeg(name), networkEndpointType: 'INTERNET_FQDN_PORT', defaultPort: 443 }
}

function serverlessNeg(region: string, name: string, service: string): NetworkEndpointGroup {
  return { name, selfLink: regionNeg(region, name), networkEndpointType: 'SERVERLESS', cloudRun: { service } }
}

function matcher(
  name: string,
  defaultService: string | undefined,
  extra: Partial<PathMatcher> = {}
): PathMatcher {
  return { name, ...(defaultService && { defaultService: bsUrl(defaultService) }), ...extra }
}

// The pieces every row shares: web (a Cloud Run URL behind an Internet NEG) as the map default.
const web = backend('web-bs', [globalNeg('web-neg')], {
  customRequestHeaders: ['Host: web-abc-ew.a.run.app']
})
const webEndpoints: Record<string, NetworkEndpoint[]> = {
  'edge-prod/web-neg': [{ fqdn: 'web-abc-ew.a.run.app', port: 443 }]
}

function input(
  pathMatchers: Array<[string[], PathMatcher]>,
  backends: BackendService[] = [],
  negs: NetworkEndpointGroup[] = [],
  endpoints: Record<string, NetworkEndpoint[]> = {}
): ExportInput {
  const urlMap: UrlMap = {
    name: 'edge',
    defaultService: bsUrl('web-bs'),
    hostRules: pathMatchers.map(([hosts, m]) => ({ hosts, pathMatcher: m.name })),
    pathMatchers: pathMatchers.map(([, m]) => m)
  }
  return {
    project: 'edge-prod',
    urlMap,
    owner: 'team-web',
    backendServices: [web, ...backends],
    negs: [internetNeg('web-neg'), ...negs],
    negEndpoints: { ...webEndpoints, ...endpoints }
  }
}

const webRoute = {
  name: 'web-bs',
  hosts: ['*'],
  default: true,
  to: { cloudRun: { url: 'https://web-abc-ew.a.run.app' } }
}

type Row = [string, ExportInput, { routes: unknown[]; allowedInternetHosts?: string[] }, string[]]
const ROWS: Row[] = [
  ['the map default alone: one default route for "*"', input([]), { routes: [webRoute] }, []],
  [
    'a prefix with a rewrite: "/hello" + "/hello/*" become a prefix, the rewrite loses the slash compile adds back',
    input(
      [
        [
          ['api.example.com'],
          matcher('api', 'web-bs', {
            pathRules: [
              {
                paths: ['/hello'],
                service: bsUrl('hello-bs'),
                routeAction: { urlRewrite: { pathPrefixRewrite: '/v2' } }
              },
              {
                paths: ['/hello/*'],
                service: bsUrl('hello-bs'),
                routeAction: { urlRewrite: { pathPrefixRewrite: '/v2/' } }
              }
            ]
          })
        ]
      ],
      [backend('hello-bs', [globalNeg('hello-neg')], { customRequestHeaders: ['Host: hello-x.a.run.app'] })],
      [internetNeg('hello-neg')],
      { 'edge-prod/hello-neg': [{ fqdn: 'hello-x.a.run.app', port: 443 }] }
    ),
    {
      routes: [
        webRoute,
        {
          name: 'hello-bs',
          hosts: ['api.example.com'],
          prefix: '/hello',
          rewrite: { pathPrefix: '/v2' },
          to: { cloudRun: { url: 'https://hello-x.a.run.app' } }
        }
      ]
    },
    []
  ],
  [
    'serverless NEGs of one service in two regions, as a host default; an internet FQDN with CDN is allow-listed',
    input(
      [
        [['api.example.com'], matcher('api', 'api-bs')],
        [
          ['www.example.com'],
          matcher('www', 'web-bs', { pathRules: [{ paths: ['/docs/*'], service: bsUrl('docs-bs') }] })
        ]
      ],
      [
        backend('api-bs', [regionNeg('us-central1', 'api-us'), regionNeg('europe-west1', 'api-eu')]),
        backend('docs-bs', [globalNeg('docs-neg')], {
          enableCDN: true,
          timeoutSec: 60,
          customRequestHeaders: ['Host: docs.example.net', 'X-Team: web']
        })
      ],
      [
        serverlessNeg('us-central1', 'api-us', 'api'),
        serverlessNeg('europe-west1', 'api-eu', 'api'),
        internetNeg('docs-neg')
      ],
      { 'edge-prod/docs-neg': [{ fqdn: 'docs.example.net', port: 443 }] }
    ),
    {
      allowedInternetHosts: ['docs.example.net'],
      routes: [
        webRoute,
        {
          name: 'api-bs',
          hosts: ['api.example.com'],
          default: true,
          to: {
            serverless: { project: 'edge-prod', service: 'api', regions: ['europe-west1', 'us-central1'] }
          }
        },
        {
          name: 'docs-bs',
          hosts: ['www.example.com'],
          paths: ['/docs/*'],
          timeoutSec: 60,
          enableCdn: true,
          requestHeaders: ['X-Team: web'],
          to: {
            internet: {
              fqdn: 'docs.example.net',
              port: 443,
              protocol: 'HTTPS',
              hostHeader: 'docs.example.net'
            }
          }
        }
      ]
    },
    []
  ],
  [
    "another owner's backend is left out; this owner's own backend keeps its route name",
    input(
      [
        [
          ['a.example.com'],
          matcher('a', 'web-bs', {
            pathRules: [
              { paths: ['/theirs/*'], service: bsUrl('theirs-bs') },
              { paths: ['/mine/*'], service: bsUrl('lbr-mine-bs') }
            ]
          })
        ]
      ],
      [
        backend('theirs-bs', [globalNeg('web-neg')], { description: ownerMarker('team-data', ['t']) }),
        backend('lbr-mine-bs', [globalNeg('web-neg')], {
          description: ownerMarker('team-web', ['mine']),
          customRequestHeaders: ['Host: web-abc-ew.a.run.app']
        })
      ]
    ),
    {
      routes: [
        webRoute,
        {
          name: 'mine',
          hosts: ['a.example.com'],
          paths: ['/mine/*'],
          to: { cloudRun: { url: 'https://web-abc-ew.a.run.app' } }
        }
      ]
    },
    ['rules of owner team-data left out (backend services theirs-bs)']
  ],
  [
    'what routes.json cannot express: routeRules, a route-action timeout (the whole backend), two endpoints',
    input(
      [
        [
          ['legacy.example.com'],
          matcher('legacy', 'web-bs', { routeRules: [{ priority: 1, service: bsUrl('web-bs') }] })
        ],
        [
          ['b.example.com'],
          matcher('b', 'web-bs', {
            pathRules: [
              { paths: ['/slow/*'], service: bsUrl('slow-bs'), routeAction: { timeout: { seconds: '90' } } },
              { paths: ['/fast/*'], service: bsUrl('slow-bs') },
              { paths: ['/two/*'], service: bsUrl('two-bs') }
            ]
          })
        ]
      ],
      [backend('slow-bs', [globalNeg('web-neg')]), backend('two-bs', [globalNeg('two-neg')])],
      [internetNeg('two-neg')],
      {
        'edge-prod/two-neg': [
          { fqdn: 'a.example.net', port: 443 },
          { fqdn: 'b.example.net', port: 443 }
        ]
      }
    ),
    { routes: [webRoute] },
    [
      'not exported: path matcher legacy (legacy.example.com): routeRules cannot be expressed',
      'not exported: backend service slow-bs (host b.example.com /slow/*, host b.example.com /fast/*): path rule /slow/* in path matcher b uses timeout',
      'not exported: backend service two-bs (host b.example.com /two/*): its NEG two-neg has 2 endpoints (routes.json targets have one)'
    ]
  ]
]

// The routes.json value of an export (its `//` header lines removed).
function exported(text: string): unknown {
  return JSON.parse(
    text
      .split('\n')
      .filter((l) => !l.startsWith('//'))
      .join('\n')
  )
}

describe('exportRoutes (table)', () => {
  it.each(ROWS)('%s', (_name, given, expected, warnings) => {
    const result = exportRoutes(given)
    expect(exported(result.text)).toEqual({
      version: 1,
      owner: 'team-web',
      loadBalancer: { project: 'edge-prod', urlMap: 'edge', scheme: 'EXTERNAL_MANAGED' },
      ...expected
    })
    expect(result.warnings).toEqual(warnings)
    for (const w of warnings) expect(result.text).toContain(`// ${w}\n`)
    expect(parseRoutes(result.text, { file: 'exported.json' }).diagnostics).toEqual([])
  })

  it('lists the global NEGs whose endpoints it needs', () => {
    const backends = [web, backend('x', [globalNeg('x-neg', 'other'), regionNeg('europe-west1', 'r')])]
    expect(globalNegsOf(backends)).toEqual(['edge-prod/web-neg', 'other/x-neg'])
  })
})
