// `lb-routes plan` and `lb-routes apply` against live APIs (or the emulator via GOOGLE_*_CUSTOM_ENDPOINT).
import { hasErrors, type Diagnostic } from '../../core/diagnostics.js'
import { hasChanges } from '../../core/plan/model.js'
import {
  renderApplyText,
  renderPlanJson,
  renderPlanMarkdown,
  renderPlanText
} from '../../core/render/index.js'
import { parsePlanJson } from '../../core/review/plan-json.js'
import { reviewedFromPlan } from '../../core/review/reviewed.js'
import { renderSnapshotJson, type Snapshot } from '../../core/rollback/snapshot.js'
import { applyRoutes } from '../engine/apply-routes.js'
import { parseForPlan, planRoutes, type PlanRoutesInput } from '../engine/plan-routes.js'
import { DEFAULT_CONCURRENCY, parseConcurrency } from '../engine/schedule.js'
import type { Logger } from '../logger.js'
import { parseFlags } from './args.js'
import { readTenancy, TENANCY_FLAGS, TENANCY_HELP } from './tenancy.js'
import { cliVerifySettings, printVerify, verifyRoutes } from './verify.js'
import {
  clientsFromEnv,
  loggerFor,
  printDiagnostics,
  readUserFile,
  splitList,
  UsageError,
  writeUserFile,
  type CliIo
} from './io.js'
import { errorMessage } from '../../core/error-message.js'

export const ENV_HELP = `Google endpoints and credentials (as the Terraform provider):
  GOOGLE_OAUTH_ACCESS_TOKEN            a static access token; otherwise Application Default Credentials
  GOOGLE_COMPUTE_CUSTOM_ENDPOINT       e.g. http://127.0.0.1:8089/compute/v1/ (the bundled emulator)
  GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT  e.g. http://127.0.0.1:8089/v2/
  LB_ROUTES_DEBUG=1                    log every API call to stderr
`

export const PLAN_HELP = `Usage: lb-routes plan [--routes FILE] [--adopt] [--out plan.json] [--markdown FILE] [--json]

Reads the live URL map, backend services and NEGs (list calls), merges this owner's routes into the
shared URL map without touching anyone else's rules, and shows what apply would change, with checks:
route tests, urlMaps.validate, Cloud Run preflight, quota headroom and hop count.

Options:
  --routes FILE                   routes file (default ./routes.json)
  --out FILE                      write the plan as JSON (for lb-routes apply --plan)
  --markdown FILE                 write the pull-request comment (markdown) to FILE, also when the
                                  plan has errors (exit status stays 1)
  --json                          print the plan as JSON instead of text (also when the plan has errors:
                                  its "errors" lists them; exit status stays 1)
  --adopt                         take over hand-built NEGs and backend services that match routes.json
                                  in place (adopt actions: ownership marker added, nothing recreated)
${TENANCY_HELP}
  --allowed-internet-hosts LIST   without a policy: the load balancer owner's list for internet targets
  -h, --help                      show this help

Exit status: 0 no changes, 2 changes pending, 1 error (like terraform plan -detailed-exitcode).

${ENV_HELP}`

export const APPLY_HELP = `Usage: lb-routes apply [--routes FILE] [--plan plan.json] [--snapshot FILE] [--verify-url URL]
                       [--concurrency N]

Plans again against live state and applies it as a dependency graph: each route's NEG, then its
endpoint and backend service, then one URL map update with its fingerprint (re-merged and retried on
412 while this owner's changes are unchanged) once they all exist, then deletions in reverse. Safe to
re-run: an apply that stopped half-way converges on the next run.

Options:
  --routes FILE                   routes file (default ./routes.json)
  --plan FILE                     a plan saved with plan --out; refused if live state or routes.json
                                  changed it since (the fresh plan's planId must match)
  --snapshot FILE                 before the first change, save the state of everything the apply
                                  touches to FILE (undo it with lb-routes rollback --from FILE)
${TENANCY_HELP}
  --allowed-internet-hosts LIST   without a policy: the load balancer owner's list for internet targets
  --verify-url URL                after a successful apply (or no changes), send every route test through
                                  the load balancer at URL until each answers (see lb-routes verify --help)
  --verify-timeout DURATION       how long a route may take to come up: 90s, 10m, plain seconds (default 10m)
  --verify-tests all|declared     probe declared and generated tests (default all), or only routes.json tests
  --concurrency N                 operations in flight per project (default ${DEFAULT_CONCURRENCY}); Compute's
                                  per-minute rate quota is respected either way, and a rate limit halves it
  -h, --help                      show this help

Exit status: 0 applied (or nothing to do) and verified, 1 error, refused, failed or a route never came up.

${ENV_HELP}`

