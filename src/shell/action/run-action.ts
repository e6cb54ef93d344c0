// The GitHub Action's logic (DESIGN.md §9), with every collaborator passed in: @actions/core behind
// ActionCore, GitHub behind GitHubApi, Google behind a clients factory. src/entry/action.ts wires the real ones.
import { hasErrors, type Diagnostic } from '../../core/diagnostics.js'
import { offlineView } from '../../core/plan/offline.js'
import { hasChanges, type ApplyResult, type Plan } from '../../core/plan/model.js'
import type { RoutesConfig } from '../../core/routes/model.js'
import { parseRoutes } from '../../core/routes/parse.js'
import {
  GITHUB_COMMENT_LIMIT,
  applyMarker,
  parsePlanMarker,
  PLAN_MARKER,
  planMarker,
  renderApplyMarkdown,
  renderPlanJson,
  renderPlanMarkdown,
  STEP_SUMMARY_LIMIT
} from '../../core/render/index.js'
import { DEFAULT_MAX_LENGTH } from '../../core/render/markdown.js'
import { renderOfflineMarkdown } from '../../core/render/offline.js'
import { escapeMarkdown, inlineCode } from '../../core/render/escape.js'
import {
  parseSnapshot,
  renderSnapshotJson,
  snapshotFileName,
  snapshotMismatch,
  type Snapshot
} from '../../core/rollback/snapshot.js'
import { basename } from 'node:path'
import { renderVerifyMarkdown } from '../../core/render/verify.js'
import { verifyFailureMessage, verifyPassed } from '../../core/verify/probes.js'
import { driftIssueLine, renderDriftSummary, type DriftIssueOutcome } from '../../core/render/drift.js'
import { applyRoutes, changeLines, type ReviewedPlan } from '../engine/apply-routes.js'
import { checkDrift, syncDriftIssue } from '../engine/drift-routes.js'
import { planRoutes } from '../engine/plan-routes.js'
import { rollbackRoutes } from '../engine/rollback-routes.js'
import { probeRoutes } from '../verify/run-probes.js'
import type { GoogleClients } from '../engine/read-live-state.js'
import type { CredentialSource } from '../google/credentials.js'
import type { GitHubApi, IssueComment } from '../github/github-api.js'
import type { IssuesApi } from '../github/issues-api.js'
import type { ActionInputs } from './inputs.js'

/** The slice of @actions/core the action uses. */
export interface ActionCore {
  info(msg: string): void
  warning(msg: string): void
  notice(msg: string): void
  error(
    msg: string,
    props?: { title?: string; file?: string; startLine?: number; startColumn?: number }
  ): void
  setOutput(name: string, value: string): void
  setSecret(secret: string): void
  setFailed(msg: string): void
  /** Appends markdown to the job summary (GITHUB_STEP_SUMMARY). */
  writeSummary(markdown: string): Promise<void>
}

export interface ActionContext {
  readonly eventName: string
  readonly payload: Record<string, any>
  readonly sha: string
  readonly runUrl?: string
  /** Directory for the plan JSON output (RUNNER_TEMP). */
  readonly tempDir: string
  /** True when the runner offers an OIDC token (ACTIONS_ID_TOKEN_REQUEST_URL is set). */
  readonly oidcAvailable: boolean
}

export interface ActionDeps {
  readonly inputs: ActionInputs
  readonly core: ActionCore
  readonly context: ActionContext
  readonly github: GitHubApi
  /** The drift issue tracker (command drift). */
  readonly issues: IssuesApi
  /** Builds credentials: WIF from the inputs, or the environment's (token / ADC). */
  readonly credentials: () => CredentialSource
  readonly clients: (credentials: CredentialSource) => GoogleClients
  readonly readFile: (path: string) => Promise<Uint8Array>
  readonly writeFile: (path: string, text: string) => Promise<void>
  readonly now: () => Date
}

export interface ActionOutcome {
  readonly command: 'plan' | 'apply' | 'drift' | 'rollback'
  readonly ok: boolean
  readonly plan?: Plan
  readonly result?: ApplyResult
}

