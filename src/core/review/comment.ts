// The plan comment as a record of review: the rendered plan, then one hidden trailer line
// `<!-- lb-routes:review {"v":1,"run":{...},"changes":[...]} -->` naming the run that wrote it
// (provenance.ts) and the change list a refused apply diffs against. Only the last line of a comment is
// read as the trailer, so text inside the rendered plan can never pose as one.
import type { Plan } from '../plan/model.js'
import { safeJson } from '../render/escape.js'
import { GITHUB_COMMENT_LIMIT, renderPlanMarkdown } from '../render/markdown.js'
import { commentJson, parsePlanMarker } from './markers.js'
import type { PlanProvenance } from './provenance.js'
import { changeLines, type ReviewedPlan } from './reviewed.js'

const REVIEW_MARKER = '<!-- lb-routes:review '

// The change list only lets a refused apply say what changed; the planId alone decides. Thousands of
// changes would crowd out (or, alone, exceed) GitHub's 65,536-character comment, so past this share of
// it the list is left out and a refusal just asks for a new plan.
const MAX_HIDDEN_CHANGES = 16_384

/** A plan comment read back: what was reviewed, and which run wrote it (when it says). */
export interface CommentReview extends ReviewedPlan {
  readonly provenance?: PlanProvenance
}

/** reviewTrailer is the hidden last line of a plan comment (with a newline either side). */
export function reviewTrailer(provenance: PlanProvenance | undefined, changes?: readonly string[]): string {
  const run = provenance
    ? { run: { id: provenance.runId, workflow: provenance.workflow, headSha: provenance.headSha } }
    : {}
  const line = (extra: object): string => `\n${REVIEW_MARKER}${safeJson({ v: 1, ...run, ...extra })} -->\n`
  const full = changes ? line({ changes }) : line({})
  return full.length <= MAX_HIDDEN_CHANGES ? full : line({})
}

export interface PlanCommentOptions {
  readonly runUrl?: string
  /** The run writing the comment; without it a merge refuses to apply against the comment. */
  readonly provenance?: PlanProvenance
  /** The GitHub environment that gates the apply (named in "What happens next"). */
  readonly environment?: string
}

/** planComment is the sticky PR comment: the rendered plan plus the review trailer, within GitHub's limit. */
export function planComment(plan: Plan, opts: PlanCommentOptions = {}): string {
  const hidden = reviewTrailer(opts.provenance, changeLines(plan))
  const budget = GITHUB_COMMENT_LIMIT - hidden.length - 16
  const runUrl = opts.runUrl ? { runUrl: opts.runUrl } : {}
  const env = opts.environment ? { environment: opts.environment } : {}
  return renderPlanMarkdown(plan, { ...runUrl, ...env, maxLength: budget }) + hidden
}

/** readReview reads the plan marker and the review trailer of a plan comment; undefined without a marker. */
export function readReview(body: string): CommentReview | undefined {
  const marker = parsePlanMarker(body)
  if (!marker) return undefined
  const trailer = parseTrailer(body)
  return {
    planId: marker.planId,
    ...(trailer?.changes ? { changes: trailer.changes } : {}),
    ...(trailer?.provenance ? { provenance: trailer.provenance } : {})
  }
}

function parseTrailer(
  body: string
): { changes?: readonly string[]; provenance?: PlanProvenance } | undefined {
  const value = commentJson(body.trimEnd().split('\n').pop() ?? '', REVIEW_MARKER)
  if (!value) return undefined
  const { changes, run } = value
  const strings = Array.isArray(changes) && changes.every((c) => typeof c === 'string')
  const provenance = provenanceOf(run)
  return {
    ...(strings ? { changes: changes as string[] } : {}),
    ...(provenance ? { provenance } : {})
  }
}

function provenanceOf(run: unknown): PlanProvenance | undefined {
  if (typeof run !== 'object' || run === null) return undefined
  const { id, workflow, headSha } = run as Record<string, unknown>
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return undefined
  if (typeof workflow !== 'string' || typeof headSha !== 'string') return undefined
  return { runId: id, workflow, headSha }
}
