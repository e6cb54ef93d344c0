import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cli } from './cli-io.js'

const examples = readdirSync('examples').filter((f) => f.endsWith('.json') && f !== 'emulator-state.json')
const B = 'https://www.googleapis.com/compute/v1/projects/p/global/backendServices/'

describe('lb-routes validate', () => {
  it.each(examples)('accepts examples/%s and runs its route tests offline', async (f) => {
    const r = await cli(['validate', '--routes', `examples/${f}`])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/ok — \d+ route\(s\), \d+ route test\(s\) passed offline/)
  })

  it('reports every problem as FILE:LINE:COL with the fix, exit 1, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-routes-cli-'))
    const file = join(dir, 'routes.json')
    writeFileSync(
      file,
      [
        '{',
        '  "version": 1, "owner": "team-web",',
        '  "loadBalancer": { "project": "edge-prod", "urlMap": "edge" },',
        '  "routes": [',
        '    { "name": "Hello_World", "prefix": "/a", "to": { "cloudRun": { "url": "https://a-x.a.run.app" } } },',
        '    { "name": "b", "paths": ["api/*"], "to": { "cloudRun": { "url": "https://b-x.a.run.app" } } }',
        '  ]',
        '}'
      ].join('\n')
    )
    const r = await cli(['validate', '--routes', file])
    expect(r.code).toBe(1)
    const lines = r.stderr.trim().split('\n')
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^${file}:5:15: error: route name "Hello_World" .*hello-world`)),
      expect.stringMatching(new RegExp(`^${file}:6:30: error: .*"api/\\*".*`))
    ])
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('says plainly when the file is missing', async () => {
    const r = await cli(['validate', '--routes', 'no/such/routes.json'])
    expect(r).toMatchObject({
      code: 1,
      stderr: 'error: no/such/routes.json: no such file; pass the right path with --routes\n'
    })
  })
})

describe('lb-routes explain', () => {
  it('--json from a routes file prints exactly service, path, route (DESIGN.md §7)', async () => {
    const r = await cli([
      'explain',
      '--routes',
      'examples/routes.json',
      '--host',
      'www.example.com',
      '--path',
      '/hello2/x?q=1',
      '--json'
    ])
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(Object.keys(out).sort()).toEqual(['path', 'route', 'service'])
    expect(out).toMatchObject({ path: '/x', route: 'hello2' })
    expect(out.service).toMatch(
      /^https:\/\/www\.googleapis\.com\/compute\/v1\/projects\/edge-prod\/global\/backendServices\/lbr-team-web-hello2-bs-[0-9a-f]{8}$/
    )
  })

  it('--json from a URL map gives the reference as written, the rewritten host, or the redirect', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lb-routes-cli-'))
    const file = join(dir, 'map.json')
    writeFileSync(
      file,
      JSON.stringify({
        name: 'edge',
        defaultService: 'global/backendServices/home',
        hostRules: [{ hosts: ['a.example.com'], pathMatcher: 'a' }],
        pathMatchers: [
          {
            name: 'a',
            defaultService: `${B}a`,
            pathRules: [
              {
                paths: ['/api/*'],
                service: `${B}api`,
                routeAction: { urlRewrite: { pathPrefixRewrite: '/', hostRewrite: 'api.internal' } }
              },
              { paths: ['/old'], urlRedirect: { pathRedirect: '/new', redirectResponseCode: 'FOUND' } }
            ]
          }
        ]
      })
    )
    const run = async (host: string, path: string) =>
      JSON.parse((await cli(['explain', '--url-map', file, '--host', host, '--path', path, '--json'])).stdout)
    expect(await run('a.example.com', '/api/users')).toEqual({
      service: `${B}api`,
      path: '/users',
      host: 'api.internal'
    })
    expect(await run('other.example.com', '/x')).toEqual({
      service: 'global/backendServices/home',
      path: '/x'
    })
    expect(await run('a.example.com', '/old')).toEqual({
      service: null,
      path: '/old',
      redirect: { pathRedirect: '/new', redirectResponseCode: 'FOUND' }
    })
  })

  it('prints where a request goes in words without --json', async () => {
    const r = await cli([
      'explain',
      '--routes',
      'examples/routes.json',
      '--host',
      'api.example.com',
      '--path',
      '/v1/users'
    ])
    expect(r.stdout).toMatch(
      /api\.example\.com\/v1\/users\n {2}→ route api → backend service lbr-team-web-api-bs-[0-9a-f]+\n {2}receives path \/v1\/users\n {2}decided by pathRule \/v1\/\*/
    )
  })

  it('refuses ambiguous or incomplete arguments with a usage error', async () => {
    expect(await cli(['explain', '--host', 'a', '--path', '/'])).toMatchObject({
      code: 1,
      stderr: 'error: lb-routes explain: give exactly one of --routes FILE or --url-map FILE\n'
    })
    expect((await cli(['explain', '--routes', 'examples/routes.json', '--nope'])).stderr).toMatch(
      /^error: lb-routes explain: Unknown option '--nope'/
    )
  })
})

describe('lb-routes', () => {
  it.each(['validate', 'explain', 'plan', 'apply', 'drift', 'emulator', 'demo'])(
    '%s --help explains the command',
    async (c) => {
      const r = await cli([c, '--help'])
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(new RegExp(`lb-routes ${c}`))
    }
  )

  it('suggests the nearest command and flag for a typo', async () => {
    expect((await cli(['valdiate'])).stderr).toMatch(/unknown command "valdiate"; did you mean "validate"\?/)
    const r = await cli(['validate', '--rotues', 'x.json'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(
      /Unknown option '--rotues'; did you mean "--routes"\?; see lb-routes validate --help/
    )
  })

  it('names the commands when given an unknown one', async () => {
    expect(await cli(['frobnicate'])).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /unknown command "frobnicate"; commands: init, validate, explain, plan, apply, adopt, export, verify, drift, emulator, demo, rollback/
      )
    })
  })
})