// GitHub shows at most 10 annotations of a type per step (actions-ecosystem.md §5).
const MAX_ANNOTATIONS = 10
const REVIEWED_CHANGES = '<!-- lb-routes:reviewed-changes '

/** annotate turns diagnostics into file/line annotations (the first 10 of each type) and log lines. */
export function annotate(core: ActionCore, diagnostics: readonly Diagnostic[]): void {
  let errors = 0
  let warnings = 0
  for (const d of diagnostics) {
    const line = `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`
    if (d.severity === 'error' && errors++ < MAX_ANNOTATIONS) {
      core.error(d.message, { title: 'lb-routes', file: d.file, startLine: d.line, startColumn: d.column })
    } else if (d.severity === 'warning' && warnings++ < MAX_ANNOTATIONS) {
      core.warning(line)
    } else {
      core.info(line)
    }
  }
  if (errors > MAX_ANNOTATIONS)
    core.info(`(${errors - MAX_ANNOTATIONS} more errors: see the log above and the job summary)`)
}

/** Wraps credentials so every bearer token is masked in the logs before anything can print it. */
function masked(core: ActionCore, source: CredentialSource): CredentialSource {
  return {
    describe: (p) => source.describe(p),
    accessAdvice: (p, r) => source.accessAdvice(p, r),
    async headersFor(project) {
      const headers = await source.headersFor(project)
      const auth = headers.authorization ?? headers.Authorization
      if (auth) core.setSecret(auth.replace(/^Bearer\s+/i, ''))
      return headers
    }
  }
}

function prNumberOf(payload: Record<string, any>): number | undefined {
  return payload.pull_request?.number ?? (payload.issue?.pull_request ? payload.issue.number : undefined)
}

function isForkPr(payload: Record<string, any>): boolean {
  const pr = payload.pull_request
  if (!pr) return false
  return (
    pr.head?.repo?.fork === true ||
    (pr.head?.repo?.full_name && pr.head.repo.full_name !== pr.base?.repo?.full_name)
  )
}

/** findOwnComment finds our latest comment whose first line starts with `prefix` (trusted author only). */
function findOwnComment(
  comments: readonly IssueComment[],
  prefix: string,
  author: string
): IssueComment | undefined {
  return [...comments].reverse().find((c) => c.author === author && c.body.trimStart().startsWith(prefix))
}

async function upsertComment(deps: ActionDeps, pr: number, prefix: string, body: string): Promise<void> {
  const { github, core, inputs } = deps
  try {
    const existing = findOwnComment(await github.listComments(pr), prefix, inputs.commentAuthor)
    if (existing) await github.updateComment(existing.id, body)
    else await github.createComment(pr, body)
  } catch (err) {
    // A read-only token (fork PRs) cannot comment; the summary still carries the report.
    core.warning(`could not write the pull-request comment: ${(err as Error).message}`)
  }
}

function reviewedFrom(comment: IssueComment | undefined): ReviewedPlan | undefined {
  if (!comment) return undefined
  const marker = parsePlanMarker(comment.body)
  if (!marker) return undefined
  const at = comment.body.indexOf(REVIEWED_CHANGES)
  let changes: string[] | undefined
  if (at >= 0) {
    const end = comment.body.indexOf(' -->', at)
    try {
      changes = JSON.parse(
        Buffer.from(comment.body.slice(at + REVIEWED_CHANGES.length, end), 'base64').toString('utf8')
      )
    } catch {
      changes = undefined
    }
  }
  return { planId: marker.planId, ...(changes ? { changes } : {}) }
}

// The hidden change list only lets a refused apply say what changed; the planId alone decides. Thousands
// of changes would crowd out (or, alone, exceed) GitHub's 65,536-character comment, so past this share of
// it the list is left out and a refusal just asks for a new plan.
const MAX_HIDDEN_CHANGES = 16_384

/** planComment is the sticky PR comment: the rendered plan plus the change list apply compares with. */
export function planComment(plan: Plan, runUrl: string | undefined): string {
  const encoded = `\n${REVIEWED_CHANGES}${Buffer.from(JSON.stringify(changeLines(plan))).toString('base64')} -->\n`
  const hidden = encoded.length <= MAX_HIDDEN_CHANGES ? encoded : '\n'
  const budget = GITHUB_COMMENT_LIMIT - hidden.length - 16
  return renderPlanMarkdown(plan, { ...(runUrl ? { runUrl } : {}), maxLength: budget }) + hidden
}

