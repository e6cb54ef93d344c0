// Deterministic Compute resource names: valid (`[a-z]([-a-z0-9]*[a-z0-9])?`, ≤ 63 characters, gce-api.md
// §1.2), stable across runs and collision-free. The readable part (owner, route) may be truncated; the
// trailing hash covers the full identity, so two different identities never share a name.
import { createHash } from 'node:crypto'

const MAX = 63

/** shortHash is the first `n` hex characters of sha256 over the parts (joined with NUL). */
export function shortHash(parts: readonly string[], n = 8): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, n)
}

/** sanitizeLabel lowercases and keeps `[a-z0-9-]`, collapsing other runs into one hyphen. */
export function sanitizeLabel(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
}

/**
 * resourceName builds `lbr-<readable>-<tag>-<hash>`: the readable words are truncated to fit 63 characters,
 * the hash is over `identity` (everything that makes the resource what it is).
 */
export function resourceName(readable: readonly string[], tag: string, identity: readonly string[]): string {
  const hash = shortHash([tag, ...identity])
  const fixed = `lbr--${tag}-${hash}`.length
  let middle = sanitizeLabel(readable.join('-')).slice(0, MAX - fixed)
  middle = middle.replace(/-+$/, '')
  return middle ? `lbr-${middle}-${tag}-${hash}` : `lbr-${tag}-${hash}`
}

/** matcherName names the path matcher lb-routes creates for a host; hosts are shared, so no owner in it. */
export function matcherName(host: string): string {
  const readable = host === '*' ? 'any-host' : host.replace(/^\*/, 'wildcard')
  return resourceName([readable], 'pm', [host])
}
