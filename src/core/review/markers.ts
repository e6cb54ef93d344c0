// The hidden first-line markers of lb-routes' PR comments (DESIGN.md §9): `<!-- lb-routes:plan {json} -->`
// on the plan comment, `<!-- lb-routes:apply {json} -->` on the apply report. The action finds its own
// comment by the fixed prefix (owner + URL map) and reads the reviewed planId from the plan marker.
import type { LoadBalancerRef } from '../routes/model.js'
import { safeJson } from '../render/escape.js'

type MapRef = Pick<LoadBalancerRef, 'project' | 'urlMap'>

/** PLAN_MARKER starts every plan comment (a live plan, or an offline report standing in for one). */
export const PLAN_MARKER = '<!-- lb-routes:plan '
/** APPLY_MARKER starts every apply report comment. */
export const APPLY_MARKER = '<!-- lb-routes:apply '

/** What a marker says: whose plan, on which URL map, and its planId. */
export interface PlanMarker {
  readonly owner: string
  readonly project: string
  readonly urlMap: string
  readonly planId: string
}

// safeJson writes keys in insertion order, so this is a true prefix of markerLine's JSON.
function prefixOf(kind: string, owner: string, lb: MapRef): string {
  return kind + safeJson({ owner, project: lb.project, urlMap: lb.urlMap }).slice(0, -1) + ','
}

function markerLine(kind: string, owner: string, lb: MapRef, fields: Record<string, string>): string {
  return `${kind}${safeJson({ owner, project: lb.project, urlMap: lb.urlMap, ...fields, v: 1 })} -->`
}

/**
 * planMarker is the fixed prefix of the plan comment for one owner on one URL map:
 * `body.startsWith(planMarker(owner, lb))` finds the comment to update whatever its planId.
 */
export function planMarker(owner: string, lb: MapRef): string {
  return prefixOf(PLAN_MARKER, owner, lb)
}

/** planMarkerLine is the hidden first line of a plan comment; `planMarker` is a prefix of it. */
export function planMarkerLine(owner: string, lb: MapRef, planId: string): string {
  return markerLine(PLAN_MARKER, owner, lb, { planId })
}

/** applyMarker is the fixed prefix of the apply comment for one owner on one URL map (like planMarker). */
export function applyMarker(owner: string, lb: MapRef): string {
  return prefixOf(APPLY_MARKER, owner, lb)
}

/** applyMarkerLine is the hidden first line of an apply report (with its status); `applyMarker` is a prefix of it. */
export function applyMarkerLine(owner: string, lb: MapRef, planId: string, status: string): string {
  return markerLine(APPLY_MARKER, owner, lb, { planId, status })
}

/** parsePlanMarker reads the marker on the first line of a comment body; undefined when absent or malformed. */
export function parsePlanMarker(body: string): PlanMarker | undefined {
  return parseMarker(body, PLAN_MARKER)
}

/** parseApplyMarker reads the apply marker on the first line of a comment body. */
export function parseApplyMarker(body: string): PlanMarker | undefined {
  return parseMarker(body, APPLY_MARKER)
}

/**
 * commentJson reads one hidden-comment line `<!-- PREFIX{json} -->` as a version-1 JSON object; undefined
 * when the line is not one (other prefix, malformed JSON, another version). Markers and trailers share it.
 */
export function commentJson(line: string, prefix: string): Record<string, unknown> | undefined {
  const text = line.replace(/\r$/, '')
  if (!text.startsWith(prefix) || !text.endsWith(' -->')) return undefined
  let value: unknown
  try {
    value = JSON.parse(text.slice(prefix.length, -' -->'.length))
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const v = value as Record<string, unknown>
  return v.v === 1 ? v : undefined
}

/** parseMarker reads `<!-- lb-routes:KIND {json} -->` from the first line only, so text later in a body never counts. */
export function parseMarker(body: string, prefix: string): PlanMarker | undefined {
  const first =
    body
      .replace(/^\uFEFF/, '')
      .trimStart()
      .split('\n', 1)[0] ?? ''
  const v = commentJson(first, prefix)
  if (!v) return undefined
  const { owner, project, urlMap, planId } = v
  if (typeof owner !== 'string' || typeof project !== 'string') return undefined
  if (typeof urlMap !== 'string' || typeof planId !== 'string') return undefined
  return { owner, project, urlMap, planId }
}
