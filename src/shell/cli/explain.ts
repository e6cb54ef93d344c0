// `lb-routes explain`: where one request goes, from a routes file (compiled offline), the live URL map it
// names (--live), or a URL map JSON.
import type { UrlMap } from '../../core/compute.js'
import { markerOwner } from '../../core/compile/markers.js'
import { hasErrors } from '../../core/diagnostics.js'
import { OFFLINE_DEFAULT_BACKEND, offlineView, routeForService } from '../../core/plan/offline.js'
import type { RoutesConfig } from '../../core/routes/model.js'
import { parseRoutes } from '../../core/routes/parse.js'
import { evaluateUrlMap, type Resolution } from '../../core/google-semantics/evaluate.js'
import { canonicalRef, refName, refProject } from '../../core/google-semantics/refs.js'
import { isNotFound } from '../google/errors.js'
import { getUrlMapOrUndefined } from '../engine/read-live-state.js'
import { errorMessage } from '../../core/error-message.js'
import { cleanBlock } from '../../core/render/escape.js'
import { parseFlags } from './args.js'
import { clientsFromEnv, loggerFor, printDiagnostics, readUserFile, UsageError, type CliIo } from './io.js'

export const EXPLAIN_HELP = `Usage: lb-routes explain (--routes FILE [--live] | --url-map FILE) --host HOST --path PATH [--json]

Says which backend service a request reaches and the path (and host) it receives, following
Google's URL map matching rules: exact host, longest wildcard host, "*"; exact path, longest
/x/* prefix, the path matcher default; routeRules by priority; pathPrefixRewrite and hostRewrite.

Options:
  --routes FILE     a routes.json, compiled offline into the URL map it would produce on an otherwise
                    empty load balancer (other owners' rules and the real default are not known offline)
  --live            with --routes: read the shared URL map routes.json names from the API instead, and say
                    which owner's rule decides the answer (uses the Google environment below)
  --url-map FILE    a URL map in Compute API JSON (e.g. gcloud compute url-maps describe --format=json)
  --host HOST       request host (with :port if any)
  --path PATH       request path (a query string is ignored for matching)
  --json            print {"service", "path", "host"?, "redirect"?, "route"?, "owner"? (with --live)}
  -h, --help        show this help

Google endpoints and credentials (--live): GOOGLE_OAUTH_ACCESS_TOKEN or Application Default Credentials;
GOOGLE_COMPUTE_CUSTOM_ENDPOINT for the emulator.
`

/** What a request is answered from: the map, who the route belongs to, and (live) the backend's owner. */
interface Source {
  readonly map: UrlMap
  readonly routeOf: (service: string | undefined) => string | undefined
  /** Offline only: the stand-in for the URL map default, not a real backend, so never printed as one. */
  readonly isPlaceholder?: (service: string) => boolean
  readonly ownerOf?: (service: string) => Promise<string>
  readonly config?: RoutesConfig
}

