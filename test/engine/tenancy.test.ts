// Issue 13 end to end through the CLI against the emulator: with an owners policy, authority comes from the
// calling repository, not from routes.json. Each refusal exits 1, names what is missing from the policy and
// who can grant it, at the routes.json line, and writes nothing.
import { afterEach, describe, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, Scenario, seededState } from './scenario-helpers.js'

let sc: Scenario | undefined
afterEach(async () => {
  await sc?.close()
  sc = undefined
})

const POLICY = readFileSync(join(ROOT, 'examples/platform/lb-policy.json'), 'utf8').replace(
  '"team-shop": {',
  '"team-b": { "repositories": ["octo-org/b-routes"], "hosts": ["b.example.com"], "defaults": ["b.example.com"] },\n    "team-shop": {'
)
const EXAMPLE = readFileSync(join(ROOT, 'examples/routes.json'), 'utf8')
const WEB = ['--policy', 'lb-policy.json', '--repository', 'octo-org/web-routes']
const GRANT = 'only the load balancer owner can grant it: ask them to add'

async function start(policy = POLICY): Promise<Scenario> {
  sc = await Scenario.start(seededState())
  writeFileSync(join(sc.dir, 'lb-policy.json'), policy)
  return sc
}

/** One-route routes.json of `owner` (hosts, default and target as given). */
const oneRoute = (owner: string, route: string, extra = '') => `{
  "version": 1,
  "owner": "${owner}",
  "loadBalancer": { "project": "edge-prod", "urlMap": "edge" },${extra}
  "routes": [
    ${route}
  ]
}
`

/** refused runs plan and apply; both must exit 1 with `message` at `line`, and the emulator must not change. */
async function refused(s: Scenario, file: string, flags: string[], message: string): Promise<void> {
  const before = JSON.stringify(s.state())
  for (const command of ['plan', 'apply']) {
    const r = await s.run([command, '--routes', file, ...flags])
    expect({ command, code: r.code }).toEqual({ command, code: 1 })
    expect(r.stderr).toContain(message)
    expect(r.stderr).not.toMatch(/\n\s+at |403/)
  }
  expect(JSON.stringify(s.state())).toBe(before)
}

