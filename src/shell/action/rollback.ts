// command rollback: put back what one apply changed, from the snapshot in rollback-from, after checking
// the snapshot is for this owner and load balancer; the rollback's own before-state is saved in turn.
import { hasChanges } from '../../core/plan/model.js'
import { renderApplyMarkdown } from '../../core/render/apply.js'
import { escapeMarkdown } from '../../core/render/escape.js'
import { parseSnapshot, snapshotMismatch } from '../../core/rollback/snapshot.js'
import type { RoutesConfig } from '../../core/routes/model.js'
import type { GoogleClients } from '../engine/read-live-state.js'
import { rollbackRoutes } from '../engine/rollback-routes.js'
import { annotate } from './annotate.js'
import type { ActionDeps, ActionOutcome } from './deps.js'
import { saveSnapshot, snapshotNote } from './snapshot.js'
import { errorMessage } from '../../core/error-message.js'

/** runRollback restores the snapshot in rollback-from; refusals change nothing. */
export async function runRollback(
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
    return fail(`input rollback-from: cannot read ${from}: ${errorMessage(err)}`)
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
    ...(deps.inputs.concurrency ? { concurrency: deps.inputs.concurrency } : {}),
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
      snapshotNote(snapshotFile)
  )
  const ok = result.status === 'applied' || result.status === 'no-changes'
  if (!ok) core.setFailed(result.message ?? `rollback ${result.status}`)
  return { command: 'rollback', ok, result, plan: out.plan }
}