// Events with neither a pull request to comment on nor a merge to apply: a scheduled or manual check.
const DRIFT_EVENTS = new Set(['schedule', 'workflow_dispatch'])

/** runAction runs plan (pull requests), apply (pushes) or drift (schedule) and reports to GitHub, the summary and outputs. */
export async function runAction(deps: ActionDeps): Promise<ActionOutcome> {
  const { inputs, core, context } = deps
  const command =
    inputs.command ||
    (context.eventName === 'push' ? 'apply' : DRIFT_EVENTS.has(context.eventName) ? 'drift' : 'plan')
  const file = inputs.routesFile
  const bytes = await deps.readFile(file)
  const pr = prNumberOf(context.payload)

  // Offline first: the file's own errors need no credentials and are annotated on its lines.
  const parsed = parseRoutes(bytes, {
    file,
    ...(inputs.allowedInternetHosts ? { policyAllowedInternetHosts: inputs.allowedInternetHosts } : {})
  })
  annotate(core, parsed.diagnostics)
  if (!parsed.config || hasErrors(parsed.diagnostics)) {
    const n = parsed.diagnostics.filter((d) => d.severity === 'error').length
    if (pr !== undefined && command === 'plan')
      await reportOffline(deps, pr, parsed.config, parsed.diagnostics, `${file} is not valid.`)
    core.setFailed(`${file} has ${n} error(s); see the annotations`)
    return { command, ok: false }
  }
  const config = parsed.config

  const fork = isForkPr(context.payload)
  if (command === 'plan' && (fork || (inputs.workloadIdentityProvider && !context.oidcAvailable))) {
    const reason = fork
      ? 'This pull request comes from a fork. GitHub gives fork PRs no OIDC token, so lb-routes cannot read the live load balancer: only offline checks ran.'
      : 'No OIDC token is available to this job (does it set permissions: id-token: write?), so lb-routes cannot read the live load balancer: only offline checks ran.'
    core.warning(reason)
    const ok = await reportOffline(deps, pr, config, parsed.diagnostics, reason)
    core.setOutput('has-changes', 'unknown')
    core.setOutput('plan-id', '')
    if (!ok) core.setFailed('offline route tests failed')
    return { command, ok }
  }

  const credentials = masked(core, deps.credentials())
  const clients = deps.clients(credentials)
  // Parsed and annotated once, above: the engine gets the config and reports only the plan's diagnostics.
  const base = { file, config, clients, now: deps.now() }
  // Adoption is part of the reviewed plan and of its apply; drift compares without it.
  const adopting = { ...base, ...(inputs.adopt ? { adopt: true } : {}) }
  if (command === 'apply') return runApply(deps, adopting, config)
  if (command === 'rollback') return runRollback(deps, config, clients)
  if (command === 'drift') return runDrift(deps, base)
  try {
    return await runPlan(deps, adopting, pr)
  } catch (err) {
    // Denied or unreachable Google APIs: say so on the PR too (its old plan comment would otherwise stand
    // as if current), then fail the step with the same message.
    const reason = `lb-routes could not read the live load balancer, so there is no plan: ${(err as Error).message}`
    await reportOffline(deps, pr, config, parsed.diagnostics, reason)
    throw err
  }
}

async function reportOffline(
  deps: ActionDeps,
  pr: number | undefined,
  config: RoutesConfig | undefined,
  diagnostics: readonly Diagnostic[],
  reason: string
): Promise<boolean> {
  const view = config ? offlineView(config) : undefined
  const failures = view?.failures ?? []
  const all: Diagnostic[] = [
    ...diagnostics,
    ...failures.map((f) => ({
      severity: 'error' as const,
      file: deps.inputs.routesFile,
      line: f.test.at.line,
      column: f.test.at.column,
      message: `route test failed: ${f.message}`
    }))
  ]
  if (failures.length) annotate(deps.core, all.slice(diagnostics.length))
  const owner = config?.owner ?? '(unknown owner)'
  const lb = config?.loadBalancer ?? { project: '(unknown)', urlMap: '(unknown)' }
  const body = renderOfflineMarkdown({
    owner,
    loadBalancer: lb,
    reason,
    diagnostics: all,
    routes: config?.routes.length ?? 0,
    testsPassed: (view?.cases.length ?? 0) - failures.length,
    ...(deps.context.runUrl ? { runUrl: deps.context.runUrl } : {})
  })
  await deps.core.writeSummary(body)
  if (pr !== undefined && deps.inputs.comment !== 'never') {
    await upsertComment(deps, pr, config ? planMarker(owner, lb) : PLAN_MARKER, body)
  }
  return !hasErrors(all)
}

