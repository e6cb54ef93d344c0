// The probe set of the traffic check (DESIGN.md §4.1): one request per class of requests that a URL map
// routes alike. URL map matching is piecewise constant: which host rule serves a host depends only on the
// host patterns, and which rule serves a path only on the path patterns of that host's matcher. So a host
// per host pattern (with and without a port) and, per host, a path per pattern plus a child under each
// prefix and a sibling outside it, taken from both maps, meet every class whose destination can differ.
import type { PathMatcher, UrlMap } from '../compute.js'
import { hostRuleIndex } from '../google-semantics/evaluate.js'

/** One probe request: the host as a client sends it (maybe with a port) and a path. */
export interface Probe {
  readonly host: string
  readonly path: string
}

/** A label no real host or path uses, so a sample stands for "any other name here". */
export const SAMPLE = 'lbr-probe'

/** probeHosts lists a host per host pattern of the maps (bare, `:80`, `:443`), samples for wildcards. */
export function probeHosts(maps: readonly (UrlMap | undefined)[], extra: readonly string[] = []): string[] {
  const hosts = new Set<string>()
  const add = (pattern: string) => {
    const p = pattern.toLowerCase()
    const bare = bareHost(p)
    const name =
      bare === '*' ? `${SAMPLE}.invalid` : bare.startsWith('*') ? `${SAMPLE}${bare.slice(1)}` : bare
    for (const h of [name, `${name}:80`, `${name}:443`, p.startsWith('*') ? '' : p]) if (h) hosts.add(h)
  }
  add('*')
  for (const m of maps) for (const hr of m?.hostRules ?? []) for (const h of hr.hosts ?? []) add(h)
  for (const h of extra) add(h)
  return [...hosts].sort()
}

/** bareHost drops a `:port` from a host (and keeps `[v6]` literals whole). */
export function bareHost(host: string): string {
  const m = /^(\[[^\]]*\]|[^:]*):\d+$/.exec(host)
  return m?.[1] ?? host
}

/** matcherPaths lists the probe paths of one path matcher: each pattern, a child under it, a sibling. */
export function matcherPaths(pm: PathMatcher | undefined, into: Set<string>): void {
  if (!pm) return
  for (const rule of pm.pathRules ?? []) for (const p of rule.paths ?? []) addPattern(p, into)
  for (const rr of pm.routeRules ?? []) {
    for (const m of rr.matchRules ?? []) {
      if (m.prefixMatch != null) {
        // A raw string prefix: "/api" also matches "/apiary".
        for (const s of ['', SAMPLE, `/${SAMPLE}`]) into.add(m.prefixMatch + s)
        addPattern(m.prefixMatch, into)
      }
      if (m.fullPathMatch != null) addPattern(m.fullPathMatch, into)
      if (m.pathTemplateMatch != null) {
        // A request the template matches: each variable or wildcard segment becomes the sample label.
        const path = m.pathTemplateMatch
          .split('/')
          .map((s) => (/^\{.*\}$|^\*\*?$/.test(s) ? SAMPLE : s))
          .join('/')
        addPattern(path, into)
      }
    }
  }
}

/** addPattern adds a path pattern's class representatives: itself, its children and its siblings. */
function addPattern(pattern: string, into: Set<string>): void {
  const base = pattern.endsWith('/*') ? pattern.slice(0, -2) : pattern.replace(/\/+$/, '')
  const parent = base.slice(0, base.lastIndexOf('/') + 1) || '/'
  for (const p of [base || '/', `${base}/`, `${base}/${SAMPLE}`, `${base}${SAMPLE}`, `${parent}${SAMPLE}`])
    into.add(p)
}

/** A map with its host matcher compiled once (the probe set asks it for every host). */
interface HostMatchedMap {
  readonly map: UrlMap
  readonly hostRuleOf: (host: string) => number | undefined
}

/**
 * probePathsFor lists the probe paths of one host: the paths of every matcher that serves it in either
 * map, plus the root and a sample path (the classes no pattern names).
 */
function probePathsFor(host: string, maps: readonly HostMatchedMap[]): string[] {
  const paths = new Set<string>(['/', `/${SAMPLE}`])
  for (const { map, hostRuleOf } of maps) {
    const i = hostRuleOf(host)
    if (i === undefined) continue
    const name = map.hostRules?.[i]?.pathMatcher
    matcherPaths(
      (map.pathMatchers ?? []).find((m) => m.name === name),
      paths
    )
  }
  return [...paths].sort()
}

export type Scheme = 'EXTERNAL' | 'EXTERNAL_MANAGED'

/**
 * hostClass names what decides a host's routing in each map: the host rule that serves it and whether it
 * matched exactly (a wildcard match is a catch-all, DESIGN.md §4.1). Hosts of one class route every path
 * alike, so one of them stands for all; a host a rule names exactly keeps its own class, because
 * ownership of `host:port` looks at the host itself.
 */
function hostClass(host: string, maps: readonly HostMatchedMap[], scheme: Scheme): string {
  const norm = (h: string) => (scheme === 'EXTERNAL' ? bareHost(h.toLowerCase()) : h.toLowerCase())
  return maps
    .map(({ map, hostRuleOf }) => {
      const i = hostRuleOf(host)
      if (i === undefined) return '-'
      const exact = (map.hostRules?.[i]?.hosts ?? []).some((h) => norm(h) === norm(host))
      return exact ? `${i}=${host}` : `${i}*`
    })
    .join(' ')
}

/** Hosts as people read them first: without a port, then shorter, then in order. */
const byReadability = (a: string, b: string): number =>
  Number(/:\d+$/.test(a)) - Number(/:\d+$/.test(b)) || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)

/** trafficProbes is the whole probe set of two maps (live and merged), plus hosts named elsewhere (tests). */
export function trafficProbes(
  maps: readonly (UrlMap | undefined)[],
  scheme: Scheme,
  extraHosts: readonly string[] = []
): Probe[] {
  const matched = maps.flatMap((map) => (map ? [{ map, hostRuleOf: hostRuleIndex(map, scheme) }] : []))
  const classes = new Map<string, string>()
  for (const host of probeHosts(maps, extraHosts).sort(byReadability)) {
    const key = hostClass(host, matched, scheme)
    if (!classes.has(key)) classes.set(key, host)
  }
  const out: Probe[] = []
  for (const host of [...classes.values()].sort())
    for (const path of probePathsFor(host, matched)) out.push({ host, path })
  return out
}
