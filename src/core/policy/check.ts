// The policy checks (DESIGN.md §4.2): a routes.json against what the policy grants its calling repository's
// owner. Pure; every finding names what is missing from the policy and who can grant it. With a policy,
// what is not granted is denied: an absent list grants nothing.
import type { JSONPath } from 'jsonc-parser'
import { allowsHost, policyAllows } from '../routes/formats.js'
import type { Route, RoutesConfig, Target } from '../routes/model.js'
import { grantHint, ownerOfRepository, type OwnerGrant, type Policy, type Tenancy } from './model.js'

/** One policy finding about a routes.json, addressed by its JSON path in that file. */
export interface PolicyFinding {
  readonly path: JSONPath
  readonly message: string
}

/** hostOnly drops a `:port` (for ownership `host:443` is the host, DESIGN.md §4.1). */
const hostOnly = (host: string): string => (host === '*' ? host : host.replace(/:\d+$/, ''))

/** grantsHost: a grant entry ("*", exact, "*.suffix") covers a route host pattern (a wildcard needs an equal or wider one). */
export function grantsHost(entries: readonly string[], host: string): boolean {
  return entries.some((e) => policyAllows(e, hostOnly(host)))
}

/** grantsDefault: like grantsHost, but "*" in defaults is the URL map default only, not every host's default. */
export function grantsDefault(entries: readonly string[], host: string): boolean {
  return host === '*'
    ? entries.includes('*')
    : grantsHost(
        entries.filter((e) => e !== '*'),
        host
      )
}

/** reaches: an internet-host grant (exact, IP or "*.suffix"; "*" never counts) covers a destination host or address. */
export function reaches(entries: readonly string[], host: string): boolean {
  return entries.some((e) => e !== '*' && allowsHost(e, host.toLowerCase()))
}

function overlaps(a: string, b: string): boolean {
  return a === '*' || b === '*' || policyAllows(a, b) || policyAllows(b, a)
}

/** underPrefix: a URL-map path pattern lies at or under a prefix ("/web" covers "/web", "/web/x", "/web/*"). */
export function underPrefix(path: string, prefix: string): boolean {
  if (prefix === '/') return true
  const base = path.replace(/\/\*$/, '')
  return base === prefix || path.startsWith(`${prefix}/`)
}

const listed = (entries: readonly string[]): string =>
  entries.length === 0 ? 'grants none' : `grants ${entries.map((e) => JSON.stringify(e)).join(', ')}`

/** identityProblem: the owner the calling repository acts as, or why routes.json may not claim its owner. */
export function identityProblem(t: Tenancy, claimed: string): PolicyFinding | undefined {
  const { policy, repository } = t
  const owner = ownerOfRepository(policy, repository)
  if (owner === undefined)
    return {
      path: ['owner'],
      message: `repository ${repository} acts as no owner in ${policy.file}; only the load balancer owner can grant it: ask them to add "${repository}" to owners.${claimed}.repositories in ${policy.file}`
    }
  if (owner !== claimed)
    return {
      path: ['owner'],
      message: `owner ${JSON.stringify(claimed)} is not this repository's: ${policy.file} makes ${repository} owner ${owner}, so set "owner": "${owner}"; another owner's routes can only change from its own repositories (listed in ${policy.file} by the load balancer owner)`
    }
  return undefined
}

