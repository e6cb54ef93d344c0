// `lb-routes export`: write a routes.json describing what a live load balancer routes (issue #6).
import { exportRoutes, globalNegsOf } from '../../core/export/export-routes.js'
import type { NetworkEndpoint } from '../../core/compute.js'
import { isNotFound } from '../google/errors.js'
import { parseFlags } from './args.js'
import { clientsFromEnv, loggerFor, UsageError, writeUserFile, type CliIo } from './io.js'
import { ENV_HELP } from './plan.js'
import { addMapProjects, readLbResources } from '../engine/read-live-state.js'

export const EXPORT_HELP = `Usage: lb-routes export --project P --url-map NAME [--owner OWNER] [--out FILE]

Reads a live URL map, its backend services and NEGs, and writes a routes.json (JSONC, version 1) that
describes what the load balancer routes: one route per backend service and route action, with its
hosts, paths (prefix for /p + /p/*), rewrite, default, target (Cloud Run url, internet, serverless) and
backend settings. Start from it to take over a load balancer built by hand:

  lb-routes export --project edge-prod --url-map edge --owner team-web --out routes.json
  lb-routes plan --adopt      # only adopt actions, no rule changes
  lb-routes adopt             # writes the ownership markers in place; then plan shows no changes

Rules of other lb-routes owners are left out (named in a comment at the top). Anything routes.json
cannot express (routeRules, redirects, header actions, weighted services, instance groups) is left
out with a // comment and a warning on stderr, together with the other rules of the same backend
service, so that adopting it can never drop a rule.

Options:
  --project P       the load balancer's project (required)
  --url-map NAME    the URL map (required)
  --owner OWNER     the owner to write into routes.json (default: imported); its own lb-routes rules
                    are exported under their route names
  --out FILE        write to FILE instead of stdout
  -h, --help        show this help

Exit status: 0 written, 1 error.

${ENV_HELP}`

/** exportCommand runs `lb-routes export`. */
export async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('export', args, {
    project: { type: 'string' },
    'url-map': { type: 'string' },
    owner: { type: 'string' },
    out: { type: 'string' }
  })
  if (flags.help) {
    io.stdout(EXPORT_HELP)
    return 0
  }
  const project = flags.project
  const name = flags['url-map']
  if (!project || !name)
    throw new UsageError(
      'lb-routes export: --project and --url-map are required; see lb-routes export --help'
    )
  const owner = flags.owner ?? 'imported'
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(owner) || owner.length > 40)
    throw new UsageError(
      `lb-routes export: --owner ${JSON.stringify(owner)} is not a valid owner (lowercase letters, digits and hyphens, starting with a letter, at most 40 characters)`
    )
  const { compute } = clientsFromEnv(io, loggerFor(io))
  let urlMap
  try {
    urlMap = await compute.getUrlMap(project, name)
  } catch (err) {
    if (isNotFound(err))
      throw new UsageError(
        `URL map ${name} was not found in project ${project}; check --project and --url-map`
      )
    throw err
  }
  // Backend services and regional NEGs of every project the map references (one list call each).
  const projects = new Set([project])
  addMapProjects(projects, urlMap, project)
  const { backendServices, globalNegs, regionNegs } = await readLbResources(
    compute,
    projects,
    new Set([project])
  )
  // Endpoints only of the global Internet NEGs the map's backends use (the list gives only their size).
  const internet = new Set(
    globalNegs
      .filter((n) => /^INTERNET_/.test(n.networkEndpointType ?? ''))
      .map((n) => `${project}/${n.name}`)
  )
  const wanted = globalNegsOf(backendServices).filter((k) => internet.has(k))
  const endpoints = await Promise.all(
    wanted.map(async (k) => {
      const eps = await compute.listNetworkEndpoints(project, k.slice(project.length + 1))
      return [k, eps.flatMap((e) => (e.networkEndpoint ? [e.networkEndpoint] : []))] as const
    })
  )
  const negEndpoints: Record<string, NetworkEndpoint[]> = Object.fromEntries(endpoints)
  const result = exportRoutes({
    project,
    urlMap,
    owner,
    backendServices,
    negs: [...globalNegs, ...regionNegs],
    negEndpoints
  })
  for (const w of result.warnings) io.stderr(`warning: ${w}\n`)
  if (flags.out) {
    await writeUserFile(io, flags.out, result.text)
    io.stderr(`wrote ${flags.out}: review it, then lb-routes plan --adopt --routes ${flags.out}\n`)
  } else io.stdout(result.text)
  return 0
}
