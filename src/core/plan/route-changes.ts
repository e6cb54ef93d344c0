// What changed for one route, in words (display only, DESIGN.md §9): its target, backend settings, hosts,
// paths and rewrites, live (the backend its marker names and that backend's rules in the live map) against
// planned (the desired backend and its rules in the merged map). Each side is described the same way, so a
// difference in words is a difference in fact.
import type { BackendService, NetworkEndpointGroup } from '../compute.js'
import type { Route } from '../routes/model.js'
import { canonicalRef, refName } from '../google-semantics/refs.js'
import type { PlanContext } from './context.js'
import { ownedRuleView } from './merge-url-map.js'
import type { RouteFieldChange } from './model.js'

/** The API's default backend timeout (a live service without timeoutSec has it). */
const DEFAULT_TIMEOUT_SEC = 30

/** Settings of a backend service as people read them; keys are the field names shown. */
function settingsOf(bs: BackendService | undefined, securityPolicy: string | null | undefined) {
  if (!bs) return {}
  const headers = (bs.customRequestHeaders ?? []).map((h) => h.trim())
  const host = headers.find((h) => /^host\s*:/i.test(h))
  const serverless = (bs.backends ?? []).some((b) => /\/regions\//.test(b.group ?? ''))
  const others = headers.filter((h) => h !== host)
  const log = bs.logConfig?.enable ? `sample rate ${bs.logConfig.sampleRate ?? 1}` : 'off'
  return {
    ...(serverless ? {} : { timeout: `${bs.timeoutSec ?? DEFAULT_TIMEOUT_SEC}s` }),
    CDN: bs.enableCDN ? 'on' : 'off',
    'security policy': securityPolicy ? refName(securityPolicy) : 'none',
    'Host header': host ? host.slice(host.indexOf(':') + 1).trim() : 'none',
    headers: others.length > 0 ? others.join(', ') : 'none',
    logging: log
  } as Record<string, string>
}

/** describeBackend says where a backend service sends requests: Cloud Run service(s), or its Host / NEGs. */
function describeBackend(
  bs: BackendService | undefined,
  negs: readonly NetworkEndpointGroup[],
  project: string
): string | undefined {
  if (!bs) return undefined
  const groups = (bs.backends ?? []).map((b) => canonicalRef(b.group ?? '', project))
  const byUrl = new Map(negs.map((n) => [canonicalRef(n.selfLink ?? '', project), n]))
  const serverless = groups.flatMap((g) => {
    const service = byUrl.get(g)?.cloudRun?.service
    const region = /\/regions\/([^/]+)\//.exec(g)?.[1]
    return service && region ? [{ service, region }] : []
  })
  if (serverless.length > 0) {
    const services = [...new Set(serverless.map((s) => s.service))].join(', ')
    return `Cloud Run ${services} in ${serverless.map((s) => s.region).join(', ')}`
  }
  const host = settingsOf(bs, null)['Host header']
  if (host && host !== 'none') return host.endsWith('.run.app') ? `Cloud Run ${host}` : host
  return groups.map(refName).join(', ') || undefined
}

/** The desired NEGs as the API would list them (selfLink set), so describeBackend reads both sides alike. */
function desiredNegs(ctx: PlanContext): NetworkEndpointGroup[] {
  return ctx.desired.negs.map((n) => ({
    ...n.resource,
    selfLink: n.region
      ? `projects/${n.project}/regions/${n.region}/networkEndpointGroups/${n.name}`
      : `projects/${n.project}/global/networkEndpointGroups/${n.name}`
  }))
}

/** A route's rules in one map: hosts, paths (with "(default)"), path and host rewrites. */
function rulesOf(view: Map<string, string>) {
  const hosts = new Set<string>()
  const paths = new Set<string>()
  const pathRewrites = new Set<string>()
  const hostRewrites = new Set<string>()
  for (const [key, value] of view) {
    const [host, path] = key.split('\0') as [string, string]
    hosts.add(host)
    paths.add(path)
    const json = value.indexOf(' ')
    if (json < 0) continue
    const rewrite = JSON.parse(value.slice(json + 1)) as { pathPrefixRewrite?: string; hostRewrite?: string }
    if (rewrite.pathPrefixRewrite !== undefined) pathRewrites.add(rewrite.pathPrefixRewrite)
    if (rewrite.hostRewrite !== undefined) hostRewrites.add(rewrite.hostRewrite)
  }
  return { hosts, paths, pathRewrites, hostRewrites }
}

const words = (items: Iterable<string>): string => [...items].sort().join(', ')

/** setChanges: one change per set that differs, naming what was added and removed. */
function setChanges(field: string, before: Set<string>, after: Set<string>): RouteFieldChange[] {
  const removed = [...before].filter((x) => !after.has(x))
  const added = [...after].filter((x) => !before.has(x))
  if (removed.length === 0 && added.length === 0) return []
  return [
    {
      field,
      ...(removed.length > 0 ? { before: words(removed) } : {}),
      ...(added.length > 0 ? { after: words(added) } : {})
    }
  ]
}

/** valueChange: one change when a value differs ("none" when absent). */
function valueChange(
  field: string,
  before: string | undefined,
  after: string | undefined
): RouteFieldChange[] {
  const b = before ?? 'none'
  const a = after ?? 'none'
  return b === a ? [] : [{ field, before: b, after: a }]
}

/** ruleChanges: hosts and paths added or removed, and changed path / host rewrites. */
function ruleChanges(ctx: PlanContext, oldUrl: string, newUrl: string): RouteFieldChange[] {
  const project = ctx.config.loadBalancer.project
  const before = rulesOf(ownedRuleView(ctx.live.urlMap, new Set([oldUrl]), project))
  const after = rulesOf(ownedRuleView(ctx.merged.map, new Set([newUrl]), project))
  const one = (s: Set<string>) => (s.size > 0 ? words(s) : undefined)
  return [
    ...setChanges('hosts', before.hosts, after.hosts),
    ...setChanges('paths', before.paths, after.paths),
    ...valueChange('path rewrite', one(before.pathRewrites), one(after.pathRewrites)),
    ...valueChange('host rewrite', one(before.hostRewrites), one(after.hostRewrites))
  ]
}

/**
 * routeFieldChanges lists what changed for a route this owner already had (empty for a new route): the
 * target, each backend setting, hosts, paths and rewrites, before → after.
 */
export function routeFieldChanges(ctx: PlanContext, route: Route): RouteFieldChange[] {
  const project = ctx.config.loadBalancer.project
  const live = ctx.ownership.liveRoutes.get(route.name)
  const service = ctx.desired.routeServices[route.name]
  if (live === undefined || service === undefined) return []
  const oldUrl = canonicalRef(live, project)
  const newUrl = canonicalRef(service, project)
  const liveBs = ctx.live.backendServices.find((b) => canonicalRef(b.selfLink ?? '', project) === oldUrl)
  const wanted = ctx.desired.backendServices.find(
    (b) => canonicalRef(`projects/${b.project}/global/backendServices/${b.name}`, project) === newUrl
  )
  const before = settingsOf(liveBs, liveBs?.securityPolicy)
  const after = settingsOf(wanted?.resource, wanted?.securityPolicy)
  const target = valueChange(
    'target',
    describeBackend(liveBs, [...ctx.live.regionNegs, ...ctx.live.globalNegs], project),
    describeBackend(wanted?.resource, desiredNegs(ctx), project)
  )
  const settings = [...new Set([...Object.keys(before), ...Object.keys(after)])].flatMap((k) =>
    k === 'Host header' && target.length > 0 ? [] : valueChange(k, before[k], after[k])
  )
  const found = [...target, ...settings, ...ruleChanges(ctx, oldUrl, newUrl)]
  // A new backend name with nothing else different (e.g. a renamed or re-created backend) still says so.
  if (found.length === 0 && oldUrl !== newUrl)
    return [{ field: 'backend service', before: refName(oldUrl), after: refName(newUrl) }]
  return found
}
