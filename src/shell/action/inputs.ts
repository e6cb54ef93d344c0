// Action inputs (action.yml), parsed and checked in one place; bad values name the input to fix.
import { verifySettings, type VerifySettings } from '../../core/verify/probes.js'
import { errorMessage } from '../../core/error-message.js'
import { parseConcurrency } from '../engine/schedule.js'

export type OnPlanChanged = 'refuse' | 'apply'
export type CommentMode = 'always' | 'on-change' | 'never'

export interface ActionInputs {
  readonly routesFile: string
  /** 'plan' | 'apply' | 'drift', or '' to choose from the event (push → apply, schedule and
   *  workflow_dispatch → drift, otherwise plan). */
  readonly command: '' | 'plan' | 'apply' | 'drift' | 'rollback'
  readonly workloadIdentityProvider: string
  readonly serviceAccount: string
  /** Service account per project id. */
  readonly serviceAccounts: Readonly<Record<string, string>>
  readonly githubToken: string
  readonly onPlanChanged: OnPlanChanged
  readonly comment: CommentMode
  /** Login whose comments carry trusted plan markers (the token's user). */
  readonly commentAuthor: string
  readonly allowedInternetHosts?: readonly string[]
  /** command rollback: path of the snapshot to roll back to (a downloaded snapshot artifact). */
  readonly rollbackFrom: string
  /** Probe every route through the load balancer after apply (input verify-url and friends). */
  readonly verify?: VerifySettings
  /** Take over matching hand-built NEGs and backend services in place (plan and apply; issue #6). */
  readonly adopt: boolean
  /** The GitHub environment that gates the apply job, named in the plan comment's "What happens next". */
  readonly environment?: string
  /** apply and rollback: operations in flight per project (input concurrency; default in schedule.ts). */
  readonly concurrency?: number
}

/** InputError names the input whose value is wrong. */
export class InputError extends Error {}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[], dflt: T): T {
  if (value === '') return dflt
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new InputError(`input ${name} must be one of ${allowed.join(', ')} (got "${value}")`)
}

/**
 * parseServiceAccounts reads the per-project map: one `project=sa@project.iam.gserviceaccount.com` per line
 * (or comma-separated), or a JSON object.
 */
export function parseServiceAccounts(text: string): Record<string, string> {
  const t = text.trim()
  if (!t) return {}
  if (t.startsWith('{')) {
    let v: unknown
    try {
      v = JSON.parse(t)
    } catch (err) {
      throw new InputError(`input service-accounts is not valid JSON: ${errorMessage(err)}`)
    }
    if (
      !v ||
      typeof v !== 'object' ||
      Array.isArray(v) ||
      Object.values(v).some((x) => typeof x !== 'string')
    ) {
      throw new InputError('input service-accounts must map project ids to service account emails')
    }
    return v as Record<string, string>
  }
  const out: Record<string, string> = {}
  for (const item of t
    .split(/[\n,]+/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([a-z][-a-z0-9]{4,28}[a-z0-9])\s*[=:]\s*(\S+@\S+)$/.exec(item)
    if (!m) throw new InputError(`input service-accounts: "${item}" is not "project=service-account-email"`)
    out[m[1]!] = m[2]!
  }
  return out
}

function inputConcurrency(value: string): number {
  try {
    return parseConcurrency(value)
  } catch (err) {
    throw new InputError(`input concurrency ${errorMessage(err)}`)
  }
}

/** readInputs reads every input through `get` (core.getInput in the action). */
export function readInputs(get: (name: string) => string): ActionInputs {
  const hosts = get('allowed-internet-hosts').trim()
  const opt = (name: string) => get(name).trim() || undefined
  // verify-timeout and verify-tests have action.yml defaults, so they only mean something with verify-url.
  const verifyUrl = opt('verify-url')
  const verify = verifySettings(
    { url: 'input verify-url', timeout: 'input verify-timeout', tests: 'input verify-tests' },
    verifyUrl,
    verifyUrl && opt('verify-timeout'),
    verifyUrl && opt('verify-tests')
  )
  if (verify.error) throw new InputError(verify.error)
  const concurrency = opt('concurrency')
  return {
    routesFile: get('routes-file') || 'routes.json',
    command:
      get('command') === ''
        ? ''
        : oneOf('command', get('command'), ['plan', 'apply', 'drift', 'rollback'] as const, 'plan'),
    workloadIdentityProvider: get('workload-identity-provider').trim(),
    serviceAccount: get('service-account').trim(),
    serviceAccounts: parseServiceAccounts(get('service-accounts')),
    githubToken: get('github-token'),
    onPlanChanged: oneOf('on-plan-changed', get('on-plan-changed'), ['refuse', 'apply'] as const, 'refuse'),
    comment: oneOf('comment', get('comment'), ['always', 'on-change', 'never'] as const, 'always'),
    commentAuthor: get('comment-author') || 'github-actions[bot]',
    adopt: oneOf('adopt', get('adopt').trim(), ['true', 'false'] as const, 'false') === 'true',
    rollbackFrom: get('rollback-from').trim(),
    ...(opt('environment') ? { environment: opt('environment')! } : {}),
    ...(hosts ? { allowedInternetHosts: hosts.split(/[\s,]+/).filter(Boolean) } : {}),
    ...(verify.settings ? { verify: verify.settings } : {}),
    ...(concurrency ? { concurrency: inputConcurrency(concurrency) } : {})
  }
}
