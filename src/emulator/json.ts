// JSON helpers for request bodies: the official client's proto3-JSON quirks (gce-api.md §9.4, §9.5) and
// RFC 7396 merge patch for PATCH (§6.1).
import type { Resource } from './types.js'

/** isObject is true for a plain JSON object (not an array, not null). */
export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** clone deep-copies a JSON value. */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T)
}

// Map fields the Node client always sends, even when empty (gce-api.md §9.4). Compute omits empty maps.
const EMPTY_MAP_KEYS = new Set(['metadatas', 'annotations', 'labels'])

/**
 * cleanInput normalises a request body the way Compute reads it: `_`-prefixed keys (the client's oneof
 * bookkeeping, §9.5) and nulls are dropped, empty arrays are dropped (proto3 JSON omits empty repeated
 * fields, so `[]` and absent mean the same), and empty `metadatas`/`annotations`/`labels` maps go away.
 */
export function cleanInput(v: unknown): any {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(cleanInput)
  if (!isObject(v)) return v
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('_') || x === null || x === undefined) continue
    if (Array.isArray(x) && x.length === 0) continue
    if (EMPTY_MAP_KEYS.has(k) && isObject(x) && Object.keys(x).length === 0) continue
    out[k] = cleanInput(x)
  }
  return out
}

/** mergePatch applies an RFC 7396 JSON merge patch: objects merge, arrays and scalars replace, null deletes. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return clone(patch)
  const out: Record<string, unknown> = isObject(target) ? clone(target) : {}
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('_')) continue
    if (v === null) delete out[k]
    else out[k] = mergePatch(out[k], v)
  }
  return out
}

/** omit returns a shallow copy without the given keys. */
export function omit(r: Resource, keys: readonly string[]): Resource {
  const out: Resource = { ...r }
  for (const k of keys) delete out[k]
  return out
}
