import { describe, it, expect } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { formatDiagnostic } from '../../src/core/diagnostics.js'
import { parseRoutes, type ParseRoutesOptions } from '../../src/core/routes/parse.js'
import { routesSchema } from '../../src/core/routes/schema.js'
import { offlineView } from '../../src/core/plan/offline.js'
import { evaluateUrlMap } from '../../src/core/google-semantics/evaluate.js'

const root = join(import.meta.dirname, '..', '..')
const examples = join(root, 'examples')
// examples/ also holds the emulator's seed state, which is not a routes file.
const NOT_ROUTES = new Set(['emulator-state.json'])

const file = (routes: string, extra = '') => `{
  "version": 1,
  "owner": "team-web",
  "loadBalancer": { "project": "edge-prod", "urlMap": "edge" },${extra}
  "routes": [${routes}]
}`
const cloudRun = '{ "cloudRun": { "url": "https://a-3abc-ew.a.run.app" } }'

function parse(text: string, opts: Partial<ParseRoutesOptions> = {}) {
  return parseRoutes(text, { file: 'routes.json', ...opts })
}

describe('examples', () => {
  const files = readdirSync(examples).filter((f) => f.endsWith('.json') && !NOT_ROUTES.has(f))

  it('include the main example and the five techniques', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'routes.json',
        'cloud-run-cross-project.json',
        'shared-internet-neg.json',
        'multi-region.json',
        'chained-lb.json',
        'cross-project-referencing.json'
      ])
    )
  })

  it.each(files)('%s parses without errors or warnings, and its tests name its routes', (name) => {
    const result = parseRoutes(readFileSync(join(examples, name)), { file: `examples/${name}` })
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([])
    const config = result.config!
    expect(config.owner).toMatch(/^team-/)
    expect(config.loadBalancer).toEqual({ project: 'edge-prod', urlMap: 'edge', scheme: 'EXTERNAL_MANAGED' })
    expect(config.tests.length).toBeGreaterThan(0)
    const names = new Set(config.routes.map((r) => r.name))
    for (const t of config.tests) expect(names).toContain(t.expect.route)
  })

  it('the main example is the DESIGN.md §2 sample', () => {
    const { config } = parseRoutes(readFileSync(join(examples, 'routes.json')), { file: 'routes.json' })
    expect(config?.routes.map((r) => [r.name, r.target.kind, r.hosts, r.paths, r.default])).toEqual([
      ['hello', 'cloudRun', ['*'], [], true],
      // Issue 12: hello2 lists its host (a `*` path rule would move team-shop's shop.example.com requests).
      ['hello2', 'cloudRun', ['www.example.com'], ['/hello2', '/hello2/*'], false],
      ['api', 'serverless', ['api.example.com'], ['/v1/*'], false],
      ['model', 'loadBalancer', ['ml.example.com'], [], true]
    ])
    expect(config?.tests).toContainEqual(
      expect.objectContaining({ path: '/hello2/x', expect: { route: 'hello2', path: '/x' } })
    )
  })
})

