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

describe('the CLI strips terminal escapes from echoed input', () => {
  it('in diagnostics that quote the file, and in unknown commands', async () => {
    sc = await Scenario.start(emptyMapState())
    const file = sc.routes('r.json', routesNamed('\u001b]0;pwned\u0007\u001b[2Jx'))
    const v = await sc.run(['validate', '--routes', file])
    expect(v.code).toBe(1)
    expect(v.stderr).toMatch(/r\.json:\d+:\d+: error: .*pwned/)
    expect(v.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/)
    const u = await sc.run(['\u001b[2Jconstructor'])
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
