// `lb-routes emulator` (DESIGN.md §7, §8): parse flags, seed state, print exactly one listening line,
// serve until SIGINT/SIGTERM (or `io.signal`, the seam tests and the CLI entry use), exit 0.
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { formatDiagnostic, hasErrors } from '../core/diagnostics.js'
import { parseRoutes } from '../core/routes/parse.js'
import { seedFrom } from './seed.js'
import { startEmulator, type EmulatorOptions } from './server.js'
import type { EmulatorState } from './types.js'
import { errorMessage } from '../core/error-message.js'

/** What the command may touch; `signal` ends it (without it, SIGINT/SIGTERM do). */
export interface EmulatorIo {
  readonly stdout: (s: string) => void
  readonly stderr: (s: string) => void
  readonly signal?: AbortSignal
  /** Directory `--state` is relative to (default: the process's). */
  readonly cwd?: string
}

/** The `lb-routes emulator --help` text: every flag and admin endpoint. */
export const EMULATOR_HELP = `lb-routes emulator — a local stand-in for the Google APIs lb-routes uses.

Usage: lb-routes emulator [--port N] [--host HOST] [--state FILE] [--seed-from ROUTES] [--latency-ms N]
                          [--operation-ms N] [--faults SPEC]

Serves on one port (bound to 127.0.0.1 unless --host says otherwise):
  /compute/v1/   Compute Engine v1: global and regional network endpoint groups, backend services,
                 URL maps (incl. validate), target HTTP(S) proxies, SSL certificates, global
                 addresses, global forwarding rules, global and regional operations (get, wait, list)
  /v2/           Cloud Run Admin v2: services get, list, :getIamPolicy (read-only, from --state)
  /v1/token      STS token exchange of a GitHub-style OIDC JWT (form or JSON body)
  /v1/projects/-/serviceAccounts/SA:generateAccessToken   IAM Credentials (needs an STS token)
Point lb-routes at it with GOOGLE_COMPUTE_CUSTOM_ENDPOINT=URL/compute/v1/,
GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT=URL/v2/, GOOGLE_STS_CUSTOM_ENDPOINT=URL/v1/ and
GOOGLE_IAM_CREDENTIALS_CUSTOM_ENDPOINT=URL/v1/.

Options:
  --port N           port to listen on; 0 (default) picks a free one
  --host HOST        address to bind (default 127.0.0.1)
  --state FILE       seed state: {"projects": {"<id>": {"urlMaps": [...], "backendServices": [...],
                     "globalNetworkEndpointGroups": [...], "regionNetworkEndpointGroups": {"<region>": [...]},
                     "globalForwardingRules": [...], "targetHttpProxies": [...], "targetHttpsProxies": [...],
                     "sslCertificates": [...], "globalAddresses": [...],
                     "runServices": {"<region>": [{"name", "uri", "ingress", "invokerMembers"}]}}},
                     "serviceAccounts": {"<email>": {"projects": [...]}},
                     "tokens": {"<static token>": {"projects": [...]}},
                     "federatedSubjects": {"<jwt sub>": {"projects": [...]}}}
                     Missing collections are empty; missing ids, selfLinks, fingerprints are filled in.
  --seed-from ROUTES also create, public and serving (ingress all, allUsers invoker), every Cloud Run service
                     that routes.json targets by project/region/service or as serverless regions, and the
                     shared URL map it names if the state has none (default: an unmanaged backend), so
                     \`lb-routes plan --routes ROUTES\` works against the emulator at once
  --latency-ms N     delay every API response by N ms (default 0)
  --operation-ms N   operations stay RUNNING for N ms, then DONE (default 0); the change itself is
                     visible at once
  --faults SPEC      inject errors: STATUS:RATE[,...] on mutating requests (e.g. 503:0.1,429:0.05), or
                     METHOD=STATUS:RATE on one API method (e.g. compute.urlMaps.update=503:1);
                     403 is Compute's rate limit (403 rateLimitExceeded), e.g. --faults 403:0.1
  -h, --help         show this help

Identity: a token from generateAccessToken for SA@P.iam.gserviceaccount.com works on project P and on the
projects serviceAccounts grants it (403 elsewhere); STS tokens and other bearer tokens work everywhere
unless federatedSubjects / tokens restrict them; no token is accepted.

Admin endpoints (same port, JSON):
  GET  /_emulator/state       export the whole state (the --state format)
  PUT  /_emulator/state       replace the whole state
  GET  /_emulator/requests    request log: [{time, method, path, status, principal, api}]
  GET  /_emulator/counters    calls per API method, e.g. {"compute.urlMaps.update": 3}
  GET  /_emulator/faults      the current fault spec
  PUT  /_emulator/faults      {"faults": "503:0.1,429:0.05"} (empty string: none)
  POST /_emulator/fail-next   {"method": "compute.backendServices.insert", "code": "QUOTA_EXCEEDED"}:
                              the next such operation ends DONE with that error and changes nothing
  POST /_emulator/reset       back to the start-up state and faults; forget operations, tokens, log, counters

Stops cleanly on SIGINT or SIGTERM (exit 0).
`

