// The owners policy (DESIGN.md §4.2): lb-policy.json parsing with FILE:LINE:COL diagnostics, and the
// checks of a routes.json against what the policy grants the calling repository's owner.
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { formatDiagnostic } from '../../src/core/diagnostics.js'
import { adoptPolicyProblem, resolvedPolicyProblems, underPrefix } from '../../src/core/policy/check.js'
import type { Policy, Tenancy } from '../../src/core/policy/model.js'
import { parsePolicy } from '../../src/core/policy/parse.js'
import { parseRoutes } from '../../src/core/routes/parse.js'

const root = join(import.meta.dirname, '..', '..')
const examplePolicyText = readFileSync(join(root, 'examples/platform/lb-policy.json'), 'utf8')
const exampleRoutes = readFileSync(join(root, 'examples/routes.json'), 'utf8')

function policyOf(text: string): Policy {
  const r = parsePolicy(text, 'lb-policy.json')
  if (!r.policy) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'))
  return r.policy
}
const examplePolicy = policyOf(examplePolicyText)
const web: Tenancy = { policy: examplePolicy, repository: 'octo-org/web-routes' }

const errorsOf = (text: string, tenancy: Tenancy = web) =>
  parseRoutes(text, { file: 'routes.json', tenancy }).diagnostics.map(formatDiagnostic)

/** routes.json with one route; `extra` goes after loadBalancer. */
const routes = (owner: string, route: string, extra = '') => `{
  "version": 1,
  "owner": "${owner}",
  "loadBalancer": { "project": "edge-prod", "urlMap": "edge" },${extra}
  "routes": [
    ${route}
  ]
}`

describe('parsePolicy', () => {
  it('accepts the shipped example (and the schema accepts it too)', () => {
    const r = parsePolicy(examplePolicyText, 'lb-policy.json')
    expect(r.diagnostics).toEqual([])
    expect(r.policy?.owners['team-web']?.repositories).toEqual(['octo-org/web-routes'])
    expect(r.policy?.owners['team-shop']?.internetHosts).toEqual([])
  })

  it('reports schema and rule problems at FILE:LINE:COL, all at once', () => {
    const text = `{
  "version": 1,
  "loadBalancer": { "project": "edge-prod", "urlMap": "edge" },
  "trustedWorkflows": ["platform-org/edge-routes/.github/workflows/routes.yml@main"],
  "owners": {
    "team-web": {
      "repositories": ["octo-org/web-routes"],
      "hosts": ["*"],
      "internetHosts": ["*"],
      "projets": ["team-a"]
    },
    "team-b": { "repositories": ["Octo-Org/Web-Routes"], "hosts": ["b.example.com"] }
  }
}`
    expect(parsePolicy(text, 'lb-policy.json').diagnostics.map(formatDiagnostic)).toEqual([
      'lb-policy.json:4:24: error: trusted workflow "platform-org/edge-routes/.github/workflows/routes.yml@main" is not a job_workflow_ref; write OWNER/REPO/.github/workflows/FILE.yml@refs/heads/BRANCH (or @refs/tags/TAG), as GitHub puts it in the OIDC token',
      'lb-policy.json:9:25: error: internetHosts entry "*" would let this owner send traffic to any host on the internet; list exact hostnames, IP addresses or "*.suffix"',
      'lb-policy.json:10:7: error: unknown property "projets" in owners["team-web"]; did you mean "projects"?',
      'lb-policy.json:12:34: error: repository "Octo-Org/Web-Routes" is already listed for owner team-web (line 7, column 24); a repository acts as one owner only'
    ])
  })

  it('needs the trusted workflows and a version it knows', () => {
    const d = parsePolicy(
      '{"version": 2, "loadBalancer": {"project": "edge-prod", "urlMap": "edge"}, "owners": {}}',
      'p.json'
    )
    expect(d.policy).toBeUndefined()
    expect(d.diagnostics.map((x) => x.message)).toEqual([
      'the top level is missing the required property "trustedWorkflows" (job_workflow_ref values allowed to apply: the platform\'s reusable workflow at protected refs, e.g)',
      'version must be 1 (the only lb-policy.json version this lb-routes understands), not 2'
    ])
  })

  it('refuses garbage without throwing', () => {
    expect(parsePolicy('', 'p.json').diagnostics[0]?.message).toMatch(/file is empty/)
    expect(parsePolicy('{ "version": 1,', 'p.json').diagnostics[0]?.message).toMatch(/syntax error/)
    expect(parsePolicy(new Uint8Array([0xff, 0xfe, 0]), 'p.json').diagnostics[0]?.message).toMatch(
      /not a text JSON/
    )
  })
})

