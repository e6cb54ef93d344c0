// The route table of the plan (display only): one row per declared route with its status against the live
// markers and the URL-map rule changes, plus one row per route this owner had and no longer declares.
import { locate } from '../diff/resources.js'
import type { Route, Target } from '../routes/model.js'
import { refName } from '../google-semantics/refs.js'
import type { PlanContext } from './context.js'
import { ownedRuleView } from './merge-url-map.js'
import type { RouteFieldChange, RouteStatus, RouteSummary } from './model.js'
import { routeFieldChanges } from './route-changes.js'

/** Network hops from the load balancer to the service: chained load balancers and run.app front ends add one. */
export function hopsOf(target: Target): number {
  switch (target.kind) {
    case 'serverless':
    case 'internet':
      return 1
    case 'cloudRun':
    case 'loadBalancer':
      return 2
  }
}

/** describeTarget says where a route goes, in words. */
export function describeTarget(target: Target): string {
  switch (target.kind) {
    case 'cloudRun':
      return 'url' in target
        ? `Cloud Run ${new URL(target.url).hostname}`
        : `Cloud Run ${target.service} (${target.project}, ${target.region})`
    case 'serverless':
      return `Cloud Run ${target.service} in ${target.regions.join(', ')} (${target.project}, serverless NEGs)`
    case 'internet':
      return `${target.fqdn ?? target.ip}:${target.port} (${target.protocol})`
    case 'loadBalancer':
      return 'domain' in target
        ? `load balancer ${target.domain}`
        : `load balancer ${target.project}/${target.forwardingRule}`
  }
}

function targetProject(target: Target): string | undefined {
  if (target.kind === 'serverless') return target.project
  if (target.kind === 'cloudRun' && 'project' in target) return target.project
  if (target.kind === 'loadBalancer' && 'project' in target) return target.project
  return undefined
}

/** routeStatus: new unless live markers list it (or it is adopted); changed when a change or rule touches it. */
function statusOf(ctx: PlanContext): (route: string, backend: string) => RouteStatus {
  const changed = new Set(ctx.changes.flatMap((c) => c.routes ?? []))
  const adopted = new Set(
    ctx.changes
      .filter((c) => c.action === 'adopt' && c.address.kind === 'backendService')
      .flatMap((c) => c.routes ?? [])
  )
  const ruleServices = new Set(ctx.merged.ruleChanges.flatMap((c) => [c.before, c.after]).filter(Boolean))
  return (route, backend) =>
    !ctx.ownership.liveRoutes.has(route) && !adopted.has(route)
      ? 'new'
      : changed.has(route) || ruleServices.has(backend)
        ? 'changed'
        : 'unchanged'
}

/** declaredRouteSummaries is one row per route in routes.json. */
export function declaredRouteSummaries(ctx: PlanContext): RouteSummary[] {
  const status = statusOf(ctx)
  return ctx.config.routes.map((r: Route) => {
    const service = ctx.desired.routeServices[r.name]!
    const backend = refName(service)
    const tp = targetProject(r.target)
    const s = status(r.name, backend)
    return {
      name: r.name,
      hosts: r.hosts,
      paths: r.paths,
      default: r.default,
      target: describeTarget(r.target),
      backend,
      backendProject: locate(service).project,
      ...(tp ? { targetProject: tp } : {}),
      hops: hopsOf(r.target),
      ...(r.rewrite?.pathPrefix !== undefined ? { rewrite: r.rewrite.pathPrefix } : {}),
      ...(r.rewrite?.host !== undefined ? { hostRewrite: r.rewrite.host } : {}),
      ...(r.target.kind === 'internet' && r.target.hostHeader ? { hostHeader: r.target.hostHeader } : {}),
      kind: r.target.kind,
      ...changesOf(ctx, r, s),
      status: s
    }
  })
}

/** changesOf: what changed, for a changed route that has something to show. */
function changesOf(ctx: PlanContext, r: Route, s: RouteStatus): { changes?: RouteFieldChange[] } {
  if (s !== 'changed') return {}
  const changes = routeFieldChanges(ctx, r)
  return changes.length > 0 ? { changes } : {}
}

/** removedRouteSummaries is one row per route live markers list and routes.json no longer declares. */
export function removedRouteSummaries(ctx: PlanContext): RouteSummary[] {
  const project = ctx.config.loadBalancer.project
  const declared = new Set(ctx.config.routes.map((r) => r.name))
  // The live rules of each owned backend (host, path).
  const rulesByService = new Map<string, [string, string][]>()
  for (const [k, svc] of ownedRuleView(ctx.live.urlMap, ctx.ownership.ownedServices, project)) {
    const url = svc.split(' ')[0]!
    rulesByService.set(url, [...(rulesByService.get(url) ?? []), k.split('\0') as [string, string]])
  }
  return [...ctx.ownership.liveRoutes]
    .filter(([name]) => !declared.has(name))
    .map(([name, url]) => {
      const keys = rulesByService.get(url) ?? []
      return {
        name,
        hosts: [...new Set(keys.map(([h]) => h))],
        paths: [...new Set(keys.map(([, p]) => p).filter((p) => p !== '(default)'))],
        default: keys.some(([, p]) => p === '(default)'),
        target: '(removed)',
        backend: refName(url),
        backendProject: locate(url).project,
        hops: 0,
        status: 'removed' as const
      }
    })
}

/** routeSummaries: the declared routes, then the removed ones. */
export function routeSummaries(ctx: PlanContext): RouteSummary[] {
  return [...declaredRouteSummaries(ctx), ...removedRouteSummaries(ctx)]
}
