// "What happens next" (DESIGN.md §9): the one paragraph that tells a reviewer what merging does.
import type { Plan } from '../plan/model.js'
import { inlineCode } from './escape.js'
import type { VerdictKind } from './verdict.js'

/** Where the comment is read and what gates the apply (the shell knows; the renderer only words it). */
export interface NextStepsContext {
  /** The GitHub environment whose approval the apply job waits for (action input `environment`). */
  readonly environment?: string
}

/** nextSteps words what happens next for this verdict. */
export function nextSteps(plan: Plan, verdict: VerdictKind, ctx: NextStepsContext = {}): string {
  const env = ctx.environment ? ` after approval in environment ${inlineCode(ctx.environment, 100)}` : ''
  let text: string
  switch (verdict) {
    case 'blocked':
      text =
        '**Nothing can be applied** while the plan has errors: fix them in routes.json and push; the plan runs ' +
        'again and this comment is updated. A merge now would apply nothing (the apply re-plans and stops on errors).'
      break
    case 'no-changes':
      text = 'Merging changes nothing on the load balancer.'
      break
    default:
      text =
        `**Applies on merge**${env}: the apply job plans again and applies only if that plan is this one ` +
        `(plan ${inlineCode(plan.planId, 100)}); otherwise it refuses and asks for a new review. It saves a ` +
        'rollback snapshot before the first change and reports each route on this pull request.'
  }
  return `#### What happens next\n\n${text}`
}
