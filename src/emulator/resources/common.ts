// What every Compute resource kind provides to the generic handlers in compute.ts, plus the helpers the
// kinds share: reference canonicalisation (gce-api.md §1.3), existence checks and field checks.
import { isIP } from 'node:net'
import { canonicalRef } from '../../core/google-semantics/refs.js'
import { invalid, notFound } from '../errors.js'
import { parseLink, relative, type Store } from '../store.js'
import type { Resource } from '../types.js'

/** Where a request runs: its project (and region for regional collections). */
export interface KindContext {
  readonly store: Store
  readonly project: string
  readonly region?: string
  readonly random: () => number
}

/** The result of a custom verb: a new stored resource (mutation, answered with an Operation) or a body. */
export type VerbResult = { readonly resource: Resource } | { readonly body: unknown }

/** A custom method, `POST .../{name}/{verb}`. */
export interface Verb {
  readonly mutating: boolean
  /** False when the named resource need not exist (urlMaps.validate, gce-api.md §6.5). */
  readonly requiresExisting: boolean
  run(ctx: KindContext, existing: Resource | undefined, body: Resource, query: URLSearchParams): VerbResult
}

/** A Compute collection the emulator serves. */
export interface ResourceKind {
  /** Discovery name, used in API method names: `compute.<api>.<method>`. */
  readonly api: string
  /** Path segment under `global/` or `regions/{r}/`. */
  readonly collection: string
  readonly scope: 'global' | 'region'
  /** `compute#urlMap`; the list kind appends `List`. */
  readonly kind: string
  /** IAM permission noun: `compute.<permission>.get`. */
  readonly permission: string
  /** Resource type in "The <type> resource '...' is already being used by" messages. */
  readonly typeLabel: string
  readonly fingerprinted: boolean
  /** Whether update (PUT) and patch (PATCH) exist. */
  readonly updatable: boolean
  /** Output-only fields dropped from request bodies (the client sends them back, §9.4). */
  readonly outputOnly: readonly string[]
  /** prepare validates a spec (insert, or update/patch with `existing`) and returns its canonical fields. */
  prepare(ctx: KindContext, spec: Resource, existing: Resource | undefined): Resource
  /** canonicalise rewrites reference fields to full URLs without validating (used for seeded state). */
  canonicalise(r: Resource, project: string): Resource
  /** users lists links of resources that reference `link` (a delete is refused while any exist). */
  users(store: Store, link: string): string[]
  /** view decorates a stored resource for output (usedBy, size, status). */
  view?(store: Store, r: Resource): Resource
  readonly verbs?: Readonly<Record<string, Verb>>
}

/** collectionPath is the store path of a kind's collection: `global/urlMaps`, `regions/r/networkEndpointGroups`. */
export function collectionPath(kind: ResourceKind, region: string | undefined): string {
  return kind.scope === 'region' ? `regions/${region}/${kind.collection}` : `global/${kind.collection}`
}

/** NAME_RE is the resource name rule of gce-api.md §1.2. */
export const NAME_RE = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/

/** checkName enforces the name rule with Compute's exact message. */
export function checkName(field: string, name: unknown): void {
  if (typeof name !== 'string' || !NAME_RE.test(name))
    throw invalid(field, name, "Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'")
}

/**
 * ref canonicalises a full or partial reference (gce-api.md §1.3) and checks it names one of the
 * `collections` (e.g. `backendServices`); a malformed reference is 400 `invalid`.
 */
export function ref(value: unknown, project: string, field: string, collections: readonly string[]): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, value, 'The URL is malformed.')
  const link = canonicalRef(value, project)
  const parsed = parseLink(link)
  const coll = parsed?.collection.split('/').pop()
  if (!parsed || !coll || !collections.includes(coll)) throw invalid(field, value, 'The URL is malformed.')
  return link
}

/** softRef canonicalises when possible and keeps the input otherwise (seeded state is not validated). */
export function softRef(value: unknown, project: string): unknown {
  return typeof value === 'string' && value.trim() !== '' ? canonicalRef(value, project) : value
}

/** mustExist resolves a canonical link or throws 404 naming it. */
export function mustExist(store: Store, link: string): Resource {
  const r = store.getLink(link)
  if (!r) throw notFound(relative(link))
  return r
}

/** intField checks an optional integer field's range; returns it or undefined. */
export function intField(spec: Resource, key: string, min: number, max: number): number | undefined {
  const v = spec[key]
  if (v === undefined) return undefined
  const n = typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max)
    throw invalid(`resource.${key}`, v, `Must be an integer between ${min} and ${max}.`)
  return n
}

/** oneOf checks an optional enum field. */
export function oneOf(
  spec: Resource,
  key: string,
  allowed: readonly string[],
  field = `resource.${key}`
): void {
  const v = spec[key]
  if (v !== undefined && !allowed.includes(v as string))
    throw invalid(field, v, `Must be one of [${allowed.join(', ')}].`)
}

const HOSTNAME_RE =
  /^(?=.{1,253}\.?$)(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?\.?$/i

/** isHostname accepts a DNS name (letters, digits, hyphens, dots). */
export function isHostname(s: unknown): s is string {
  return typeof s === 'string' && HOSTNAME_RE.test(s)
}

/** isPublicIp accepts an IPv4/IPv6 literal that is not RFC 1918 (internet NEGs, gce-api.md §3.3). */
export function isPublicIp(s: unknown): s is string {
  if (typeof s !== 'string' || isIP(s) === 0) return false
  return !/^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(s)
}