describe('routes.json against the policy', () => {
  it('accepts the example routes from the repository the policy names', () => {
    expect(errorsOf(exampleRoutes)).toEqual([])
  })

  it("refuses team-b's repository claiming team-shop, naming the owner it is", () => {
    const policy = policyOf(
      examplePolicyText.replace(
        '"team-shop": {',
        '"team-b": { "repositories": ["octo-org/b-routes"], "hosts": ["b.example.com"] },\n    "team-shop": {'
      )
    )
    const route =
      '{ "name": "shop", "hosts": ["shop.example.com"], "default": true, "to": { "serverless": { "project": "team-shop", "service": "s", "regions": ["europe-west1"] } } }'
    expect(errorsOf(routes('team-shop', route), { policy, repository: 'octo-org/b-routes' })).toEqual([
      'routes.json:3:12: error: owner "team-shop" is not this repository\'s: lb-policy.json makes octo-org/b-routes owner team-b, so set "owner": "team-b"; another owner\'s routes can only change from its own repositories (listed in lb-policy.json by the load balancer owner)'
    ])
    expect(errorsOf(routes('team-shop', route), { policy, repository: 'evil/unknown' })).toEqual([
      'routes.json:3:12: error: repository evil/unknown acts as no owner in lb-policy.json; only the load balancer owner can grant it: ask them to add "evil/unknown" to owners.team-shop.repositories in lb-policy.json'
    ])
  })

  it('denies an ungranted default, project, internet host, path and frontend at their lines', () => {
    const text = `{
  "version": 1,
  "owner": "team-web",
  "loadBalancer": { "project": "edge-prod", "urlMap": "edge" },
  "allowedInternetHosts": ["evil.example.org"],
  "frontend": { "domains": ["www.example.com"] },
  "routes": [
    { "name": "a", "hosts": ["www.example.com", "shop.example.com:443"], "paths": ["/x"], "to": { "cloudRun": { "url": "https://a-3abc-ew.a.run.app" } } },
    { "name": "b", "hosts": ["www.example.com"], "default": true, "to": { "serverless": { "project": "team-shop", "service": "s", "regions": ["europe-west1"] } } },
    { "name": "c", "hosts": ["api.example.com"], "prefix": "/c", "to": { "internet": { "fqdn": "evil.example.org" } } },
    { "name": "d", "hosts": ["ml.example.com"], "paths": ["/d"], "to": { "loadBalancer": { "project": "attacker-proj", "forwardingRule": "fr" } } }
  ]
}`
    const grant = 'only the load balancer owner can grant it: ask them to add'
    expect(errorsOf(text)).toEqual([
      `routes.json:5:28: error: allowedInternetHosts entry "evil.example.org" is not granted to owner team-web (lb-policy.json internetHosts grants "ml-lb.example.net", "hello2-3abc-ew.a.run.app"); ${grant} "evil.example.org" to owners.team-web.internetHosts in lb-policy.json`,
      `routes.json:6:15: error: owner team-web may not manage the load balancer's frontend; ${grant} "frontend": true to owners.team-web in lb-policy.json`,
      `routes.json:8:84: error: route a: path "/x" on shared host "shop.example.com:443" is outside owner team-web's path prefixes (lb-policy.json pathPrefixes grants "/hello2", "/v1", "/web"); ${grant} "/x" to owners.team-web.pathPrefixes in lb-policy.json`,
      `routes.json:8:120: error: route a: cloudRun target "a-3abc-ew.a.run.app" is not granted to owner team-web (lb-policy.json internetHosts grants "ml-lb.example.net", "hello2-3abc-ew.a.run.app"); a run.app URL can be any project's service, so name it by "project", "region" and "service" instead (its project is then checked); ${grant} "a-3abc-ew.a.run.app" to owners.team-web.internetHosts in lb-policy.json`,
      `routes.json:9:61: error: route b: owner team-web may not hold the default of host "www.example.com" (lb-policy.json defaults grants "*", "ml.example.com"); ${grant} "www.example.com" to owners.team-web.defaults in lb-policy.json`,
      `routes.json:9:102: error: route b: serverless target project team-shop is not granted to owner team-web (lb-policy.json projects grants "team-a"); ${grant} "team-shop" to owners.team-web.projects in lb-policy.json`,
      `routes.json:10:96: error: route c: internet target "evil.example.org" is not granted to owner team-web (lb-policy.json internetHosts grants "ml-lb.example.net", "hello2-3abc-ew.a.run.app"); ${grant} "evil.example.org" to owners.team-web.internetHosts in lb-policy.json`,
      `routes.json:11:103: error: route d: loadBalancer target project attacker-proj is not granted to owner team-web (lb-policy.json projects grants "team-a"); ${grant} "attacker-proj" to owners.team-web.projects in lb-policy.json`
    ])
  })

  it('limits paths on shared hosts to the path prefixes, and leaves hosts nobody else may route free', () => {
    const shared =
      '{ "name": "a", "hosts": ["*"], "paths": ["/cart/*"], "to": { "cloudRun": { "project": "team-a", "region": "europe-west1", "service": "a" } } }'
    expect(errorsOf(routes('team-web', shared))).toEqual([
      'routes.json:6:46: error: route a: path "/cart/*" on shared host "*" is outside owner team-web\'s path prefixes (lb-policy.json pathPrefixes grants "/hello2", "/v1", "/web"); only the load balancer owner can grant it: ask them to add "/cart" to owners.team-web.pathPrefixes in lb-policy.json'
    ])
    const shop: Tenancy = { policy: examplePolicy, repository: 'octo-org/shop-routes' }
    const www =
      '{ "name": "w", "hosts": ["www.example.com"], "paths": ["/w"], "to": { "serverless": { "project": "team-shop", "service": "s", "regions": ["europe-west1"] } } }'
    expect(errorsOf(routes('team-shop', www), shop)).toEqual([
      'routes.json:6:30: error: route w: host "www.example.com" is not granted to owner team-shop (lb-policy.json hosts grants "shop.example.com"); only the load balancer owner can grant it: ask them to add "www.example.com" to owners.team-shop.hosts in lb-policy.json'
    ])
    const own = shared.replace('"*"', '"api.example.com"')
    expect(errorsOf(routes('team-web', own))).toEqual([])
    expect(underPrefix('/web/*', '/web')).toBe(true)
    expect(underPrefix('/web', '/web')).toBe(true)
    expect(underPrefix('/webx', '/web')).toBe(false)
    expect(underPrefix('/*', '/web')).toBe(false)
  })

  it('never lets "*" mean any internet host', () => {
    const r = parseRoutes(
      routes(
        'team-web',
        '{ "name": "a", "default": true, "to": { "internet": { "fqdn": "x.example.org" } } }',
        '\n  "allowedInternetHosts": ["*"],'
      ),
      { file: 'routes.json', policyAllowedInternetHosts: ['*'] }
    )
    expect(r.diagnostics.map(formatDiagnostic)).toEqual([
      'routes.json:5:28: error: allowedInternetHosts entry "*" would allow any host on the internet; list the exact hostnames, IP addresses or "*.suffix" wildcards this file sends traffic to',
      'routes.json:7:67: error: internet.fqdn "x.example.org" is not listed in allowedInternetHosts; add "x.example.org" to the top-level "allowedInternetHosts" list of this file so the allowance is visible in review'
    ])
    const listed = routes(
      'team-web',
      '{ "name": "a", "default": true, "to": { "internet": { "fqdn": "x.example.org" } } }',
      '\n  "allowedInternetHosts": ["x.example.org"],'
    )
    expect(
      parseRoutes(listed, { file: 'routes.json', policyAllowedInternetHosts: ['*'] }).diagnostics[0]?.message
    ).toMatch(
      /is not allowed by the load balancer owner's policy \(--allowed-internet-hosts \/ input allowed-internet-hosts\): it allows no internet hosts/
    )
  })

  it('replaces the allowed-internet-hosts fallback: the policy decides', () => {
    // The fallback list would refuse ml-lb.example.net; the policy grants it, so it is accepted.
    const r = parseRoutes(exampleRoutes, {
      file: 'routes.json',
      tenancy: web,
      policyAllowedInternetHosts: ['x.example.com']
    })
    expect(r.diagnostics).toEqual([])
  })

  it('checks a forwarding rule by the address it resolves to, and adoption by its right', () => {
    const text = routes(
      'team-web',
      '{ "name": "d", "hosts": ["ml.example.com"], "paths": ["/d"], "to": { "loadBalancer": { "project": "team-a", "forwardingRule": "fr" } } }'
    )
    const config = parseRoutes(text, { file: 'routes.json', tenancy: web }).config!
    expect(resolvedPolicyProblems(web, config, { 'team-a/fr': '198.51.100.7' })).toEqual([
      {
        route: 'd',
        message:
          'route d: forwarding rule team-a/fr resolves to 198.51.100.7, which is not granted to owner team-web (lb-policy.json internetHosts grants "ml-lb.example.net", "hello2-3abc-ew.a.run.app"); only the load balancer owner can grant it: ask them to add "198.51.100.7" to owners.team-web.internetHosts in lb-policy.json'
      }
    ])
    const granted = policyOf(
      examplePolicyText.replace('"ml-lb.example.net",', '"ml-lb.example.net", "198.51.100.7",')
    )
    expect(
      resolvedPolicyProblems({ ...web, policy: granted }, config, { 'team-a/fr': '198.51.100.7' })
    ).toEqual([])
    expect(adoptPolicyProblem(web, 'team-web')).toBe(
      'owner team-web may not adopt hand-built resources; only the load balancer owner can grant it: ask them to add "adopt": true to owners.team-web in lb-policy.json'
    )
  })
})
