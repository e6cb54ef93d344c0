// The pre-apply snapshot, shared by apply and rollback: written under RUNNER_TEMP before the first
// mutation, named in the snapshot-file output and, with how to roll back, in the summary.
import { basename } from 'node:path'
import { inlineCode } from '../../core/render/escape.js'
import { renderSnapshotJson, snapshotFileName, type Snapshot } from '../../core/rollback/snapshot.js'
import { tempPath } from './context.js'
import type { ActionDeps } from './deps.js'

/**
 * saveSnapshot writes a snapshot under RUNNER_TEMP before the first mutation and sets the snapshot-file
 * output, so the workflow can upload it (if: always(), even when the apply fails half-way).
 */
export async function saveSnapshot(deps: ActionDeps, snapshot: Snapshot): Promise<string> {
  const path = tempPath(deps.context, snapshotFileName(snapshot.planId))
  await deps.writeFile(path, renderSnapshotJson(snapshot))
  deps.core.setOutput('snapshot-file', path)
  deps.core.info(`snapshot of the state before this apply written to ${path}`)
  return path
}

/** snapshotNote tells, in the summary, where the snapshot went and how to roll back with it. */
export function snapshotNote(file: string | undefined): string {
  if (!file) return ''
  const name = basename(file)
  return `\n\n**Roll back:** the state before this apply was saved as ${inlineCode(name)} (the workflow uploads it as an artifact); run the action with \`command: rollback\` and \`rollback-from\` set to the downloaded file, or ${inlineCode(`lb-routes rollback --from ${name}`)}.\n`
}