export const ADOPT_HELP = `Usage: lb-routes adopt [--routes FILE] [--plan plan.json] [--snapshot FILE] [--verify-url URL]

Apply with adoption: takes over, in place, the hand-built NEGs and backend services that match
routes.json (same endpoint or Cloud Run service; same NEGs and Host header) by writing this owner's
marker into their descriptions, keeping what they said after it. Nothing is recreated, so there is no
downtime; URL-map rules that already route as routes.json says stay as they are and become this
owner's. Review it first with lb-routes plan --adopt. A NEG's description cannot change in place, so
the backend service that uses an adopted NEG records it (adopted-negs=...) in its own marker.

Options:
  --routes FILE                   routes file (default ./routes.json)
  --plan FILE                     a plan saved with plan --adopt --out; refused if it changed since
  --snapshot FILE                 save the state before the first change (see lb-routes apply --help)
${TENANCY_HELP}
  --allowed-internet-hosts LIST   without a policy: the load balancer owner's list for internet targets
  --verify-url URL                after the apply, probe every route (see lb-routes verify --help)
  -h, --help                      show this help

Exit status: 0 applied (or nothing to do), 1 error, refused or failed.

${ENV_HELP}`

const planFlags = {
  routes: { type: 'string' },
  out: { type: 'string' },
  markdown: { type: 'string' },
  json: { type: 'boolean' },
  adopt: { type: 'boolean' },
  'allowed-internet-hosts': { type: 'string' },
  ...TENANCY_FLAGS
} as const

/** The routes file parsed once, and what plan, apply and drift need to run on it (absent on a file error). */
export interface EngineInput {
  readonly diagnostics: readonly Diagnostic[]
  readonly input?: PlanRoutesInput
}

/** The flags that say whose rules apply: the owners policy, the calling repository, the fallback allow-list. */
export interface EngineFlags {
  readonly 'allowed-internet-hosts'?: string
  readonly policy?: string
  readonly repository?: string
}

/**
 * engineInput builds the clients, reads the owners policy (--policy, --repository), then reads and parses the
 * routes file with it. Commands that write (`writes`) warn when there is no policy.
 */
export async function engineInput(
  io: CliIo,
  file: string,
  flags: EngineFlags,
  logger: Logger,
  writes = false
): Promise<EngineInput> {
  const allowList = splitList(flags['allowed-internet-hosts'])
  const { tenancy, failed } = await readTenancy(io, flags, writes)
  if (failed) return { diagnostics: [] }
  const clients = clientsFromEnv(io, logger)
  const parsed = parseForPlan({
    file,
    bytes: await readUserFile(io, file, '--routes'),
    ...(allowList ? { policyAllowedInternetHosts: allowList } : {}),
    ...(tenancy ? { tenancy } : {})
  })
  if (!parsed.config) return { diagnostics: parsed.diagnostics }
  return {
    diagnostics: parsed.diagnostics,
    input: {
      file,
      config: parsed.config,
      clients,
      now: io.now(),
      ...(allowList ? { policyAllowedInternetHosts: allowList } : {}),
      ...(tenancy ? { tenancy } : {})
    }
  }
}

