// A load balancer built by hand in the console (issue #6): what adopt and export start from.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { EmulatorState } from '../../src/emulator/types.js'
import { ROOT } from './scenario-helpers.js'

/**
 * handBuilt is examples/hand-built/emulator-state.json: the technique built by hand — Internet NEGs + backends with a
 * Host header (web as the default, hello under /hello with a rewrite, docs on another host with CDN),
 * serverless NEGs in two regions under one backend (api), a rule routes.json cannot express (/slow/* with
 * a route-action timeout) and a path matcher with routeRules (legacy.example.com).
 */
export function handBuilt(): EmulatorState {
  return JSON.parse(
    readFileSync(join(ROOT, 'examples/hand-built/emulator-state.json'), 'utf8')
  ) as EmulatorState
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