/** routesPolicyProblems checks a routes.json against the grant of the calling repository's owner. */
export function routesPolicyProblems(t: Tenancy, config: RoutesConfig): PolicyFinding[] {
  const identity = identityProblem(t, config.owner)
  if (identity) return [identity]
  const { policy } = t
  const owner = config.owner
  const grant = policy.owners[owner]!
  const out: PolicyFinding[] = []
  const lb = config.loadBalancer
  if (lb.project !== policy.loadBalancer.project || lb.urlMap !== policy.loadBalancer.urlMap)
    out.push({
      path: ['loadBalancer'],
      message: `load balancer ${lb.project}/${lb.urlMap} is not the one ${policy.file} governs (${policy.loadBalancer.project}/${policy.loadBalancer.urlMap}); use that load balancer, or the policy of the load balancer you mean`
    })
  for (const [k, entry] of config.allowedInternetHosts.entries()) {
    if (!grant.internetHosts.some((e) => e !== '*' && policyAllows(e, entry)))
      out.push({
        path: ['allowedInternetHosts', k],
        message: `allowedInternetHosts entry ${JSON.stringify(entry)} is not granted to owner ${owner} (${policy.file} internetHosts ${listed(grant.internetHosts)}); ${grantHint(policy, owner, 'internetHosts', entry)}`
      })
  }
  if (config.frontend !== undefined && !grant.frontend)
    out.push({
      path: ['frontend'],
      message: `owner ${owner} may not manage the load balancer's frontend; ${grantHint(policy, owner, 'frontend', '')}`
    })
  for (const [i, route] of config.routes.entries())
    out.push(...routeProblems(policy, owner, grant, route, ['routes', i]))
  return out
}

function routeProblems(
  policy: Policy,
  owner: string,
  grant: OwnerGrant,
  route: Route,
  at: JSONPath
): PolicyFinding[] {
  const out: PolicyFinding[] = []
  const say = (path: JSONPath, what: string, field: keyof OwnerGrant, value: string) =>
    out.push({
      path: [...at, ...path],
      message: `route ${route.name}: ${what}; ${grantHint(policy, owner, field, value)}`
    })
  const others = Object.entries(policy.owners).filter(([o]) => o !== owner)
  for (const [k, host] of route.hosts.entries()) {
    if (!grantsHost(grant.hosts, host)) {
      say(
        ['hosts', k],
        `host ${JSON.stringify(host)} is not granted to owner ${owner} (${policy.file} hosts ${listed(grant.hosts)})`,
        'hosts',
        hostOnly(host)
      )
      continue
    }
    if (route.default && !grantsDefault(grant.defaults, host))
      say(
        ['default'],
        `owner ${owner} may not hold the default of host ${JSON.stringify(host)} (${policy.file} defaults ${listed(grant.defaults)})`,
        'defaults',
        hostOnly(host)
      )
    const prefixes = grant.pathPrefixes
    const shared = others.some(([, g]) => g.hosts.some((e) => overlaps(e, hostOnly(host))))
    if (prefixes === undefined || !shared) continue
    for (const [p, path] of route.paths.entries()) {
      if (!prefixes.some((prefix) => underPrefix(path, prefix)))
        say(
          ['paths', p],
          `path ${JSON.stringify(path)} on shared host ${JSON.stringify(host)} is outside owner ${owner}'s path prefixes (${policy.file} pathPrefixes ${listed(prefixes)})`,
          'pathPrefixes',
          path.replace(/\/\*$/, '') || '/'
        )
    }
  }
  const target = targetProblem(policy, owner, grant, route.target)
  if (target) say(['to', route.target.kind, target.key], target.what, target.field, target.value)
  return out
}

function targetProblem(
  policy: Policy,
  owner: string,
  grant: OwnerGrant,
  t: Target
): { key: string; what: string; field: keyof OwnerGrant; value: string } | undefined {
  const project = (key: string, p: string) =>
    grant.projects.includes(p)
      ? undefined
      : {
          key,
          field: 'projects' as const,
          value: p,
          what: `${t.kind} target project ${p} is not granted to owner ${owner} (${policy.file} projects ${listed(grant.projects)})`
        }
  const host = (key: string, h: string, extra = '') =>
    reaches(grant.internetHosts, h)
      ? undefined
      : {
          key,
          field: 'internetHosts' as const,
          value: h,
          what: `${t.kind} target ${JSON.stringify(h)} is not granted to owner ${owner} (${policy.file} internetHosts ${listed(grant.internetHosts)})${extra}`
        }
  switch (t.kind) {
    case 'cloudRun':
      return 'url' in t
        ? host(
            'url',
            new URL(t.url).hostname,
            '; a run.app URL can be any project\'s service, so name it by "project", "region" and "service" instead (its project is then checked)'
          )
        : project('project', t.project)
    case 'serverless':
      return project('project', t.project)
    case 'internet':
      return host(t.fqdn !== undefined ? 'fqdn' : 'ip', (t.fqdn ?? t.ip)!)
    case 'loadBalancer':
      return 'domain' in t ? host('domain', t.domain) : project('project', t.project)
  }
}