describe('normalisation', () => {
  it('expands a prefix to the path and everything below it; "/" to "/*"', () => {
    const { config } = parse(
      file(
        `{ "name": "a", "prefix": "/api", "to": ${cloudRun} }, { "name": "b", "prefix": "/", "hosts": ["b.example.com"], "to": ${cloudRun} }`
      )
    )
    expect(config?.routes.map((r) => r.paths)).toEqual([['/api', '/api/*'], ['/*']])
  })

  it('fills in defaults: hosts, default, scheme, ports, protocols, options, lists', () => {
    const { config } = parse(
      file(
        `{ "name": "a", "paths": ["/a"], "to": { "internet": { "fqdn": "x.example.net" } } },
         { "name": "b", "paths": ["/b"], "to": { "loadBalancer": { "project": "team-ml", "forwardingRule": "fr" } } }`,
        '\n  "allowedInternetHosts": ["x.example.net"],'
      )
    )
    expect(config).toMatchObject({
      loadBalancer: { scheme: 'EXTERNAL_MANAGED' },
      sharedCloudRunBackend: false,
      tests: [],
      routes: [
        {
          hosts: ['*'],
          default: false,
          backend: {},
          target: { kind: 'internet', fqdn: 'x.example.net', port: 443, protocol: 'HTTPS' }
        },
        {
          target: {
            kind: 'loadBalancer',
            project: 'team-ml',
            forwardingRule: 'fr',
            port: 443,
            protocol: 'HTTPS'
          }
        }
      ]
    })
  })

  it('lowercases hosts, test hosts and the cloudRun url, and keeps source positions', () => {
    const { config, diagnostics } = parse(
      `{"version": 1, "owner": "team-web", "loadBalancer": {"project": "edge-prod", "urlMap": "edge"},
  "routes": [
    { "name": "a", "hosts": ["API.Example.COM"], "default": true, "to": { "cloudRun": { "url": "https://A-3abc-EW.a.run.app/" } } }
  ],
  "tests": [
      { "host": "API.example.com", "path": "/", "expect": { "route": "a" } }
  ]}`
    )
    expect(diagnostics).toEqual([])
    expect(config?.routes[0]).toMatchObject({
      hosts: ['api.example.com'],
      target: { url: 'https://a-3abc-ew.a.run.app' },
      at: { line: 3, column: 5 }
    })
    expect(config?.tests[0]).toMatchObject({ host: 'api.example.com', at: { line: 6, column: 7 } })
  })

  it('reads options.sharedCloudRunBackend and warns that per-route backend settings then do not apply', () => {
    const { config, diagnostics } = parse(
      file(
        `{ "name": "a", "default": true, "timeoutSec": 30, "to": ${cloudRun} }`,
        '\n  "options": { "sharedCloudRunBackend": true },'
      )
    )
    expect(config?.sharedCloudRunBackend).toBe(true)
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', line: 6, message: expect.stringContaining('no effect') })
    ])
  })

  it('keeps rewrites and backend settings', () => {
    const { config } = parse(
      file(
        `{ "name": "a", "prefix": "/a", "rewrite": { "pathPrefix": "/", "host": "Svc.Example.com" }, "enableCdn": true,
           "securityPolicy": "projects/edge-prod/global/securityPolicies/armor", "logSampleRate": 0.5,
           "requestHeaders": ["X-Team: web"], "timeoutSec": 10, "to": ${cloudRun} }`
      )
    )
    expect(config?.routes[0]).toMatchObject({
      rewrite: { pathPrefix: '/', host: 'svc.example.com' },
      backend: {
        enableCdn: true,
        securityPolicy: 'projects/edge-prod/global/securityPolicies/armor',
        logSampleRate: 0.5,
        requestHeaders: ['X-Team: web'],
        timeoutSec: 10
      }
    })
  })

  it('accepts a prefix rewrite without a trailing slash: /a/x reaches the target as /v2/x, not /v2x', () => {
    const { config, diagnostics } = parse(
      file(`{ "name": "a", "prefix": "/a", "rewrite": { "pathPrefix": "/v2" }, "to": ${cloudRun} }`)
    )
    expect(diagnostics).toEqual([])
    const view = offlineView(config!)
    const r = evaluateUrlMap(view.map, { host: 'www.example.com', path: '/a/x' })
    expect(r).toMatchObject({ kind: 'service', path: '/v2/x' })
    expect(evaluateUrlMap(view.map, { host: 'www.example.com', path: '/a' })).toMatchObject({ path: '/v2' })
  })
})