/** explainCommand runs `lb-routes explain`. */
export async function explainCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('explain', args, {
    routes: { type: 'string' },
    live: { type: 'boolean' },
    'url-map': { type: 'string' },
    host: { type: 'string' },
    path: { type: 'string' },
    json: { type: 'boolean' }
  })
  if (flags.help) {
    io.stdout(EXPLAIN_HELP)
    return 0
  }
  if (!!flags.routes === !!flags['url-map'])
    throw new UsageError('lb-routes explain: give exactly one of --routes FILE or --url-map FILE')
  if (flags.live && !flags.routes)
    throw new UsageError(
      'lb-routes explain: --live reads the URL map named in a routes file; pass --routes FILE'
    )
  if (!flags.host || !flags.path) throw new UsageError('lb-routes explain: --host and --path are required')
  const source = flags.routes
    ? await routesSource(io, flags.routes, flags.live ?? false)
    : await urlMapSource(io, flags['url-map']!)
  if (typeof source === 'number') return source
  const r = evaluateUrlMap(source.map, { host: flags.host, path: flags.path })
  const service = r.kind === 'service' && !source.isPlaceholder?.(r.service) ? r.service : null
  const owner = service && source.ownerOf ? await source.ownerOf(service) : undefined
  const route = source.routeOf(service ?? undefined)
  if (flags.json) {
    const out: Record<string, unknown> = {
      service,
      path: r.kind === 'service' ? r.path : flags.path.split(/[?#]/)[0]
    }
    if (r.kind === 'service' && r.host !== undefined) out.host = r.host
    if (r.kind === 'redirect') out.redirect = r.redirect
    if (flags.routes && route) out.route = route
    if (owner !== undefined) out.owner = owner
    io.stdout(JSON.stringify(out) + '\n')
    return 0
  }
  // The request and the map's values are echoed: terminal escapes in them are stripped (issue 12).
  io.stdout(cleanBlock(describe(`${flags.host}${flags.path}`, r, { service, route, owner, source })))
  return 0
}

function describe(
  req: string,
  r: Resolution,
  a: { service: string | null; route?: string; owner?: string; source: Source }
): string {
  const decided = `\n  decided by ${r.matchedBy.rule}\n`
  if (r.kind === 'redirect') return `${req}\n  → redirect ${JSON.stringify(r.redirect)}${decided}`
  if (r.kind !== 'service') return `${req}\n  → no backend (the URL map has no default for it)${decided}`
  if (a.service === null)
    return `${req}\n  → the shared URL map's default (no route in this file matches; the load balancer owner sets the default — ask with --live)${decided}`
  const who = a.route
    ? `route ${a.route} → backend service ${refName(r.service)}`
    : `backend service ${r.service}`
  const mine = a.source.config?.owner
  const held =
    a.owner === undefined
      ? ''
      : a.owner === mine
        ? `\n  held by ${a.owner} (this file's owner)`
        : `\n  held by ${a.owner}: another owner's rule decides this request, not ${mine}'s routes.json`
  return `${req}\n  → ${who}\n  receives path ${r.path}${r.host ? ` with Host ${r.host}` : ''}${held}${decided}`
}

async function routesSource(io: CliIo, file: string, live: boolean): Promise<Source | number> {
  const parsed = parseRoutes(await readUserFile(io, file, '--routes'), { file })
  if (!parsed.config || hasErrors(parsed.diagnostics)) {
    printDiagnostics(io, parsed.diagnostics)
    return 1
  }
  const config = parsed.config
  const view = offlineView(config)
  const routeOf = (s: string | undefined): string | undefined => routeForService(view.desired, s)
  const isPlaceholder = (s: string): boolean => refName(s) === OFFLINE_DEFAULT_BACKEND
  if (!live) return { map: view.map, routeOf, isPlaceholder, config }
  const { project, urlMap } = config.loadBalancer
  const { compute } = clientsFromEnv(io, loggerFor(io))
  const map = await getUrlMapOrUndefined(compute, project, urlMap)
  if (!map) throw new UsageError(`${file}: URL map ${urlMap} does not exist in project ${project}`)
  const ownerOf = async (service: string): Promise<string> => {
    const ref = canonicalRef(service, project)
    try {
      const bs = await compute.getBackendService(refProject(ref) ?? project, refName(ref))
      return markerOwner(bs.description) ?? 'unmanaged'
    } catch (err) {
      if (isNotFound(err)) return 'unmanaged (backend service not found)'
      throw err
    }
  }
  return { map, routeOf, ownerOf, config }
}

async function urlMapSource(io: CliIo, file: string): Promise<Source> {
  const text = Buffer.from(await readUserFile(io, file, '--url-map')).toString('utf8')
  let map: UrlMap
  try {
    map = JSON.parse(text) as UrlMap
  } catch (err) {
    throw new UsageError(`${file}: not a URL map in JSON: ${errorMessage(err)}`)
  }
  if (!map || typeof map !== 'object' || Array.isArray(map))
    throw new UsageError(`${file}: not a URL map object`)
  return { map, routeOf: () => undefined }
}
