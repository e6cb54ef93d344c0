// `lb-routes validate`: schema + semantic checks and the offline route tests, no network.
import { hasErrors, type Diagnostic } from '../../core/diagnostics.js'
import { offlineView } from '../../core/plan/offline.js'
import { parseRoutes } from '../../core/routes/parse.js'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Tenancy } from '../../core/policy/model.js'
import { parseFlags } from './args.js'
import { callingRepository, readPolicy, TENANCY_FLAGS, TENANCY_HELP } from './tenancy.js'
import { printDiagnostics, readUserFile, splitList, type CliIo } from './io.js'

export const VALIDATE_HELP = `Usage: lb-routes validate [--routes FILE] [--policy FILE [--repository OWNER/REPO]]

Checks a routes.json offline: JSON syntax (comments allowed), the schema, the semantic rules
(names, hosts, paths, targets, conflicts between routes) and the route tests (the file's own
"tests" plus one generated for every host and path) against the URL map the routes compile to.
With --policy it also checks the policy file itself and the routes against what it grants the calling
repository's owner; with --policy and no routes file it checks only the policy (the platform's CI).

Options:
  --routes FILE                   routes file (default ./routes.json)
${TENANCY_HELP}
  --allowed-internet-hosts LIST   without a policy: comma-separated hosts or *.suffix wildcards that
                                  allowedInternetHosts may contain (the load balancer owner's list)
  -h, --help                      show this help

Exit status: 0 valid, 1 invalid. Diagnostics go to stderr as FILE:LINE:COL: error: MESSAGE.
`

/** validateCommand runs `lb-routes validate`. */
export async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('validate', args, {
    routes: { type: 'string' },
    'allowed-internet-hosts': { type: 'string' },
    ...TENANCY_FLAGS
  })
  if (flags.help) {
    io.stdout(VALIDATE_HELP)
    return 0
  }
  const file = flags.routes ?? 'routes.json'
  let tenancy: Tenancy | undefined
  if (flags.policy !== undefined) {
    const policy = await readPolicy(io, flags.policy)
    if (!policy) return 1
    if (flags.routes === undefined && !existsSync(resolve(io.cwd, file))) {
      io.stdout(
        `${flags.policy}: ok — ${Object.keys(policy.owners).length} owner(s), ${policy.trustedWorkflows.length} trusted workflow(s)\n`
      )
      return 0
    }
    tenancy = { policy, repository: callingRepository(io, flags.repository) }
  }
  const allowList = splitList(flags['allowed-internet-hosts'])
  const parsed = parseRoutes(await readUserFile(io, file, '--routes'), {
    file,
    ...(allowList ? { policyAllowedInternetHosts: allowList } : {}),
    ...(tenancy ? { tenancy } : {})
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
    summary = `${file}: ok — ${parsed.config.routes.length} route(s), ${view.cases.length} route test(s) passed offline${tenancy ? `, within ${tenancy.policy.file} for ${tenancy.repository}` : ''}\n`
  }
  printDiagnostics(io, diagnostics)
  if (hasErrors(diagnostics)) return 1
  io.stdout(summary)
  return 0
}
