// `lb-routes validate`: schema + semantic checks and the offline route tests, no network.
import { hasErrors, type Diagnostic } from '../../core/diagnostics.js'
import { offlineView } from '../../core/plan/offline.js'
import { parseRoutes } from '../../core/routes/parse.js'
import { parseFlags } from './args.js'
import { printDiagnostics, readUserFile, splitList, type CliIo } from './io.js'

export const VALIDATE_HELP = `Usage: lb-routes validate [--routes FILE] [--allowed-internet-hosts LIST]

Checks a routes.json offline: JSON syntax (comments allowed), the schema, the semantic rules
(names, hosts, paths, targets, conflicts between routes) and the route tests (the file's own
"tests" plus one generated for every host and path) against the URL map the routes compile to.

Options:
  --routes FILE                   routes file (default ./routes.json)
  --allowed-internet-hosts LIST   the load balancer owner's policy: comma-separated hosts or
                                  *.suffix wildcards that allowedInternetHosts may contain
  -h, --help                      show this help

Exit status: 0 valid, 1 invalid. Diagnostics go to stderr as FILE:LINE:COL: error: MESSAGE.
`

/** validateCommand runs `lb-routes validate`. */
export async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('validate', args, {
    routes: { type: 'string' },
    'allowed-internet-hosts': { type: 'string' }
  })
  if (flags.help) {
    io.stdout(VALIDATE_HELP)
    return 0
  }
  const file = flags.routes ?? 'routes.json'
  const policy = splitList(flags['allowed-internet-hosts'])
  const parsed = parseRoutes(await readUserFile(io, file, '--routes'), {
    file,
    ...(policy ? { policyAllowedInternetHosts: policy } : {})
  })
  const diagnostics: Diagnostic[] = [...parsed.diagnostics]
  let summary = ''
  if (parsed.config && !hasErrors(diagnostics)) {
    const view = offlineView(parsed.config)
    for (const f of view.failures) {
      diagnostics.push({
        severity: 'error',
        file,
        line: f.test.at.line,
        column: f.test.at.column,
        message: `route test failed: ${f.message}`
      })
    }
    summary = `${file}: ok — ${parsed.config.routes.length} route(s), ${view.cases.length} route test(s) passed offline\n`
  }
  printDiagnostics(io, diagnostics)
  if (hasErrors(diagnostics)) return 1
  io.stdout(summary)
  return 0
}