describe('allowedInternetHosts and the load balancer owner policy', () => {
  const internet = (fqdn: string, allowed: string[]) =>
    file(
      `{ "name": "a", "default": true, "to": { "internet": { "fqdn": "${fqdn}" } } }`,
      `\n  "allowedInternetHosts": ${JSON.stringify(allowed)},`
    )

  it.each([
    ['an exact entry', 'api.partner.com', ['api.partner.com'], true],
    ['a wildcard entry', 'api.partner.com', ['*.partner.com'], true],
    ['a wildcard, which does not cover its apex', 'partner.com', ['*.partner.com'], false],
    ['no entry', 'api.partner.com', [], false],
    ['another host', 'api.partner.com', ['api.partner.co'], false]
  ])('a target covered by %s is %s', (_name, fqdn, allowed, ok) => {
    const { config, diagnostics } = parse(internet(fqdn, allowed))
    expect(config !== undefined).toBe(ok)
    if (!ok) expect(diagnostics[0]?.message).toContain('not listed in allowedInternetHosts')
  })

  it('does not need *.run.app hosts listed', () => {
    expect(parse(internet('a-3abc-ew.a.run.app', [])).diagnostics).toEqual([])
  })

  it.each([
    ['exact within exact', ['api.partner.com'], ['api.partner.com'], true],
    ['exact within wildcard', ['api.partner.com'], ['*.partner.com'], true],
    ['narrower wildcard within wildcard', ['*.eu.partner.com'], ['*.partner.com'], true],
    ['wider wildcard', ['*.partner.com'], ['*.eu.partner.com'], false],
    ['apex within wildcard', ['partner.com'], ['*.partner.com'], false],
    // Issue 13: "*" in the load balancer owner's list never means "anything".
    ['anything within "*"', ['*.partner.com'], ['*'], false],
    ['an empty policy', ['api.partner.com'], [], false]
  ])('an entry %s: allowed=%s', (_name, allowed, policy, ok) => {
    const { diagnostics } = parse(internet(allowed[0]!.replace('*', 'x'), allowed), {
      policyAllowedInternetHosts: policy
    })
    const policyErrors = diagnostics.filter((d) => d.message.includes("load balancer owner's policy"))
    expect(policyErrors).toHaveLength(ok ? 0 : 1)
    if (!ok) {
      expect(policyErrors[0]).toMatchObject({ line: 5, column: 28 })
      expect(policyErrors[0]?.message).toContain('(--allowed-internet-hosts / input allowed-internet-hosts)')
    }
  })

  it('ignores the policy when none is given', () => {
    expect(parse(internet('api.partner.com', ['api.partner.com'])).config).toBeDefined()
  })

  it('needs IP targets listed literally', () => {
    const ip = (value: string, allowed: string[]) =>
      parse(
        file(
          `{ "name": "a", "default": true, "to": { "internet": { "ip": "${value}" } } }`,
          `\n  "allowedInternetHosts": ${JSON.stringify(allowed)},`
        )
      )
    expect(ip('203.0.113.10', ['203.0.113.10']).config).toBeDefined()
    expect(ip('2001:db8::1', ['2001:db8::1']).config).toBeDefined()
    expect(ip('203.0.113.10', ['*.example.com']).config).toBeUndefined()
  })
})

describe('schema/routes.schema.json', () => {
  it('is the schema the parser validates with', () => {
    const shipped: unknown = JSON.parse(readFileSync(join(root, 'schema', 'routes.schema.json'), 'utf8'))
    expect(routesSchema).toEqual(shipped)
    // Resolvable: the file in this repository at the moving major tag (docs/release.md moves v1).
    expect(routesSchema.$id).toBe(
      'https://raw.githubusercontent.com/lb-routes/lb-routes/v1/schema/routes.schema.json'
    )
  })

  it('is what every example points $schema at, so a copied example finds it', () => {
    const dir = join(root, 'examples')
    const pointers = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [f, /"\$schema":\s*"([^"]*)"/.exec(readFileSync(join(dir, f), 'utf8'))?.[1]] as const)
      .filter(([, url]) => url !== undefined)
    expect(pointers.length).toBeGreaterThan(0)
    for (const [file, url] of pointers) expect({ file, url }).toEqual({ file, url: routesSchema.$id })
  })

  it('describes every property, for editor completion, and closes every object', () => {
    const missing: string[] = []
    const walk = (node: unknown, path: string): void => {
      if (node === null || typeof node !== 'object') return
      const n = node as Record<string, unknown>
      if (n.type === 'object' && n.additionalProperties !== false)
        missing.push(`${path}: additionalProperties`)
      for (const [key, value] of Object.entries((n.properties ?? {}) as Record<string, unknown>)) {
        const v = value as Record<string, unknown>
        if (typeof v.description !== 'string' && typeof v.$ref !== 'string')
          missing.push(`${path}.${key}: description`)
        walk(value, `${path}.${key}`)
      }
      for (const key of ['items', 'definitions']) {
        const child = n[key]
        if (key === 'definitions')
          for (const [k, v] of Object.entries(child ?? {})) walk(v, `#/definitions/${k}`)
        else walk(child, `${path}[]`)
      }
    }
    walk(routesSchema, '#')
    expect(missing).toEqual([])
  })
})
