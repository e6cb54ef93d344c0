// Input hygiene (issue 12 §6): a route named like an Object.prototype key (`constructor`) is a name like
// any other through validate, explain, plan and apply.
import { afterEach, describe, expect, it } from '@jest/globals'
import { emptyMapState, projectAndName, Scenario } from './scenario-helpers.js'

let sc: Scenario | undefined
afterEach(async () => {
  await sc?.close()
  sc = undefined
})

const routesNamed = (name: string) =>
  JSON.stringify({
    version: 1,
    owner: 'team-x',
    loadBalancer: { project: 'edge-prod', urlMap: 'edge' },
    routes: [{ name, prefix: '/c', to: { cloudRun: { url: 'https://c-5f5f-ew.a.run.app' } } }],
    tests: [{ host: 'a.example.com', path: '/c/x', expect: { route: name } }]
  })

/** A routes file with one hostile value at `field` (JSON pretty-printed, so each value has its own line). */
const hostile = (field: string, value: string) => {
  const route: Record<string, unknown> = {
    name: 'app',
    hosts: ['app.example.com'],
    prefix: '/app',
    rewrite: { pathPrefix: '/', host: 'h.example.net' },
    requestHeaders: ['X-Team: x'],
    to: { internet: { fqdn: 'origin.example.net', port: 443, hostHeader: 'origin.example.net' } }
  }
  const test: Record<string, unknown> = {
    host: 'app.example.com',
    path: '/app/x',
    expect: { route: 'app', path: '/x' }
  }
  const set = (o: Record<string, unknown>, path: string[], v: unknown) => {
    let x = o
    for (const k of path.slice(0, -1)) x = x[k] as Record<string, unknown>
    const last = path[path.length - 1]!
    x[last] = Array.isArray(x[last]) ? [v] : v
  }
  const [where, ...path] = field.split('.')
  set(where === 'test' ? test : route, path, value)
  return JSON.stringify(
    {
      version: 1,
      owner: 'team-x',
      loadBalancer: { project: 'edge-prod', urlMap: 'edge' },
      allowedInternetHosts: ['origin.example.net'],
      routes: [route],
      tests: [test]
    },
    null,
    2
  )
}

describe('control characters are rejected at FILE:LINE:COL', () => {
  const fields = [
    'route.hosts',
    'route.prefix',
    'route.rewrite.pathPrefix',
    'route.rewrite.host',
    'route.requestHeaders',
    'route.to.internet.hostHeader',
    'test.host',
    'test.path',
    'test.expect.path'
  ]
  const chars = ['\n', '\r', '\u0000', '\u001b', '\u0085']
  it.each(fields.flatMap((f) => chars.map((c) => [f, c] as const)))('%s with %j', async (field, c) => {
    sc ??= await Scenario.start(emptyMapState())
    const value = field.endsWith('requestHeaders')
      ? `X-Team: a${c}::error::x`
      : field.includes('host')
        ? `a${c}b.example.com`
        : `/a${c}::set-output name=x::y`
    const text = hostile(field, value)
    const r = await sc.run(['validate', '--routes', sc.routes('r.json', text)])
    expect(r.code).toBe(1)
    const line = text.split('\n').findIndex((l) => l.includes(JSON.stringify(value).slice(1, -1))) + 1
    expect(r.stderr).toMatch(new RegExp(`^r\\.json:${line}:\\d+: error: .*control character U\\+00`, 'm'))
    expect(r.stderr.split('\n').filter((l) => l.startsWith('::'))).toEqual([])
  })

  it('the path matches one rule per problem: no format complaint on top of it', async () => {
    sc ??= await Scenario.start(emptyMapState())
    const r = await sc.run(['validate', '--routes', sc.routes('r.json', hostile('route.prefix', '/a\nb'))])
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
  })
})

describe('the CLI strips terminal escapes from echoed input', () => {
  it('in explain output and in unknown commands', async () => {
    sc = await Scenario.start(emptyMapState())
    const file = sc.routes('r.json', routesNamed('app'))
    const e = await sc.run([
      'explain',
      '--routes',
      file,
      '--host',
      'a.example.com',
      '--path',
      '/c/\u001b]0;pwned\u0007x'
    ])
    expect(e.stdout).toContain('pwned')
    // eslint-disable-next-line no-control-regex
    expect(e.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)
    const u = await sc.run(['\u001b[2Jconstructor'])
    expect(u.stderr).toContain('[2Jconstructor')
    expect(u.stderr).not.toContain('\u001b')
    expect((await sc.run(['constructor'])).code).toBe(1)
  })
})

describe('a route named constructor', () => {
  it('validates, explains, plans and applies like any other name', async () => {
    sc = await Scenario.start(emptyMapState())
    const file = sc.routes('r.json', routesNamed('constructor'))
    const v = await sc.run(['validate', '--routes', file])
    expect(v).toMatchObject({ code: 0, stderr: '' })
    const e = await sc.run(['explain', '--routes', file, '--host', 'a.example.com', '--path', '/c/x'])
    expect(e.stdout).toContain('route constructor')
    await sc.converge(file)
    expect(sc.where('a.example.com', '/c/x').service).toBe(
      projectAndName(sc.backendOf('team-x', 'constructor'))
    )
  })
})
