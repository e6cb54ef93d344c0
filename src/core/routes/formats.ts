// Syntax checks for the values routes.json holds: names, hosts, paths, IP addresses, headers. Each
// `...Problem` function returns undefined for a valid value, or a phrase saying what is wrong and how to
// fix it, to follow the quoted value in a diagnostic. Rules come from research/gce-api.md §1.2, §5.2, §6.4.

/** Compute resource names and lb-routes names: lowercase letters, digits, hyphens, starting with a letter. */
export const NAME_PATTERN = '[a-z]([-a-z0-9]*[a-z0-9])?'
const NAME_RE = new RegExp(`^${NAME_PATTERN}$`)
const PROJECT_RE = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/
const REGION_RE = /^[a-z]+-[a-z]+[0-9]+$/
const LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
// RFC 7230 token characters.
const TOKEN_RE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const NAME_RULE = `must match ${NAME_PATTERN} (lowercase letters, digits and hyphens, starting with a letter)`

/** nameProblem checks a route name, owner or Compute name of at most `max` characters. */
export function nameProblem(value: string, max: number): string | undefined {
  if (value.length > max)
    return `is ${value.length} characters long; use at most ${max}${tryName(value, max)}`
  if (!NAME_RE.test(value)) return `${NAME_RULE}${tryName(value, max)}`
  return undefined
}

/** suggestName turns an arbitrary string into the nearest valid name, or undefined when nothing is left. */
export function suggestName(value: string, max: number): string | undefined {
  const name = value
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, max)
    .replace(/-+$/, '')
  return name !== '' && name !== value ? name : undefined
}

function tryName(value: string, max: number): string {
  const suggestion = suggestName(value, max)
  return suggestion === undefined ? '' : `; try "${suggestion}"`
}

/** projectProblem checks a Google Cloud project id (6–30 characters). */
export function projectProblem(value: string): string | undefined {
  if (PROJECT_RE.test(value)) return undefined
  const length = value.length < 6 || value.length > 30 ? ` (it has ${value.length})` : ''
  return `is not a Google Cloud project id: use 6 to 30 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen${length}`
}

/** regionProblem checks a Google Cloud region name such as europe-west1. */
export function regionProblem(value: string): string | undefined {
  if (REGION_RE.test(value)) return undefined
  const zone = /^([a-z]+-[a-z]+[0-9]+)-[a-z]$/.exec(value)
  if (zone) return `is a zone, not a region; use "${zone[1]}"`
  const lower = value.toLowerCase()
  if (REGION_RE.test(lower)) return `must be lowercase; use "${lower}"`
  return 'is not a Google Cloud region; use a region name such as "europe-west1" or "us-central1"'
}

/** runServiceProblem checks a Cloud Run service name (at most 49 characters, Cloud Run's own limit). */
export function runServiceProblem(value: string): string | undefined {
  return nameProblem(value, 49)
}

interface HostnameOptions {
  /** Accept a leading `*` wildcard as URL map host rules do. */
  readonly wildcard?: boolean
  /** Accept a `:port` suffix. */
  readonly port?: boolean
}

