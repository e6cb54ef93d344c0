// `lb-routes rollback --from FILE`: put back what one apply changed, from the snapshot it saved.
import { hasChanges } from '../../core/plan/model.js'
import { renderApplyText, renderPlanJson, renderPlanText } from '../../core/render/index.js'
import {
  parseSnapshot,
  renderSnapshotJson,
  snapshotMismatch,
  type Snapshot
} from '../../core/rollback/snapshot.js'
import { parseRoutes } from '../../core/routes/parse.js'
import { terminalText } from '../../core/render/escape.js'
import { rollbackRoutes } from '../engine/rollback-routes.js'
import type { Tenancy } from '../../core/policy/model.js'
import type { RoutesConfig } from '../../core/routes/model.js'
import type { SnapshotAllowance } from '../../core/rollback/check-snapshot.js'
import { DEFAULT_CONCURRENCY } from '../engine/schedule.js'
import { parseFlags } from './args.js'
import { readTenancy, TENANCY_FLAGS } from './tenancy.js'
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
import { cliConcurrency, ENV_HELP } from './plan.js'

export const ROLLBACK_HELP = `Usage: lb-routes rollback --from FILE [--dry-run] [--snapshot FILE] [--routes FILE] [--json]
                          [--concurrency N]

Puts back what one apply changed, from the snapshot it saved (apply --snapshot FILE; in the action, the
snapshot-file output and its workflow artifact). Resources the apply created are deleted, those it changed
get their earlier settings back, those it deleted are recreated (NEG endpoints included), and this owner's
URL map rules return to what they were — merged into the map as it is now, with its fingerprint, so other
owners' later changes and unmanaged rules stay as they are. The owner's other resources are left alone.
Refused when a resource to restore is now held by another owner or is not lb-routes', or when a host/path
the owner had is now someone else's. Every body in the snapshot is checked like a compiled resource before
anything is written: ownership markers, request headers (no CR/LF), route actions, NEG endpoints within
the allowed internet hosts, and with --policy the owner, projects, hosts and defaults the policy grants.
Safe to re-run: a rollback that stopped half-way converges.

Options:
  --from FILE       the snapshot to roll back to (required)
  --dry-run         show the rollback plan and change nothing (exit 2 when there is something to undo)
  --snapshot FILE   save the before-state of this rollback first, so it can be rolled back in turn
  --routes FILE     refuse unless the snapshot is for this routes file's owner and load balancer
                    (its allowedInternetHosts also count as allowed endpoints without a policy)
  --policy FILE     the owners policy: the snapshot must be the calling repository's owner's, and
                    what it restores must be granted (see lb-routes plan --help)
  --repository OWNER/REPO
                    the calling repository (default $GITHUB_REPOSITORY)
  --allowed-internet-hosts LIST
                    without a policy: hosts the snapshot's Internet NEG endpoints may point at
                    (*.run.app always may)
  --json            print the plan (--dry-run) or the apply result as JSON
  --concurrency N   operations in flight per project (default ${DEFAULT_CONCURRENCY})
  -h, --help        show this help

Exit status: 0 rolled back (or nothing to undo), 2 (--dry-run) changes pending, 1 error or refused.

${ENV_HELP}`

/** readSnapshot reads and checks a snapshot file (its bodies against `allowance`); problems print as FILE:LINE:COL errors. */
export async function readSnapshot(
  io: CliIo,
  file: string,
  allowance: SnapshotAllowance = {}
): Promise<Snapshot | undefined> {
  const text = Buffer.from(await readUserFile(io, file, '--from')).toString('utf8')
  const parsed = parseSnapshot(text, file, allowance)
  printDiagnostics(io, parsed.diagnostics)
  return parsed.snapshot
}

/**
 * checkedSnapshot reads --policy, --routes and the snapshot, checking the snapshot against both (and the
 * allow-list); undefined after printing why it may not be restored.
 */