async function runPlan(
  deps: ActionDeps,
  base: Parameters<typeof planRoutes>[0],
  pr: number | undefined
): Promise<ActionOutcome> {
  const { core, context, inputs } = deps
  const out = await planRoutes(base)
  annotate(core, out.diagnostics)
  if (!out.plan) {
    core.setFailed('lb-routes could not compute a plan; see the annotations')
    return { command: 'plan', ok: false }
  }
  const plan = out.plan
  const ok = !hasErrors(out.diagnostics)
  const jsonPath = `${context.tempDir.replace(/\/$/, '')}/lb-routes-plan.json`
  await deps.writeFile(jsonPath, renderPlanJson(plan))
  core.setOutput('plan-id', plan.planId)
  core.setOutput('has-changes', String(hasChanges(plan)))
  core.setOutput('plan-json', jsonPath)
  await core.writeSummary(
    renderPlanMarkdown(plan, {
      ...(context.runUrl ? { runUrl: context.runUrl } : {}),
      maxLength: STEP_SUMMARY_LIMIT,
      maxBytes: STEP_SUMMARY_LIMIT - 1024
    })
  )
  if (
    pr !== undefined &&
    inputs.comment !== 'never' &&
    (inputs.comment === 'always' || hasChanges(plan) || !ok)
  ) {
    await upsertComment(
      deps,
      pr,
      planMarker(plan.owner, plan.loadBalancer),
      planComment(plan, context.runUrl)
    )
  }
  if (!ok) core.setFailed('the plan has errors; see the annotations and the comment')
  else core.info(`plan ${plan.planId}: ${plan.changes.length} change(s)`)
  return { command: 'plan', ok, plan }
}

async function runApply(
  deps: ActionDeps,
  base: Parameters<typeof planRoutes>[0],
  config: RoutesConfig
): Promise<ActionOutcome> {
  const { core, context, inputs, github } = deps
  const prs = await github.pullsForCommit(context.sha)
  const pr = prs.find((p) => p.merged)?.number ?? prs[0]?.number
  let reviewed: ReviewedPlan | undefined
  if (pr !== undefined) {
    const comments = await github.listComments(pr)
    reviewed = reviewedFrom(
      findOwnComment(comments, planMarker(config.owner, config.loadBalancer), inputs.commentAuthor)
    )
  }
  const applyAnyway = inputs.onPlanChanged === 'apply'
  if (!reviewed && !applyAnyway) {
    const why =
      pr === undefined
        ? `no pull request was merged in commit ${context.sha}, so there is no reviewed plan`
        : `pull request #${pr} has no lb-routes plan comment for owner ${config.owner}, so there is no reviewed plan`
    const result: ApplyResult = {
      planId: '',
      owner: config.owner,
      loadBalancer: config.loadBalancer,
      status: 'refused',
      steps: [],
      urlMapRetries: 0,
      message: `${why}; nothing was applied (set on-plan-changed: apply to apply without review)`,
      durationMs: 0
    }
    return finishApply(deps, pr, result, undefined)
  }
  let out
  let snapshotFile: string | undefined
  try {
    out = await applyRoutes({
      ...base,
      ...(reviewed && !applyAnyway ? { reviewed } : {}),
      onSnapshot: async (s) => void (snapshotFile = await saveSnapshot(deps, s))
    })
  } catch (err) {
    // Denied or unreachable APIs (e.g. 403 while re-planning): report on the PR and in the summary.
    const result: ApplyResult = {
      planId: reviewed?.planId ?? '',
      owner: config.owner,
      loadBalancer: config.loadBalancer,
      status: 'failed',
      steps: [],
      urlMapRetries: 0,
      message: `lb-routes could not apply: ${(err as Error).message}`,
      durationMs: 0
    }
    return finishApply(deps, pr, result, undefined)
  }
  annotate(core, out.diagnostics)
  if (!out.result) {
    core.setFailed('lb-routes could not plan the apply; see the annotations')
    return { command: 'apply', ok: false }
  }
  return finishApply(deps, pr, out.result, out.plan, snapshotFile, config)
}