const FLAGS = new Set([
  '--port',
  '--host',
  '--state',
  '--seed-from',
  '--latency-ms',
  '--operation-ms',
  '--faults'
])

/** emulatorCommand runs `lb-routes emulator`; resolves with the exit code once the server stops. */
export async function emulatorCommand(args: string[], io: EmulatorIo): Promise<number> {
  const flags: Record<string, string> = {}
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '-h' || arg === '--help') {
      io.stdout(EMULATOR_HELP)
      return 0
    }
    const eq = arg.indexOf('=')
    const name = eq > 0 ? arg.slice(0, eq) : arg
    if (!FLAGS.has(name)) return usage(io, `unknown option ${JSON.stringify(arg)}`)
    const value = eq > 0 ? arg.slice(eq + 1) : args[++i]
    if (value === undefined) return usage(io, `${name} needs a value`)
    flags[name] = value
  }
  const opts: EmulatorOptions = { host: flags['--host'] ?? '127.0.0.1' }
  for (const [flag, key, max] of [
    ['--port', 'port', 65535],
    ['--latency-ms', 'latencyMs', 3_600_000],
    ['--operation-ms', 'operationMs', 86_400_000]
  ] as const) {
    const v = flags[flag]
    if (v === undefined) continue
    const n = Number(v)
    if (!/^\d+$/.test(v) || n > max)
      return usage(io, `${flag} must be an integer from 0 to ${max}, got ${JSON.stringify(v)}`)
    opts[key] = n
  }
  if (flags['--faults'] !== undefined) opts.faults = flags['--faults']
  const stateFile = flags['--state']
  if (stateFile !== undefined) {
    const read = await readText(io, stateFile)
    if (typeof read === 'number') return read
    try {
      opts.state = JSON.parse(read) as EmulatorState
    } catch (e) {
      return usage(io, `${stateFile}: invalid JSON: ${errorMessage(e)}`)
    }
  }
  const seedFile = flags['--seed-from']
  if (seedFile !== undefined) {
    const read = await readText(io, seedFile)
    if (typeof read === 'number') return read
    const parsed = parseRoutes(read, { file: seedFile })
    if (!parsed.config || hasErrors(parsed.diagnostics)) {
      for (const d of parsed.diagnostics) io.stderr(formatDiagnostic(d) + '\n')
      return 1
    }
    opts.state = seedFrom(opts.state ?? { projects: {} }, parsed.config)
  }
  let emulator
  try {
    emulator = await startEmulator(opts)
  } catch (e) {
    return usage(
      io,
      `${stateFile && e instanceof Error && e.name === 'StateError' ? `${stateFile}: ` : ''}${errorMessage(e)}`
    )
  }
  io.stdout(`lb-routes emulator listening on ${emulator.url}\n`)
  await stopped(io.signal)
  await emulator.close()
  return 0
}

async function readText(io: EmulatorIo, file: string): Promise<string | number> {
  try {
    return await readFile(resolve(io.cwd ?? process.cwd(), file), 'utf8')
  } catch (e) {
    return usage(io, `${file}: cannot read: ${errorMessage(e)}`)
  }
}

function usage(io: EmulatorIo, message: string): number {
  io.stderr(`error: lb-routes emulator: ${message}\n`)
  return 1
}

function stopped(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal) {
      if (signal.aborted) return resolve()
      signal.addEventListener('abort', () => resolve(), { once: true })
      return
    }
    const done = (): void => {
      process.off('SIGINT', done)
      process.off('SIGTERM', done)
      resolve()
    }
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
  })
}
