// `lb-routes explain`: where one request goes, from a routes file (compiled offline) or a URL map JSON.
import type { UrlMap } from '../../core/compute.js'
import { hasErrors } from '../../core/diagnostics.js'
import { offlineView, routeForService } from '../../core/plan/offline.js'
import { parseRoutes } from '../../core/routes/parse.js'
import { evaluateUrlMap } from '../../core/urlmap/evaluate.js'
import { refName } from '../../core/urlmap/refs.js'
import { terminalText } from '../../core/render/escape.js'
import { parseFlags } from './args.js'
import { printDiagnostics, readUserFile, UsageError, type CliIo } from './io.js'

export const EXPLAIN_HELP = `Usage: lb-routes explain (--routes FILE | --url-map FILE) --host HOST --path PATH [--json]

Says which backend service a request reaches and the path (and host) it receives, following
Google's URL map matching rules: exact host, longest wildcard host, "*"; exact path, longest
/x/* prefix, the path matcher default; routeRules by priority; pathPrefixRewrite and hostRewrite.

Options:
  --routes FILE     a routes.json, compiled offline into the URL map it would produce
  --url-map FILE    a URL map in Compute API JSON (e.g. gcloud compute url-maps describe --format=json)
  --host HOST       request host (with :port if any)
  --path PATH       request path (a query string is ignored for matching)
  --json            print {"service", "path", "host"?, "redirect"?, "route"?}
  -h, --help        show this help
`

/** explainCommand runs `lb-routes explain`. */
export async function explainCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('explain', args, {
    routes: { type: 'string' },
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
  if (!flags.host || !flags.path) throw new UsageError('lb-routes explain: --host and --path are required')
  let map: UrlMap
  let routeOf: (service: string | undefined) => string | undefined = () => undefined
  if (flags.routes) {
    const file = flags.routes
    const parsed = parseRoutes(await readUserFile(io, file, '--routes'), { file })
    if (!parsed.config || hasErrors(parsed.diagnostics)) {
      printDiagnostics(io, parsed.diagnostics)
      return 1
    }
    const view = offlineView(parsed.config)
    map = view.map
    routeOf = (s) => routeForService(view.desired, s)
  } else {
    const file = flags['url-map']!
    const text = Buffer.from(await readUserFile(io, file, '--url-map')).toString('utf8')
    try {
      map = JSON.parse(text) as UrlMap
    } catch (err) {
      throw new UsageError(`${file}: not a URL map in JSON: ${(err as Error).message}`)
    }
    if (!map || typeof map !== 'object' || Array.isArray(map))
      throw new UsageError(`${file}: not a URL map object`)
  }
  const r = evaluateUrlMap(map, { host: flags.host, path: flags.path })
  const path = flags.path.split(/[?#]/)[0]!
  const service = r.kind === 'service' ? r.service : null
  const route = routeOf(service ?? undefined)
  if (flags.json) {
    const out: Record<string, unknown> = { service, path: r.kind === 'service' ? r.path : path }
    if (r.kind === 'service' && r.host !== undefined) out.host = r.host
    if (r.kind === 'redirect') out.redirect = r.redirect
    if (flags.routes && route) out.route = route
    io.stdout(JSON.stringify(out) + '\n')
    return 0
  }
  const req = terminalText(`${flags.host}${flags.path}`)
  if (r.kind === 'service') {
    const who = route
      ? `route ${route} → backend service ${refName(r.service)}`
      : `backend service ${r.service}`
    io.stdout(
      `${req}\n  → ${terminalText(who)}\n  receives path ${terminalText(r.path)}${r.host ? ` with Host ${terminalText(r.host)}` : ''}\n  decided by ${terminalText(r.matchedBy.rule)}\n`
    )
  } else if (r.kind === 'redirect') {
    io.stdout(`${req}\n  → redirect ${JSON.stringify(r.redirect)}\n  decided by ${r.matchedBy.rule}\n`)
  } else {
    io.stdout(
      `${req}\n  → no backend (the URL map has no default for it)\n  decided by ${r.matchedBy.rule}\n`
    )
  }
  return 0
}
