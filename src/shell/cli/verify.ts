// `lb-routes verify` and apply's --verify-url: send every route test through the real load balancer and
// wait until each answers (or the timeout runs out), reporting status, latency and attempts per route.
import { hasErrors } from '../../core/diagnostics.js'
import type { RoutesConfig } from '../../core/routes/model.js'
import { parseRoutes } from '../../core/routes/parse.js'
import { terminalText } from '../../core/render/escape.js'
import { renderVerifyJson, renderVerifyText } from '../../core/render/verify.js'
import {
  verifyFailureMessage,
  verifyPassed,
  verifySettings,
  type VerifyReport,
  type VerifySettings
} from '../../core/verify/probes.js'
import { probeRoutes } from '../verify/run-probes.js'
import { parseFlags } from './args.js'
import { loggerFor, printDiagnostics, readUserFile, splitList, UsageError, type CliIo } from './io.js'

export const VERIFY_HELP = `Usage: lb-routes verify [--routes FILE] --url URL [--timeout 10m] [--tests all|declared] [--json]

Sends every route test of routes.json (its tests, plus one generated per host and path unless
--tests declared) as a real GET request through the load balancer at URL, with the test's Host header
(and, over https, that host as TLS server name). A request passes when the load balancer answers
200-399 (redirects are not followed), or the status a test names in "expect": {"status": 401}. A failing
request is retried with backoff (1 s doubling to 15 s) until it passes or the timeout runs out: a new URL
map takes minutes to reach every Google front end. Needs no Google credentials.

A host pattern "*" is probed with URL's own host; "*.example.com" with lb-routes-test.example.com, and a
path "/x/*" as "/x/lb-routes-test". A service that answers 404 on such made-up paths can be probed with
--tests declared and explicit tests instead.

Options:
  --routes FILE                   routes file (default ./routes.json)
  --url URL                       the load balancer, e.g. https://www.example.com or http://203.0.113.7
  --timeout DURATION              how long a route may take to come up: 90s, 10m, or plain seconds
                                  (default 10m)
  --tests all|declared            probe declared and generated tests (default all), or only routes.json tests
  --json                          print the report as JSON
  --allowed-internet-hosts LIST   the load balancer owner's policy for internet targets
  -h, --help                      show this help

Exit status: 0 every route answered, 1 a route never came up (named on stderr) or an error.
`

/** cliVerifySettings checks verify's or apply's flags; a bad value is a usage error naming the flag. */
export function cliVerifySettings(
  names: { url: string; timeout: string; tests: string },
  url: string | undefined,
  timeout: string | undefined,
  tests: string | undefined
): VerifySettings | undefined {
  const checked = verifySettings(names, url, timeout, tests)
  if (checked.error) throw new UsageError(checked.error)
  return checked.settings
}

/** verifyRoutes probes the config's route tests through the load balancer, logging failed attempts to stderr. */
export function verifyRoutes(
  io: CliIo,
  config: RoutesConfig,
  settings: VerifySettings
): Promise<VerifyReport> {
  const logger = loggerFor(io)
  return probeRoutes(config, settings, (line) => logger.info(line))
}

/** printVerify prints the report (text or JSON) and returns the exit code: 0 all passed, 1 otherwise. */
export function printVerify(io: CliIo, report: VerifyReport, json: boolean): number {
  io.stdout(json ? renderVerifyJson(report) : renderVerifyText(report, { color: io.color }))
  if (verifyPassed(report)) return 0
  io.stderr(`error: ${terminalText(verifyFailureMessage(report))}\n`)
  return 1
}

/** verifyCommand runs `lb-routes verify`. */
export async function verifyCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('verify', args, {
    routes: { type: 'string' },
    url: { type: 'string' },
    timeout: { type: 'string' },
    tests: { type: 'string' },
    json: { type: 'boolean' },
    'allowed-internet-hosts': { type: 'string' }
  })
  if (flags.help) {
    io.stdout(VERIFY_HELP)
    return 0
  }
  const settings = cliVerifySettings(
    { url: '--url', timeout: '--timeout', tests: '--tests' },
    flags.url,
    flags.timeout,
    flags.tests
  )
  if (!settings)
    throw new UsageError('lb-routes verify needs --url URL (the load balancer, e.g. https://www.example.com)')
  const file = flags.routes ?? 'routes.json'
  const policy = splitList(flags['allowed-internet-hosts'])
  const parsed = parseRoutes(await readUserFile(io, file, '--routes'), {
    file,
    ...(policy ? { policyAllowedInternetHosts: policy } : {})
  })
  printDiagnostics(io, parsed.diagnostics)
  if (!parsed.config || hasErrors(parsed.diagnostics)) return 1
  return printVerify(io, await verifyRoutes(io, parsed.config, settings), flags.json === true)
}