/** planCommand runs `lb-routes plan`. */
export async function planCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('plan', args, planFlags)
  if (flags.help) {
    io.stdout(PLAN_HELP)
    return 0
  }
  const file = flags.routes ?? 'routes.json'
  const logger = loggerFor(io)
  const engine = await engineInput(io, file, flags, logger)
  const result = engine.input
    ? await planRoutes({ ...engine.input, ...(flags.adopt ? { adopt: true } : {}) })
    : undefined
  const diagnostics = [...engine.diagnostics, ...(result?.diagnostics ?? [])]
  printDiagnostics(io, diagnostics)
  // The comment is written for a failing plan too (verdict and errors first), so reviewers and tests see it.
  if (result?.plan && flags.markdown) await writeUserFile(io, flags.markdown, renderPlanMarkdown(result.plan))
  // So does the JSON, which carries the errors; --out is not written, as a failing plan cannot be applied.
  if (result?.plan && flags.json && hasErrors(diagnostics)) io.stdout(renderPlanJson(result.plan))
  if (!result?.plan || hasErrors(diagnostics)) return 1
  const plan = result.plan
  if (flags.out) await writeUserFile(io, flags.out, renderPlanJson(plan))
  io.stdout(flags.json ? renderPlanJson(plan) : renderPlanText(plan, { color: io.color }))
  return hasChanges(plan) ? 2 : 0
}

/** applyCommand runs `lb-routes apply`. */
export function applyCommand(args: string[], io: CliIo): Promise<number> {
  return applyOrAdopt('apply', args, io)
}

/** cliConcurrency reads --concurrency (undefined when not given). */
export function cliConcurrency(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  try {
    return parseConcurrency(value)
  } catch (err) {
    throw new UsageError(`--concurrency ${errorMessage(err)}`)
  }
}

/** adoptCommand runs `lb-routes adopt`: apply, taking over matching hand-built resources in place. */
export function adoptCommand(args: string[], io: CliIo): Promise<number> {
  return applyOrAdopt('adopt', args, io)
}

async function applyOrAdopt(command: 'apply' | 'adopt', args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags(command, args, {
    routes: { type: 'string' },
    plan: { type: 'string' },
    snapshot: { type: 'string' },
    'allowed-internet-hosts': { type: 'string' },
    ...TENANCY_FLAGS,
    'verify-url': { type: 'string' },
    'verify-timeout': { type: 'string' },
    'verify-tests': { type: 'string' },
    concurrency: { type: 'string' }
  })
  if (flags.help) {
    io.stdout(command === 'adopt' ? ADOPT_HELP : APPLY_HELP)
    return 0
  }
  const verify = cliVerifySettings(
    { url: '--verify-url', timeout: '--verify-timeout', tests: '--verify-tests' },
    flags['verify-url'],
    flags['verify-timeout'],
    flags['verify-tests']
  )
  const concurrency = cliConcurrency(flags.concurrency)
  const file = flags.routes ?? 'routes.json'
  let reviewed
  if (flags.plan) {
    const text = Buffer.from(await readUserFile(io, flags.plan, '--plan')).toString('utf8')
    try {
      reviewed = reviewedFromPlan(parsePlanJson(text))
    } catch (err) {
      throw new UsageError(`${flags.plan}: not a plan saved by lb-routes plan --out: ${errorMessage(err)}`)
    }
  }
  const logger = loggerFor(io)
  const engine = await engineInput(io, file, flags, logger, true)
  if (!engine.input) {
    printDiagnostics(io, engine.diagnostics)
    return 1
  }
  const out = await applyRoutes({
    ...engine.input,
    logger,
    ...(concurrency ? { concurrency } : {}),
    ...(reviewed ? { reviewed } : {}),
    ...(flags.snapshot
      ? {
          onSnapshot: async (s: Snapshot) => {
            await writeUserFile(io, flags.snapshot!, renderSnapshotJson(s))
            logger.info(
              `snapshot written to ${flags.snapshot} (lb-routes rollback --from ${flags.snapshot} undoes this apply)`
            )
          }
        }
      : {}),
    ...(command === 'adopt' ? { adopt: true } : {}),
    // Each step is printed once, in the summary on stdout; LB_ROUTES_DEBUG=1 also shows them as they finish.
    onStep: (s) =>
      logger.debug(`${s.status === 'done' ? '✓' : s.status === 'failed' ? '✗' : '·'} ${s.action} ${s.key}`)
  })
  printDiagnostics(io, [...engine.diagnostics, ...out.diagnostics])
  if (!out.result) return 1
  io.stdout(renderApplyText(out.result, { color: io.color }))
  const ok = out.result.status === 'applied' || out.result.status === 'no-changes'
  if (!ok) return 1
  if (!verify || !out.config) return 0
  io.stdout('\n')
  return printVerify(io, await verifyRoutes(io, out.config, verify), false)
}