async function checkedSnapshot(
  io: CliIo,
  from: string,
  flags: {
    policy?: string
    repository?: string
    routes?: string
    'dry-run'?: boolean
    'allowed-internet-hosts'?: string
  }
): Promise<{ snapshot: Snapshot; tenancy?: Tenancy } | undefined> {
  const { tenancy, failed } = await readTenancy(io, flags, flags['dry-run'] !== true)
  if (failed) return undefined
  let config: RoutesConfig | undefined
  if (flags.routes) {
    const bytes = await readUserFile(io, flags.routes, '--routes')
    const parsed = parseRoutes(bytes, { file: flags.routes, ...(tenancy ? { tenancy } : {}) })
    printDiagnostics(io, parsed.diagnostics)
    if (!parsed.config) return undefined
    config = parsed.config
  }
  const internetHosts = [
    ...(splitList(flags['allowed-internet-hosts']) ?? []),
    ...(config?.allowedInternetHosts ?? [])
  ]
  const snapshot = await readSnapshot(io, from, { ...(tenancy ? { tenancy } : {}), internetHosts })
  if (!snapshot) return undefined
  const mismatch = config && snapshotMismatch(snapshot, config)
  if (mismatch) throw new UsageError(`${from}: ${mismatch}`)
  return { snapshot, ...(tenancy ? { tenancy } : {}) }
}

/** rollbackCommand runs `lb-routes rollback`. */
export async function rollbackCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('rollback', args, {
    from: { type: 'string' },
    'dry-run': { type: 'boolean' },
    snapshot: { type: 'string' },
    routes: { type: 'string' },
    json: { type: 'boolean' },
    'allowed-internet-hosts': { type: 'string' },
    concurrency: { type: 'string' },
    ...TENANCY_FLAGS
  })
  if (flags.help) {
    io.stdout(ROLLBACK_HELP)
    return 0
  }
  if (!flags.from)
    throw new UsageError('lb-routes rollback: --from FILE is required (the snapshot apply saved); see --help')
  const checked = await checkedSnapshot(io, flags.from, flags)
  if (!checked) return 1
  const { snapshot, tenancy } = checked
  const concurrency = cliConcurrency(flags.concurrency)
  const logger = loggerFor(io)
  const dryRun = flags['dry-run'] === true
  logger.info(
    `rolling back apply ${snapshot.planId} of owner ${snapshot.owner} on ${snapshot.loadBalancer.project}/${snapshot.loadBalancer.urlMap} (snapshot taken ${terminalText(snapshot.takenAt)})`
  )
  const out = await rollbackRoutes({
    snapshot,
    compute: clientsFromEnv(io, logger).compute,
    now: io.now(),
    dryRun,
    logger,
    ...(tenancy ? { tenancy } : {}),
    ...(concurrency ? { concurrency } : {}),
    ...(flags.snapshot
      ? {
          onSnapshot: async (s: Snapshot) => {
            await writeUserFile(io, flags.snapshot!, renderSnapshotJson(s))
            logger.info(
              `snapshot of this rollback written to ${flags.snapshot} (lb-routes rollback --from it undoes it)`
            )
          }
        }
      : {}),
    // Each step is printed once, in the summary on stdout; LB_ROUTES_DEBUG=1 also shows them as they finish.
    onStep: (s) =>
      logger.debug(`${s.status === 'done' ? '✓' : s.status === 'failed' ? '✗' : '·'} ${s.action} ${s.key}`)
  })
  for (const p of out.problems) io.stderr(`${flags.from}: error: ${p}\n`)
  if (out.problems.length > 0) {
    io.stderr(`error: rollback refused; nothing was changed\n`)
    return 1
  }
  if (dryRun || !out.result) {
    io.stdout(
      flags.json ? renderPlanJson(out.plan) : renderPlanText(out.plan, { color: io.color, verb: 'rollback' })
    )
    return hasChanges(out.plan) ? 2 : 0
  }
  if (flags.json) io.stdout(JSON.stringify(out.result, null, 2) + '\n')
  else if (out.result.status === 'no-changes')
    io.stdout(
      `No changes. Owner ${snapshot.owner}'s part of the load balancer is already as it was before apply ${snapshot.planId}.\n`
    )
  else {
    if (hasChanges(out.plan)) io.stdout(renderPlanText(out.plan, { color: io.color, verb: 'rollback' }))
    io.stdout(renderApplyText(out.result, { color: io.color }))
  }
  return out.result.status === 'applied' || out.result.status === 'no-changes' ? 0 : 1
}
