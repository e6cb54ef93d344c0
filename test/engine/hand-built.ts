// A load balancer built by hand in the console (issue #6): what adopt and export start from.
import type { BackendService } from '../../src/core/compute.js'
import type { EmulatorState } from '../../src/emulator/types.js'
import { LB, URL_MAP } from './scenario-helpers.js'

const C = 'https://www.googleapis.com/compute/v1/projects'
const bsUrl = (name: string, project = LB) => `${C}/${project}/global/backendServices/${name}`
const negUrl = (name: string) => `${C}/${LB}/global/networkEndpointGroups/${name}`
const internetNeg = (name: string, fqdn: string) => ({
  name,
  description: 'made in the console',
  networkEndpointType: 'INTERNET_FQDN_PORT',
  defaultPort: 443,
  networkEndpoints: [{ fqdn, port: 443 }]
})
const backend = (name: string, groups: string[], host?: string, extra: Partial<BackendService> = {}) => ({
  name,
  description: `${name}, hand-built`,
  protocol: 'HTTPS',
  loadBalancingScheme: 'EXTERNAL_MANAGED',
  backends: groups.map((group) => ({ group })),
  ...(host ? { customRequestHeaders: [`Host: ${host}`], timeoutSec: 30 } : {}),
  ...extra
})

/**
 * handBuilt is the technique built by hand: Internet NEGs + backends with a Host header (web as the
 * default, hello under /hello with a rewrite, docs on another host), serverless NEGs in two regions
 * under one backend (api), and a URL map with host rules and path matchers.
 */
export function handBuilt(): EmulatorState {
  return {
    projects: {
      [LB]: {
        urlMaps: [
          {
            name: URL_MAP,
            description: 'built in the console',
            defaultService: bsUrl('web-bs'),
            hostRules: [
              { hosts: ['api.example.com'], pathMatcher: 'api' },
              { hosts: ['www.example.com'], pathMatcher: 'www' },
              { hosts: ['legacy.example.com'], pathMatcher: 'legacy' }
            ],
            pathMatchers: [
              {
                name: 'api',
                defaultService: bsUrl('api-bs'),
                pathRules: [
                  {
                    paths: ['/hello', '/hello/*'],
                    service: bsUrl('hello-bs'),
                    routeAction: { urlRewrite: { pathPrefixRewrite: '/' } }
                  }
                ]
              },
              {
                name: 'www',
                defaultService: bsUrl('web-bs'),
                pathRules: [
                  { paths: ['/docs/*'], service: bsUrl('docs-bs') },
                  // Not expressible in routes.json: export leaves slow-bs out, and adoption never touches it.
                  { paths: ['/slow/*'], service: bsUrl('slow-bs'), routeAction: { timeout: { seconds: 90 } } }
                ]
              },
              {
                name: 'legacy',
                defaultService: bsUrl('web-bs'),
                routeRules: [{ priority: 1, matchRules: [{ prefixMatch: '/' }], service: bsUrl('slow-bs') }]
              }
            ]
          }
        ],
        backendServices: [
          backend('web-bs', [negUrl('web-neg')], 'web-abc-ew.a.run.app'),
          backend('hello-bs', [negUrl('hello-neg')], 'hello-xyz-ew.a.run.app'),
          backend('docs-bs', [negUrl('docs-neg')], 'docs.example.net', { enableCDN: true }),
          backend('slow-bs', [negUrl('slow-neg')], 'slow-q1w2-ew.a.run.app'),
          backend('api-bs', [
            `${C}/${LB}/regions/europe-west1/networkEndpointGroups/api-ew1`,
            `${C}/${LB}/regions/us-central1/networkEndpointGroups/api-uc1`
          ])
        ],
        globalNetworkEndpointGroups: [
          internetNeg('web-neg', 'web-abc-ew.a.run.app'),
          internetNeg('hello-neg', 'hello-xyz-ew.a.run.app'),
          internetNeg('docs-neg', 'docs.example.net'),
          internetNeg('slow-neg', 'slow-q1w2-ew.a.run.app')
        ],
        regionNetworkEndpointGroups: {
          'europe-west1': [
            { name: 'api-ew1', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'api' } }
          ],
          'us-central1': [
            { name: 'api-uc1', networkEndpointType: 'SERVERLESS', cloudRun: { service: 'api' } }
          ]
        }
      }
    }
  }
}

/** What the hand-built load balancer routes, written as routes.json by hand (export must produce the same). */
export const ROUTES = `{
  "version": 1,
  "owner": "team-web",
  "loadBalancer": { "project": "edge-prod", "urlMap": "edge", "scheme": "EXTERNAL_MANAGED" },
  "allowedInternetHosts": ["docs.example.net"],
  "routes": [
    { "name": "web-bs", "hosts": ["*"], "default": true, "to": { "cloudRun": { "url": "https://web-abc-ew.a.run.app" } } },
    { "name": "api-bs", "hosts": ["api.example.com"], "default": true,
      "to": { "serverless": { "project": "edge-prod", "service": "api", "regions": ["europe-west1", "us-central1"] } } },
    { "name": "hello-bs", "hosts": ["api.example.com"], "prefix": "/hello", "rewrite": { "pathPrefix": "/" },
      "to": { "cloudRun": { "url": "https://hello-xyz-ew.a.run.app" } } },
    { "name": "docs-bs", "hosts": ["www.example.com"], "paths": ["/docs/*"], "enableCdn": true,
      "to": { "internet": { "fqdn": "docs.example.net", "port": 443, "protocol": "HTTPS", "hostHeader": "docs.example.net" } } }
  ]
}
`