/** hostnameProblem checks a DNS hostname (lowercase expected), optionally with a URL-map wildcard or :port. */
export function hostnameProblem(value: string, opts: HostnameOptions = {}): string | undefined {
  if (value === '*' && opts.wildcard) return undefined
  if (value.includes('://')) return `must be a hostname, not a URL; use "${hostOfUrl(value)}"`
  if (/[/?#]/.test(value)) return 'must be a hostname only, without a path, query or fragment'
  let host = value
  const colon = host.lastIndexOf(':')
  if (colon >= 0) {
    if (!opts.port) return 'must not have a :port'
    const port = host.slice(colon + 1)
    if (!/^[0-9]{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
      return `has port "${port}"; a port must be a number from 1 to 65535`
    }
    host = host.slice(0, colon)
  }
  if (host.includes('*')) {
    if (!opts.wildcard) return 'must be a concrete hostname; "*" is not allowed here'
    if (!host.startsWith('*') || host.indexOf('*', 1) >= 0 || !/^\*[.-]/.test(host)) {
      return '"*" may only be the first character and must be followed by "." or "-" (e.g. "*.example.com"), or stand alone'
    }
    // `*-api.example.com`: the text after `*-` is the tail of the first label, so check it as a label.
    host = host.startsWith('*.') ? host.slice(2) : `x${host.slice(1)}`
  }
  if (host.endsWith('.')) return `must not end with "."; use "${value.replace(/\.(?=:|$)/, '')}"`
  if (host.length > 253) return 'is longer than 253 characters'
  for (const label of host.split('.')) {
    if (label === '') return 'has an empty label (".." or a leading ".")'
    if (label.length > 63) return `has a label longer than 63 characters ("${label.slice(0, 20)}...")`
    if (!LABEL_RE.test(label)) {
      if (/[A-Z]/.test(label) && LABEL_RE.test(label.toLowerCase()))
        return `must be lowercase; use "${value.toLowerCase()}"`
      return `has an invalid label "${label}": use lowercase letters, digits and hyphens, not starting or ending with a hyphen`
    }
  }
  return undefined
}

function hostOfUrl(value: string): string {
  return value.replace(/^[a-z]+:\/\//i, '').replace(/[/?#].*$/, '')
}

/** isUnderRunApp is true for *.run.app hostnames (Cloud Run's shared front end). */
export function isUnderRunApp(host: string): boolean {
  return host.toLowerCase().endsWith('.run.app')
}

/** pathPatternProblem checks a URL-map path rule pattern (gce-api.md §6.4.6). */
export function pathPatternProblem(value: string): string | undefined {
  if (!value.startsWith('/')) return `must start with "/"; use "/${value.replace(/^\/*/, '')}"`
  if (value.length > 1024) return 'is longer than 1024 characters'
  const cut = value.search(/[?#]/)
  if (cut >= 0)
    return `must not contain "${value[cut]}" (the query and fragment are not matched); use "${value.slice(0, cut)}"`
  if (/\s/.test(value)) return 'must not contain whitespace; percent-encode it (%20)'
  const star = value.indexOf('*')
  if (star >= 0 && (star !== value.length - 1 || value[star - 1] !== '/')) {
    const base = value.slice(0, star).replace(/\/?$/, '/')
    return `may only have "*" at the very end, right after "/" (e.g. "${base}*"); "/videos*" and "/a/*/b" are not allowed`
  }
  return undefined
}

/** prefixProblem checks a route `prefix` (sugar for ["/p", "/p/*"]). */
export function prefixProblem(value: string): string | undefined {
  if (!value.startsWith('/')) return `must start with "/"; use "/${value.replace(/^\/*/, '')}"`
  if (value.includes('*'))
    return `must not contain "*" (prefix "/p" already covers "/p/*"); use "${value.replace(/\/?\*.*$/, '') || '/'}"`
  if (value.length > 1 && value.endsWith('/'))
    return `must not end with "/"; use "${value.replace(/\/+$/, '') || '/'}"`
  return pathPatternProblem(value)
}

/** expandPrefix turns `prefix` into URL-map paths: "/p" → ["/p", "/p/*"] ("/p/*" alone misses "/p"), "/" → ["/*"]. */
export function expandPrefix(prefix: string): string[] {
  return prefix === '/' ? ['/*'] : [prefix, `${prefix}/*`]
}

/** parseIp parses an IPv4 or IPv6 literal into its bytes, or returns undefined. */
export function parseIp(
  value: string
): { readonly version: 4 | 6; readonly bytes: readonly number[] } | undefined {
  const v4 = parseIpv4(value)
  if (v4) return { version: 4, bytes: v4 }
  const v6 = parseIpv6(value)
  return v6 ? { version: 6, bytes: v6 } : undefined
}

function parseIpv4(value: string): number[] | undefined {
  const parts = value.split('.')
  if (parts.length !== 4) return undefined
  const bytes = parts.map((p) => (/^(0|[1-9][0-9]{0,2})$/.test(p) ? Number(p) : 256))
  return bytes.every((b) => b <= 255) ? bytes : undefined
}

function parseIpv6(value: string): number[] | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(value) || value.length > 45) return undefined
  const halves = value.split('::')
  if (halves.length > 2) return undefined
  const groups = (half: string): number[] | undefined => {
    if (half === '') return []
    const out: number[] = []
    const parts = half.split(':')
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part)
        if (!v4) return undefined
        out.push(v4[0] * 256 + v4[1], v4[2] * 256 + v4[3])
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
        out.push(parseInt(part, 16))
      } else {
        return undefined
      }
    }
    return out
  }
  const head = groups(halves[0])
  const tail = halves.length === 2 ? groups(halves[1]) : []
  if (!head || !tail) return undefined
  const missing = 8 - head.length - tail.length
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined
  const all = [...head, ...Array<number>(missing).fill(0), ...tail]
  return all.flatMap((g) => [g >> 8, g & 0xff])
}

/** publicIpProblem checks that an IP literal is a public address an Internet NEG may use. */
export function publicIpProblem(value: string): string | undefined {
  const ip = parseIp(value)
  if (!ip) return 'is not an IPv4 or IPv6 address'
  const b = ip.bytes
  if (ip.version === 4) {
    const [a = 0, c = 0] = b
    if (a === 10 || (a === 172 && c >= 16 && c <= 31) || (a === 192 && c === 168)) {
      return 'is a private (RFC 1918) address; an Internet NEG needs a public address'
    }
    if (a === 127) return 'is a loopback address; an Internet NEG needs a public address'
    if (a === 169 && c === 254) return 'is a link-local address; an Internet NEG needs a public address'
    if (a === 0 || a >= 224) return 'is not a unicast address; an Internet NEG needs a public address'
    return undefined
  }
  if (b.every((x, i) => x === (i === 15 ? 1 : 0)))
    return 'is the loopback address; an Internet NEG needs a public address'
  if (b.every((x) => x === 0)) return 'is the unspecified address; an Internet NEG needs a public address'
  const first = b[0] ?? 0
  if ((first & 0xfe) === 0xfc)
    return 'is a unique local (private) address; an Internet NEG needs a public address'
  if (first === 0xfe && ((b[1] ?? 0) & 0xc0) === 0x80) {
    return 'is a link-local address; an Internet NEG needs a public address'
  }
  if (first === 0xff) return 'is a multicast address; an Internet NEG needs a public address'
  return undefined
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade'])
const FORBIDDEN_HEADERS = new Set(['x-user-ip', 'cdn-loop'])
const FORBIDDEN_PREFIXES = ['x-google', 'x-goog-', 'x-gfe', 'x-amz-']

/** headerName returns the lowercased name of a `Name: value` header, or undefined without a colon. */
export function headerName(value: string): string | undefined {
  const colon = value.indexOf(':')
  return colon < 0 ? undefined : value.slice(0, colon).trim().toLowerCase()
}

/** requestHeaderProblem checks one custom request header (gce-api.md §5.2). */
export function requestHeaderProblem(value: string): string | undefined {
  const colon = value.indexOf(':')
  if (colon < 0) return 'must be a "Name: value" string (with a colon)'
  const name = value.slice(0, colon).trim()
  const lower = name.toLowerCase()
  if (!TOKEN_RE.test(name))
    return `has an invalid header name "${name}": use letters, digits and - (an HTTP token)`
  if (lower === 'host') {
    return 'sets Host, which requestHeaders cannot do; use the target\'s "hostHeader" (internet) or "rewrite.host"'
  }
  if (HOP_BY_HOP.has(lower))
    return `sets the hop-by-hop header "${name}", which the load balancer does not allow`
  if (FORBIDDEN_HEADERS.has(lower)) return `sets "${name}", which the load balancer reserves`
  const prefix = FORBIDDEN_PREFIXES.find((p) => lower.startsWith(p))
  if (prefix)
    return `has a name starting with "${name.slice(0, prefix.length)}", which Google reserves; rename the header`
  return undefined
}

/** securityPolicyProblem checks a Cloud Armor policy reference: a name, a projects/... path or a full URL. */
export function securityPolicyProblem(value: string): string | undefined {
  const path = value.replace(/^https:\/\/(www|compute)\.googleapis\.com\/compute\/(v1|beta)\//, '')
  const m = /^projects\/([^/]+)\/global\/securityPolicies\/([^/]+)$/.exec(path)
  if (m) {
    if (projectProblem(m[1]) !== undefined) return `names an invalid project "${m[1]}"`
    return nameProblem(m[2], 63) === undefined ? undefined : `names an invalid policy "${m[2]}"; ${NAME_RULE}`
  }
  if (value.includes('/')) {
    return 'must be a policy name, or a reference like "projects/PROJECT/global/securityPolicies/NAME"'
  }
  return nameProblem(value, 63)
}

/** allowsHost is true when an allow-list entry (exact host, IP, "*.suffix" or "*") covers `host`. */
export function allowsHost(entry: string, host: string): boolean {
  const e = entry.toLowerCase()
  const h = host.toLowerCase()
  if (e === '*') return true
  // "*.example.com" covers names under example.com, not example.com itself (as in URL map host rules).
  if (e.startsWith('*.')) return h.endsWith(e.slice(1)) && h.length > e.length - 1
  return e === h
}

/** policyAllows is true when a policy entry covers a whole allow-list entry (a wildcard needs an equal or wider one). */
export function policyAllows(policy: string, entry: string): boolean {
  const p = policy.toLowerCase()
  const e = entry.toLowerCase()
  if (p === '*') return true
  if (e === '*') return false
  if (e.startsWith('*.')) return p.startsWith('*.') && (e === p || e.endsWith(p.slice(1)))
  return allowsHost(p, e)
}

/** cloudRunUrlProblem checks a cloudRun `url`: https, a *.run.app host, no port, path, query or fragment. */
export function cloudRunUrlProblem(value: string): string | undefined {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)(.*)$/.exec(value)
  if (!m)
    return 'is not a URL; use the service URL shown by Cloud Run, e.g. "https://hello-abc123-ew.a.run.app"'
  const [, scheme = '', authority = '', rest = ''] = m
  if (scheme.toLowerCase() !== 'https') return `must use https://; use "https://${authority}"`
  if (authority.includes('@')) return 'must not contain user information'
  if (authority.includes(':')) return `must not have a port; use "https://${authority.replace(/:.*$/, '')}"`
  if (rest !== '' && rest !== '/') {
    return `must not have a path, query or fragment; use "https://${authority}" (route paths with "paths"/"prefix" and "rewrite")`
  }
  const host = authority.toLowerCase()
  if (!isUnderRunApp(host)) {
    return 'must be a Cloud Run URL on *.run.app; for other hosts use an "internet" target'
  }
  const problem = hostnameProblem(host)
  return problem === undefined ? undefined : `has a host that ${problem}`
}

/** hostOfCloudRunUrl returns the lowercased host of a valid cloudRun url. */
export function hostOfCloudRunUrl(value: string): string {
  return hostOfUrl(value).toLowerCase()
}