describe('the owners policy, end to end', () => {
  it("refuses team-b's repository claiming team-shop (which without a policy would delete team-shop's routes)", async () => {
    const s = await start()
    const takeover = oneRoute(
      'team-shop',
      '{ "name": "cart", "hosts": ["shop.example.com"], "prefix": "/cart", "to": { "cloudRun": { "url": "https://evil-3abc-ew.a.run.app" } } }'
    )
    const file = s.routes('routes.json', takeover)
    await refused(
      s,
      file,
      ['--policy', 'lb-policy.json', '--repository', 'octo-org/b-routes'],
      'routes.json:3:12: error: owner "team-shop" is not this repository\'s: lb-policy.json makes octo-org/b-routes owner team-b, so set "owner": "team-b"'
    )
    // GITHUB_REPOSITORY is the default for --repository.
    const r = await s.run(['plan', '--routes', file, '--policy', 'lb-policy.json'])
    expect(r.stderr).toMatch(/--policy needs the calling repository/)
    const withEnv = await import('./cli-io.js').then(({ cli }) =>
      cli(['plan', '--routes', file, '--policy', 'lb-policy.json'], {
        env: { ...s.env, GITHUB_REPOSITORY: 'octo-org/b-routes' },
        cwd: s.dir
      })
    )
    expect([withEnv.code, withEnv.stderr]).toEqual([
      1,
      expect.stringContaining('makes octo-org/b-routes owner team-b')
    ])
    // Without a policy nothing stops it: that is what the policy is for.
    const open = await s.run(['plan', '--routes', file])
    expect(open.code).toBe(2)
    expect(open.stdout).toMatch(/lbr-team-shop-cart/)
  })

  const SHOP = ['--policy', 'lb-policy.json', '--repository', 'octo-org/shop-routes']
  it.each([
    [
      'an ungranted host',
      ['team-shop', SHOP, ''],
      '{ "name": "x", "hosts": ["www.example.com"], "paths": ["/x"], "to": { "serverless": { "project": "team-shop", "service": "s", "regions": ["europe-west1"] } } }',
      `routes.json:6:30: error: route x: host "www.example.com" is not granted to owner team-shop (lb-policy.json hosts grants "shop.example.com"); ${GRANT} "www.example.com" to owners.team-shop.hosts in lb-policy.json`
    ],
    [
      'an ungranted default',
      ['team-web', WEB, ''],
      '{ "name": "x", "hosts": ["www.example.com"], "default": true, "to": { "cloudRun": { "project": "team-a", "region": "europe-west1", "service": "hello" } } }',
      `routes.json:6:61: error: route x: owner team-web may not hold the default of host "www.example.com" (lb-policy.json defaults grants "*", "ml.example.com"); ${GRANT} "www.example.com" to owners.team-web.defaults in lb-policy.json`
    ],
    [
      'an ungranted internet host',
      ['team-web', WEB, '\n  "allowedInternetHosts": ["evil.attacker.com"],'],
      '{ "name": "x", "hosts": ["api.example.com"], "prefix": "/x", "to": { "internet": { "fqdn": "evil.attacker.com" } } }',
      `routes.json:7:96: error: route x: internet target "evil.attacker.com" is not granted to owner team-web (lb-policy.json internetHosts grants "ml-lb.example.net", "hello2-3abc-ew.a.run.app"); ${GRANT} "evil.attacker.com" to owners.team-web.internetHosts in lb-policy.json`
    ],
    [
      'an ungranted forwarding-rule project',
      ['team-web', WEB, ''],
      '{ "name": "x", "hosts": ["ml.example.com"], "prefix": "/x", "to": { "loadBalancer": { "project": "ml-prod", "forwardingRule": "ml-https" } } }',
      `routes.json:6:102: error: route x: loadBalancer target project ml-prod is not granted to owner team-web (lb-policy.json projects grants "team-a"); ${GRANT} "ml-prod" to owners.team-web.projects in lb-policy.json`
    ]
  ] as const)(
    'refuses %s at its line, naming the grant and who gives it',
    async (_what, [owner, flags, extra], route, message) => {
      const s = await start()
      const file = s.routes('routes.json', oneRoute(owner, route, extra))
      await refused(s, file, [...flags], message)
    }
  )

  it('checks a forwarding rule by the address it resolves to, not only its project', async () => {
    const s = await start(POLICY.replace('"projects": ["team-a"],', '"projects": ["team-a", "ml-prod"],'))
    const file = s.routes(
      'routes.json',
      oneRoute(
        'team-web',
        '{ "name": "x", "hosts": ["ml.example.com"], "prefix": "/x", "to": { "loadBalancer": { "project": "ml-prod", "forwardingRule": "ml-https" } } },\n    { "name": "hello", "hosts": ["*"], "default": true, "to": { "cloudRun": { "project": "team-a", "region": "europe-west1", "service": "hello" } } }'
      )
    )
    await refused(
      s,
      file,
      WEB,
      `routes.json:6:5: error: route x: forwarding rule ml-prod/ml-https resolves to 203.0.113.10, which is not granted to owner team-web (lb-policy.json internetHosts grants "ml-lb.example.net", "hello2-3abc-ew.a.run.app"); ${GRANT} "203.0.113.10" to owners.team-web.internetHosts in lb-policy.json`
    )
    writeFileSync(
      join(s.dir, 'lb-policy.json'),
      POLICY.replace('"projects": ["team-a"],', '"projects": ["team-a", "ml-prod"],').replace(
        '"ml-lb.example.net",',
        '"ml-lb.example.net", "203.0.113.10",'
      )
    )
    const granted = await s.run(['plan', '--routes', file, ...WEB])
    expect([granted.code, granted.stderr]).toEqual([2, ''])
  })

  it('refuses adoption without the policy right', async () => {
    const s = await start()
    const file = s.routes('routes.json', EXAMPLE)
    const before = JSON.stringify(s.state())
    for (const args of [['plan', '--adopt'], ['adopt']]) {
      const r = await s.run([...args, '--routes', file, ...WEB])
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(
        `error: owner team-web may not adopt hand-built resources; ${GRANT} "adopt": true to owners.team-web in lb-policy.json`
      )
    }
    expect(JSON.stringify(s.state())).toBe(before)
  })

  it('applies what the policy grants, and validate --policy checks the policy and the routes offline', async () => {
    const s = await start()
    const file = s.routes('web.json', EXAMPLE)
    const apply = await s.run(['apply', '--routes', file, ...WEB])
    expect([apply.code, apply.stderr]).toEqual([0, expect.not.stringMatching(/error|warning/)])
    expect((await s.run(['plan', '--routes', file, ...WEB])).code).toBe(0)
    const ok = await s.run(['validate', '--routes', file, ...WEB])
    expect([ok.code, ok.stdout]).toEqual([
      0,
      expect.stringContaining('within lb-policy.json for octo-org/web-routes')
    ])
    const policyOnly = await s.run(['validate', '--policy', 'lb-policy.json'])
    expect([policyOnly.code, policyOnly.stdout]).toEqual([
      0,
      'lb-policy.json: ok — 3 owner(s), 1 trusted workflow(s)\n'
    ])
    writeFileSync(join(s.dir, 'lb-policy.json'), POLICY.replace('"adopt": false', '"adopt": "no"'))
    const bad = await s.run(['validate', '--policy', 'lb-policy.json'])
    expect([bad.code, bad.stderr]).toEqual([
      1,
      expect.stringMatching(
        /^lb-policy\.json:\d+:\d+: error: owners\["team-web"\]\.adopt must be true or false/
      )
    ])
    // Without a policy, apply still works for a single team, and says what it does not check.
    const single = await s.run(['apply', '--routes', file])
    expect([single.code, single.stderr]).toEqual([
      0,
      expect.stringContaining('warning: no --policy: nothing binds this repository')
    ])
  })
})