/**
 * saveSnapshot writes a snapshot under RUNNER_TEMP before the first mutation and sets the snapshot-file
 * output, so the workflow can upload it (if: always(), even when the apply fails half-way).
 */
async function saveSnapshot(deps: ActionDeps, snapshot: Snapshot): Promise<string> {
  const path = `${deps.context.tempDir.replace(/\/$/, '')}/${snapshotFileName(snapshot.planId)}`
  await deps.writeFile(path, renderSnapshotJson(snapshot))
  deps.core.setOutput('snapshot-file', path)
  deps.core.info(`snapshot of the state before this apply written to ${path}`)
  return path
}

/** snapshotNote tells, in the summary, where the snapshot went and how to roll back with it. */
function snapshotNote(file: string): string {
  const name = basename(file)
  return `\n\n**Roll back:** the state before this apply was saved as ${inlineCode(name)} (the workflow uploads it as an artifact); run the action with \`command: rollback\` and \`rollback-from\` set to the downloaded file, or ${inlineCode(`lb-routes rollback --from ${name}`)}.\n`
}

async function runRollback(
  deps: ActionDeps,
  config: RoutesConfig,
  clients: GoogleClients
): Promise<ActionOutcome> {
  const { core, inputs, context } = deps
  const fail = (message: string): ActionOutcome => {
    core.setFailed(message)
    return { command: 'rollback', ok: false }
  }
  const from = inputs.rollbackFrom
  if (!from)
    return fail(
      'input rollback-from is required with command: rollback (the path of a downloaded lb-routes snapshot artifact)'
    )
  let text: string
  try {
    text = Buffer.from(await deps.readFile(from)).toString('utf8')
  } catch (err) {
    return fail(`input rollback-from: cannot read ${from}: ${(err as Error).message}`)
  }
  const parsed = parseSnapshot(text, from)
  annotate(core, parsed.diagnostics)
  if (!parsed.snapshot) return fail(`${from} is not an lb-routes snapshot; see the annotations`)
  const mismatch = snapshotMismatch(parsed.snapshot, config)
  if (mismatch) return fail(`${from}: ${mismatch}`)
  let snapshotFile: string | undefined
  const out = await rollbackRoutes({
    snapshot: parsed.snapshot,
    compute: clients.compute,
    now: deps.now(),
    onSnapshot: async (s) => void (snapshotFile = await saveSnapshot(deps, s))
  })
  core.setOutput('plan-id', out.plan.planId)
  core.setOutput('has-changes', String(hasChanges(out.plan)))
  if (out.problems.length > 0) {
    for (const p of out.problems) core.error(p, { title: 'lb-routes rollback' })
    await core.writeSummary(
      `### lb-routes rollback refused\n\nNothing was changed:\n\n${out.problems.map((p) => `- ${escapeMarkdown(p)}`).join('\n')}\n`
    )
    return fail(`rollback refused: ${out.problems.join('; ')}`)
  }
  const result = out.result!
  const runUrl = context.runUrl ? { runUrl: context.runUrl } : {}
  await core.writeSummary(
    `### lb-routes rollback of apply ${escapeMarkdown(parsed.snapshot.planId)} (snapshot taken ${escapeMarkdown(parsed.snapshot.takenAt)})\n\n` +
      renderApplyMarkdown(result, runUrl) +
      (snapshotFile ? snapshotNote(snapshotFile) : '')
  )
  const ok = result.status === 'applied' || result.status === 'no-changes'
  if (!ok) core.setFailed(result.message ?? `rollback ${result.status}`)
  return { command: 'rollback', ok, result, plan: out.plan }
}

