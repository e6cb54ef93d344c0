// The one comment per owner and URL map that each kind of report keeps on a pull request: found by its
// marker prefix among the trusted author's comments, updated in place, created when missing.
import type { IssueComment } from '../github/github-api.js'
import type { ActionDeps } from './deps.js'
import { errorMessage } from '../../core/error-message.js'

/** findOwnComment finds the trusted author's latest comment whose first line starts with `prefix`. */
export function findOwnComment(
  comments: readonly IssueComment[],
  prefix: string,
  author: string
): IssueComment | undefined {
  return [...comments].reverse().find((c) => c.author === author && c.body.trimStart().startsWith(prefix))
}

/** upsertComment updates our comment with `prefix` on `pr` or creates it; a failure is only a warning. */
export async function upsertComment(
  deps: Pick<ActionDeps, 'github' | 'core' | 'inputs'>,
  pr: number,
  prefix: string,
  body: string
): Promise<void> {
  const { github, core, inputs } = deps
  try {
    const existing = findOwnComment(await github.listComments(pr), prefix, inputs.commentAuthor)
    if (existing) await github.updateComment(existing.id, body)
    else await github.createComment(pr, body)
  } catch (err) {
    // A read-only token (fork PRs) cannot comment; the summary still carries the report.
    core.warning(`could not write the pull-request comment: ${errorMessage(err)}`)
  }
}
