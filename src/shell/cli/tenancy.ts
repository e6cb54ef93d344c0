// --policy FILE and --repository OWNER/REPO (DESIGN.md §4.2, §7): the owners policy and the calling
// repository, read once for validate, plan, apply, adopt, rollback and drift.
import { hasErrors } from '../../core/diagnostics.js'
import type { Policy, Tenancy } from '../../core/policy/model.js'
import { parsePolicy } from '../../core/policy/parse.js'
import { printDiagnostics, readUserFile, UsageError, type CliIo } from './io.js'

/** The flags every policy-aware command takes. */
export const TENANCY_FLAGS = {
  policy: { type: 'string' },
  repository: { type: 'string' }
} as const

/** Help lines for TENANCY_FLAGS, aligned with the other options. */
export const TENANCY_HELP = `  --policy FILE                   the load balancer owner's lb-policy.json: what the calling repository's
                                  owner may claim; without it nothing binds a repository to an owner
  --repository OWNER/REPO         the calling repository (default $GITHUB_REPOSITORY); with --policy it
                                  decides which owner routes.json may name`

const REPOSITORY = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/

/** What readTenancy found: the tenancy, none (no --policy), or a policy with errors (already printed). */
export type TenancyResult = { readonly tenancy?: Tenancy; readonly failed: boolean }

/** readPolicy reads and checks an lb-policy.json; its problems are printed as FILE:LINE:COL diagnostics. */
export async function readPolicy(io: CliIo, file: string): Promise<Policy | undefined> {
  const parsed = parsePolicy(await readUserFile(io, file, '--policy'), file)
  printDiagnostics(io, parsed.diagnostics)
  return hasErrors(parsed.diagnostics) ? undefined : parsed.policy
}

/** callingRepository is --repository, else GITHUB_REPOSITORY: the repository whose owner the policy decides. */
export function callingRepository(io: CliIo, flag: string | undefined): string {
  const repository = flag ?? io.env.GITHUB_REPOSITORY
  if (!repository)
    throw new UsageError(
      '--policy needs the calling repository to know its owner: pass --repository OWNER/REPO or set GITHUB_REPOSITORY'
    )
  if (!REPOSITORY.test(repository))
    throw new UsageError(`--repository ${repository}: expected OWNER/REPO, e.g. octo-org/web-routes`)
  return repository
}

/** readTenancy reads --policy and --repository (none without --policy; commands that write warn then). */
export async function readTenancy(
  io: CliIo,
  flags: { policy?: string; repository?: string },
  writes = false
): Promise<TenancyResult> {
  if (flags.policy === undefined) {
    if (writes) warnNoPolicy(io)
    return { failed: false }
  }
  const repository = callingRepository(io, flags.repository)
  const policy = await readPolicy(io, flags.policy)
  return policy ? { tenancy: { policy, repository }, failed: false } : { failed: true }
}

/** warnNoPolicy says, once, that without a policy nothing binds this repository to the owner it names. */
export function warnNoPolicy(io: CliIo): void {
  io.stderr(
    'warning: no --policy: nothing binds this repository to the owner its routes.json names (fine for a single team; a shared load balancer needs the owners policy, see examples/platform/)\n'
  )
}