async function finishApply(
  deps: ActionDeps,
  pr: number | undefined,
  result: ApplyResult,
  plan: Plan | undefined,
  snapshotFile?: string,
  config?: RoutesConfig
): Promise<ActionOutcome> {
  const { core, context, inputs } = deps
  const runUrl = context.runUrl ? { runUrl: context.runUrl } : {}
  const body = renderApplyMarkdown(result, runUrl)
  await core.writeSummary(body + (snapshotFile ? snapshotNote(snapshotFile) : ''))
  const prefix = applyMarker(result.owner, result.loadBalancer)
  const comment = pr !== undefined && inputs.comment !== 'never'
  if (comment) await upsertComment(deps, pr, prefix, body)
  core.setOutput('plan-id', result.planId)
  core.setOutput('has-changes', String(plan ? hasChanges(plan) : false))
  const ok = result.status === 'applied' || result.status === 'no-changes'
  if (!ok) {
    core.setOutput('verify-result', 'skipped')
    core.setFailed(result.message ?? `apply ${result.status}`)
    return { command: 'apply', ok, result, ...(plan ? { plan } : {}) }
  }
  if (!inputs.verify || !config) {
    core.setOutput('verify-result', 'skipped')
    return { command: 'apply', ok, result, ...(plan ? { plan } : {}) }
  }
  // The apply is reported first; probing can take minutes while the new map propagates.
  const report = await probeRoutes(config, inputs.verify, (line) => core.info(line))
  const section = renderVerifyMarkdown(report)
  await core.writeSummary(section)
  if (comment) {
    const budget = DEFAULT_MAX_LENGTH - section.length - 2
    await upsertComment(
      deps,
      pr,
      prefix,
      `${renderApplyMarkdown(result, { ...runUrl, maxLength: budget })}\n${section}`
    )
  }
  const verified = verifyPassed(report)
  core.setOutput('verify-result', verified ? 'passed' : 'failed')
  if (!verified) core.setFailed(verifyFailureMessage(report))
  else core.info(`verify: every route answered through ${report.url}`)
  return { command: 'apply', ok: verified, result, ...(plan ? { plan } : {}) }
}

async function runDrift(deps: ActionDeps, base: Parameters<typeof planRoutes>[0]): Promise<ActionOutcome> {
  const { core, context, inputs } = deps
  const out = await checkDrift(base)
  annotate(core, out.diagnostics)
  if (!out.drift) {
    core.setFailed('lb-routes could not compute a plan to compare with; see the annotations')
    return { command: 'drift', ok: false }
  }
  const drift = out.drift
  const runUrl = context.runUrl ? { runUrl: context.runUrl } : {}
  let issue: DriftIssueOutcome | undefined
  let failure: string | undefined
  try {
    issue = await syncDriftIssue(deps.issues, drift, {
      author: inputs.commentAuthor,
      now: deps.now(),
      ...runUrl
    })
  } catch (err) {
    failure = `could not update the drift issue: ${(err as Error).message} (the job needs permissions: issues: write)`
  }
  core.setOutput('drift', String(!drift.inSync))
  core.setOutput('drift-issue', issue?.number === undefined ? '' : String(issue.number))
  core.setOutput('drift-issue-url', issue?.url ?? '')
  core.setOutput('plan-id', drift.plan.planId)
  core.setOutput('has-changes', String(hasChanges(drift.plan)))
  await core.writeSummary(renderDriftSummary(drift, issue, { ...runUrl, maxLength: STEP_SUMMARY_LIMIT / 4 }))
  if (failure) {
    core.setFailed(failure)
    return { command: 'drift', ok: false, plan: drift.plan }
  }
  // Drift is reported, not failed: the issue is the alarm, and a red scheduled run would only repeat it.
  const line = issue ? driftIssueLine(issue) : ''
  if (drift.inSync) core.info(`no drift: the live load balancer matches ${inputs.routesFile}. ${line}`)
  else core.warning(`drift: the live load balancer differs from ${inputs.routesFile}. ${line}`)
  return { command: 'drift', ok: true, plan: drift.plan }
}
