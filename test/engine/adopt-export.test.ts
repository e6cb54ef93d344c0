// Adopt and export (issue #6) through the CLI against the emulator: a load balancer built by hand in the
// console is exported to a routes.json, taken over in place (no recreation, no URL map rule change),
// and planned clean afterwards; another owner's resources are never bound.
import { afterEach, describe, expect, it } from '@jest/globals'
import type { BackendService } from '../../src/core/compute.js'
import type { EmulatorState } from '../../src/emulator/types.js'
import { edit, LB, Scenario, URL_MAP } from './scenario-helpers.js'

let sc: Scenario | undefined
afterEach(async () => {
  await sc?.close()
  sc = undefined
})

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
              { hosts: ['www.example.com'], pathMatcher: 'www' }
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
                pathRules: [{ paths: ['/docs/*'], service: bsUrl('docs-bs') }]
              }
            ]
          }
        ],
        backendServices: [
          backend('web-bs', [negUrl('web-neg')], 'web-abc-ew.a.run.app'),
          backend('hello-bs', [negUrl('hello-neg')], 'hello-xyz-ew.a.run.app'),
          backend('docs-bs', [negUrl('docs-neg')], 'docs.example.net', { enableCDN: true }),
          backend('api-bs', [
            `${C}/${LB}/regions/europe-west1/networkEndpointGroups/api-ew1`,
            `${C}/${LB}/regions/us-central1/networkEndpointGroups/api-uc1`
          ])
        ],
        globalNetworkEndpointGroups: [
          internetNeg('web-neg', 'web-abc-ew.a.run.app'),
          internetNeg('hello-neg', 'hello-xyz-ew.a.run.app'),
          internetNeg('docs-neg', 'docs.example.net')
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
const ROUTES = `{
  "version": 1,
  "owner": "team-web",
  "loadBalancer": { "project": "edge-prod", "urlMap": "edge", "scheme": "EXTERNAL_MANAGED" },
  "allowedInternetHosts": ["docs.example.net"],
  "routes": [
    { "name": "web-bs", "hosts": ["*"], "default": true, "to": { "cloudRun": { "url": "https://web-abc-ew.a.run.app" } } },
    { "name": "hello-bs", "hosts": ["api.example.com"], "prefix": "/hello", "rewrite": { "pathPrefix": "/" },
      "to": { "cloudRun": { "url": "https://hello-xyz-ew.a.run.app" } } },
    { "name": "docs-bs", "hosts": ["www.example.com"], "paths": ["/docs/*"], "enableCdn": true,
      "to": { "internet": { "fqdn": "docs.example.net", "port": 443, "protocol": "HTTPS", "hostHeader": "docs.example.net" } } },
    { "name": "api-bs", "hosts": ["api.example.com"], "default": true,
      "to": { "serverless": { "project": "edge-prod", "service": "api", "regions": ["europe-west1", "us-central1"] } } }
  ]
}
`

const REQUESTS: [string, string][] = [
  ['www.example.com', '/'],
  ['www.example.com', '/docs/a'],
  ['api.example.com', '/'],
  ['api.example.com', '/hello'],
  ['api.example.com', '/hello/x'],
  ['other.example.com', '/hello/x']
]

describe('adopt', () => {
  it('takes over a hand-built load balancer in place: no recreation, no URL map rule change', async () => {
    sc = await Scenario.start(handBuilt())
    const file = sc.routes('routes.json', ROUTES)
    const before = REQUESTS.map(([h, p]) => sc!.where(h, p))
    const resourcesBefore = sc.backendServices()
    const mapBefore = sc.urlMap()

    const plan = await sc.run(['plan', '--adopt', '--routes', file, '--json'])
    expect(plan.stderr).toBe('')
    expect(plan.code).toBe(2)
    const json = JSON.parse(plan.stdout) as { changes: { action: string; key: string }[] }
    expect(new Set(json.changes.map((c) => c.action))).toEqual(new Set(['adopt']))
    expect(json.changes.map((c) => c.key).sort()).toEqual(
      [
        `backendService/${LB}/global/api-bs`,
        `backendService/${LB}/global/docs-bs`,
        `backendService/${LB}/global/hello-bs`,
        `backendService/${LB}/global/web-bs`,
        `globalNetworkEndpointGroup/${LB}/global/docs-neg`,
        `globalNetworkEndpointGroup/${LB}/global/hello-neg`,
        `globalNetworkEndpointGroup/${LB}/global/web-neg`,
        `regionNetworkEndpointGroup/${LB}/europe-west1/api-ew1`,
        `regionNetworkEndpointGroup/${LB}/us-central1/api-uc1`
      ].sort()
    )
    const text = await sc.run(['plan', '--adopt', '--routes', file])
    expect(text.stdout).toContain('Plan: 9 to adopt, 0 to create, 0 to update, 0 to replace, 0 to delete.')

    const adopt = await sc.run(['adopt', '--routes', file])
    expect(adopt.stderr).not.toMatch(/error/)
    expect(adopt.code).toBe(0)
    const again = await sc.run(['plan', '--routes', file])
    expect(again.stderr).toBe('')
    expect(again.stdout).toContain('No changes.')
    expect(again.code).toBe(0)

    // Same resources (names, ids, creation times), now carrying the marker; the map was not written.
    const after = sc.backendServices()
    expect(after.map((b) => [b.name, b.id, b.creationTimestamp])).toEqual(
      resourcesBefore.map((b) => [b.name, b.id, b.creationTimestamp])
    )
    const web = after.find((b) => b.name === 'web-bs')!
    expect(web.description).toBe(
      'lb-routes owner=team-web routes=web-bs adopted-negs=global/web-neg (managed by lb-routes; do not edit by hand) adopted; was: web-bs, hand-built'
    )
    expect(after.find((b) => b.name === 'api-bs')!.description).toContain(
      'adopted-negs=europe-west1/api-ew1,us-central1/api-uc1 '
    )
    expect(sc.urlMap().fingerprint).toBe(mapBefore.fingerprint)
    expect(REQUESTS.map(([h, p]) => sc!.where(h, p))).toEqual(before)
  })
})