describe('rollback of a crafted snapshot', () => {
  it('is refused before anything is written, with or without a policy', async () => {
    const s = await start()
    const file = s.routes('routes.json', EXAMPLE)
    expect((await s.run(['apply', '--routes', file, ...WEB, '--snapshot', 'snap.json'])).code).toBe(0)
    const snap = JSON.parse(readFileSync(join(s.dir, 'snap.json'), 'utf8'))
    // Make it look like the apply deleted a NEG to evil.attacker.com and a backend service with CRLF headers.
    snap.resources.push(
      {
        key: 'globalNetworkEndpointGroup/edge-prod/global/evil-neg',
        address: { kind: 'globalNetworkEndpointGroup', project: 'edge-prod', name: 'evil-neg' },
        action: 'delete',
        before: {
          name: 'evil-neg',
          networkEndpointType: 'INTERNET_FQDN_PORT',
          defaultPort: 443,
          description: 'lb-routes owner=team-web routes=hello'
        },
        networkEndpoints: [{ fqdn: 'evil.attacker.com', port: 443 }]
      },
      {
        key: 'backendService/edge-prod/global/evil-bs',
        address: { kind: 'backendService', project: 'edge-prod', name: 'evil-bs' },
        action: 'delete',
        before: {
          name: 'evil-bs',
          description: 'lb-routes owner=team-web routes=hello',
          protocol: 'HTTPS',
          customRequestHeaders: ['X-A: 1\r\nX-Injected: 2']
        }
      }
    )
    writeFileSync(join(s.dir, 'crafted.json'), JSON.stringify(snap, null, 2))
    const before = JSON.stringify(s.state())
    const withPolicy = await s.run(['rollback', '--from', 'crafted.json', ...WEB])
    expect(withPolicy.code).toBe(1)
    expect(withPolicy.stderr).toMatch(
      /crafted\.json:\d+:\d+: error: endpoint "evil\.attacker\.com" is not granted to owner team-web .*"evil\.attacker\.com" to owners\.team-web\.internetHosts in lb-policy\.json/
    )
    expect(withPolicy.stderr).toMatch(
      /crafted\.json:\d+:\d+: error: request header "X-A: 1\\r\\nX-Injected: 2" contains a control character/
    )
    const without = await s.run(['rollback', '--from', 'crafted.json'])
    expect(without.code).toBe(1)
    expect(without.stderr).toMatch(
      /endpoint "evil\.attacker\.com" is not in the allowed internet hosts; pass --policy/
    )
    // Another repository's owner cannot roll team-web back.
    const shop = await s.run([
      'rollback',
      '--from',
      'snap.json',
      '--policy',
      'lb-policy.json',
      '--repository',
      'octo-org/shop-routes'
    ])
    expect([shop.code, shop.stderr]).toEqual([
      1,
      expect.stringContaining('owner "team-web" is not this repository\'s')
    ])
    expect(JSON.stringify(s.state())).toBe(before)
    // The genuine snapshot still rolls back.
    expect((await s.run(['rollback', '--from', 'snap.json', ...WEB])).code).toBe(0)
  })
})