/** A plan-time policy finding (the route's position is where it points). */
export interface PlanPolicyProblem {
  readonly route?: string
  readonly message: string
}

/**
 * resolvedPolicyProblems checks what the plan learned from live APIs: a `loadBalancer` target by project +
 * forwarding rule is checked by its project (routesPolicyProblems) AND by the address it resolves to, which
 * must be among the owner's internetHosts — a granted project could otherwise point at any IP.
 */
export function resolvedPolicyProblems(
  t: Tenancy,
  config: RoutesConfig,
  forwardingRuleIps: Readonly<Record<string, string>>
): PlanPolicyProblem[] {
  const grant = t.policy.owners[config.owner]
  if (!grant) return []
  const out: PlanPolicyProblem[] = []
  for (const r of config.routes) {
    const tg = r.target
    if (tg.kind !== 'loadBalancer' || !('forwardingRule' in tg)) continue
    const ip = forwardingRuleIps[`${tg.project}/${tg.forwardingRule}`]
    if (ip === undefined || reaches(grant.internetHosts, ip)) continue
    out.push({
      route: r.name,
      message: `route ${r.name}: forwarding rule ${tg.project}/${tg.forwardingRule} resolves to ${ip}, which is not granted to owner ${config.owner} (${t.policy.file} internetHosts ${listed(grant.internetHosts)}); ${grantHint(t.policy, config.owner, 'internetHosts', ip)}`
    })
  }
  return out
}

/** adoptPolicyProblem: adoption (plan --adopt, lb-routes adopt, input adopt) needs the policy's adopt right. */
export function adoptPolicyProblem(t: Tenancy, owner: string): string | undefined {
  const grant = t.policy.owners[owner]
  if (grant?.adopt) return undefined
  return `owner ${owner} may not adopt hand-built resources; ${grantHint(t.policy, owner, 'adopt', '')}`
}

export interface PlanPolicyInput {
  readonly config: RoutesConfig
  /** The owners policy and calling repository; absent: no policy (single team). */
  readonly tenancy?: Tenancy
  /** Without a policy: the load balancer owner's allow-list (--allowed-internet-hosts), if given. */
  readonly fallbackAllowList?: readonly string[]
  /** Forwarding-rule addresses the plan resolved, by `project/name`. */
  readonly forwardingRuleIps: Readonly<Record<string, string>>
  readonly adopt: boolean
}

/** planPolicyProblems is the plan step of the policy checks: resolved addresses and the adopt right. */
export function planPolicyProblems(input: PlanPolicyInput): PlanPolicyProblem[] {
  const { config, tenancy } = input
  if (tenancy) {
    const adopt = input.adopt ? adoptPolicyProblem(tenancy, config.owner) : undefined
    return [
      ...resolvedPolicyProblems(tenancy, config, input.forwardingRuleIps),
      ...(adopt ? [{ message: adopt }] : [])
    ]
  }
  const list = input.fallbackAllowList?.filter((e) => e !== '*')
  if (list === undefined) return []
  const out: PlanPolicyProblem[] = []
  for (const r of config.routes) {
    const t = r.target
    if (t.kind !== 'loadBalancer' || !('forwardingRule' in t)) continue
    const ip = input.forwardingRuleIps[`${t.project}/${t.forwardingRule}`]
    if (ip !== undefined && !reaches(list, ip))
      out.push({
        route: r.name,
        message: `route ${r.name}: forwarding rule ${t.project}/${t.forwardingRule} resolves to ${ip}, which the load balancer owner's allow-list (--allowed-internet-hosts / input allowed-internet-hosts) does not allow; ask them to add ${ip}`
      })
  }
  return out
}
