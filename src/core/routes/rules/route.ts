// Rules on one route's name, hosts, paths and rewrite, and on what it claims from the other routes.
import { expandPrefix, hostnameProblem, nameProblem, pathPatternProblem, prefixProblem } from '../formats.js'
import { quote, RELATED_AT, type Problem } from '../problem.js'
import {
  error,
  isObj,
  MAX_NAME_LENGTH,
  str,
  warning,
  type FileContext,
  type RouteContext
} from './context.js'

/** A route name goes into resource names, so it is a short resource name itself. */
export function routeName(r: RouteContext): Problem[] {
  const p = r.name === undefined ? undefined : nameProblem(r.name, MAX_NAME_LENGTH)
  return p ? [error(r.at('name'), `route name ${quote(r.name)} ${p}`)] : []
}

/** Route names are unique in the file. */
export function uniqueRouteName(r: RouteContext, file: FileContext): Problem[] {
  const first = r.name === undefined ? undefined : file.names.get(r.name)
  if (first === undefined || first === r.index) return []
  return [
    error(
      r.at('name'),
      `route name ${quote(r.name)} is already used by routes[${first}]${RELATED_AT}; route names must be unique`,
      ['routes', first, 'name']
    )
  ]
}

/** Each host is a hostname (or wildcard) listed once; a classic load balancer ignores ports in host rules. */
export function routeHosts(r: RouteContext, file: FileContext): Problem[] {
  return r.hosts.flatMap((host) => {
    if (host.problem !== undefined) return [error(host.path, host.problem)]
    if (!file.classic || !host.value.includes(':')) return []
    return [
      warning(
        host.path,
        `host ${quote(host.raw)} has a port, but a classic (EXTERNAL) load balancer ignores ports in host rules`
      )
    ]
  })
}

/** A route has "prefix" or "paths", not both. */
export function prefixOrPaths(r: RouteContext): Problem[] {
  if (r.prefix === undefined || !r.hasPaths) return []
  return [
    error(
      r.at('prefix'),
      `use either "prefix" or "paths", not both; "prefix": ${quote(r.prefix)} already means paths ${quote(expandPrefix(r.prefix))}`
    )
  ]
}

/** A prefix is a path without wildcards. */
export function prefixFormat(r: RouteContext): Problem[] {
  const p = r.prefix === undefined || r.hasPaths ? undefined : prefixProblem(r.prefix)
  return p ? [error(r.at('prefix'), `prefix ${quote(r.prefix)} ${p}`)] : []
}

/** Each path is a URL map path pattern, listed once. */
export function routePaths(r: RouteContext): Problem[] {
  return r.paths.flatMap((path) => (path.problem !== undefined ? [error(path.path, path.problem)] : []))
}

/** A route that is not a default needs paths, or no request can reach it. */
export function reachable(r: RouteContext): Problem[] {
  const d = r.route.default
  if (r.prefix !== undefined || r.hasPaths || d === true || d === 'true') return []
  return [
    error(
      r.at(),
      `route ${quote(r.label)} has no "paths" or "prefix" and is not "default": true, so no request can reach it; add paths, a prefix or "default": true`
    )
  ]
}

/** A rewrite applies to the paths it matches, so it needs paths. */
export function rewriteNeedsPaths(r: RouteContext): Problem[] {
  if (!isObj(r.route.rewrite) || r.prefix !== undefined || r.hasPaths) return []
  return [
    error(
      r.at('rewrite'),
      `route ${quote(r.label)} has a rewrite but no "paths" or "prefix"; a rewrite applies to the paths it matches, so add paths or a prefix (lb-routes does not rewrite default routes)`
    )
  ]
}

/** rewrite.pathPrefix is a literal path: it starts with "/" and has no "*". */
export function rewritePathPrefix(r: RouteContext): Problem[] {
  const pathPrefix = isObj(r.route.rewrite) ? str(r.route.rewrite, 'pathPrefix') : undefined
  if (pathPrefix === undefined) return []
  const at = r.at('rewrite', 'pathPrefix')
  const p = pathPrefix.startsWith('/')
    ? pathPatternProblem(pathPrefix.replace(/\*/g, ''))
    : `must start with "/"; use "/${pathPrefix}"`
  if (p) return [error(at, `rewrite.pathPrefix ${quote(pathPrefix)} ${p}`)]
  // No warning for a pathPrefix without a trailing "/": compile adds it for "/p/*" rules, so
  // prefix "/v1" + pathPrefix "/api" sends "/v1/x" as "/api/x" (compile-desired.ts routeActionFor).
  if (pathPrefix.includes('*'))
    return [
      error(at, `rewrite.pathPrefix ${quote(pathPrefix)} must not contain "*"; it is inserted literally`)
    ]
  return []
}

/** rewrite.host is a hostname, optionally with a port. */
export function rewriteHost(r: RouteContext): Problem[] {
  const host = isObj(r.route.rewrite) ? str(r.route.rewrite, 'host') : undefined
  const p = host === undefined ? undefined : hostnameProblem(host.toLowerCase(), { port: true })
  return p ? [error(r.at('rewrite', 'host'), `rewrite.host ${quote(host)} ${p}`)] : []
}

/** Each host+path goes to one route, and each host has at most one default route (reported host by host). */
export function hostClaims(r: RouteContext, file: FileContext): Problem[] {
  return (file.conflicts.get(r.index) ?? []).map(({ host, path, first }) => {
    if (path === undefined) {
      return error(
        r.at('default'),
        `route ${quote(first.route)}${RELATED_AT} is already the default for host ${quote(host.value)}; a host has at most one default route`,
        first.path
      )
    }
    const hostText =
      r.route.hosts !== undefined
        ? ` host ${quote(host.value)}`
        : ` host ${quote(host.value)} (the default when "hosts" is left out)`
    return error(
      path.path,
      `path ${quote(path.value)} on${hostText} is already claimed by route ${quote(first.route)}${RELATED_AT}; each host+path may go to only one route`,
      first.path
    )
  })
}
