// List filters and pagination (gce-api.md §1.4). Two grammars share one parser: AIP-160 comparisons
// (`name = "x"`, `name != x`, `labels.k:*`, `description:owner`, AND/OR/NOT, parentheses) and Compute's
// regular-expression form (`name eq 'rx'`, `description eq ".*owner=team-a.*"`, RE2 full match).
import { invalid } from './errors.js'
import type { Resource } from './types.js'

/** A compiled filter: true when the resource is listed. */
export type Predicate = (r: Resource) => boolean

type Token =
  | { t: '(' | ')' | 'AND' | 'OR' | 'NOT' }
  | { t: 'cmp'; field: string; op: string; value: string; quoted: boolean }

const OPS = ['!=', '<=', '>=', '=', ':', '<', '>']

/** compileFilter parses a filter expression; an empty one lists everything. Throws 400 `invalid`. */
export function compileFilter(expr: string | null | undefined): Predicate {
  const text = (expr ?? '').trim()
  if (!text) return () => true
  const bad = (): never => {
    throw invalid('filter', text, 'Invalid list filter expression.')
  }
  const tokens = tokenize(text, bad)
  let i = 0
  const peek = (): Token | undefined => tokens[i]
  const parseOr = (): Predicate => {
    const parts = [parseAnd()]
    while (peek()?.t === 'OR') {
      i++
      parts.push(parseAnd())
    }
    return parts.length === 1 ? parts[0]! : (r) => parts.some((p) => p(r))
  }
  const parseAnd = (): Predicate => {
    const parts = [parseUnary()]
    for (;;) {
      const n = peek()
      if (!n || n.t === ')' || n.t === 'OR') break
      if (n.t === 'AND') i++
      parts.push(parseUnary())
    }
    return parts.length === 1 ? parts[0]! : (r) => parts.every((p) => p(r))
  }
  const parseUnary = (): Predicate => {
    const n = tokens[i++]
    if (!n) return bad()
    if (n.t === 'NOT') {
      const inner = parseUnary()
      return (r) => !inner(r)
    }
    if (n.t === '(') {
      const inner = parseOr()
      if (tokens[i++]?.t !== ')') bad()
      return inner
    }
    if (n.t !== 'cmp') return bad()
    return comparison(n, bad)
  }
  const pred = parseOr()
  if (i !== tokens.length) bad()
  return pred
}

function tokenize(s: string, bad: () => never): Token[] {
  const out: Token[] = []
  let i = 0
  const ws = (): void => {
    while (i < s.length && /\s/.test(s[i]!)) i++
  }
  const readValue = (): { value: string; quoted: boolean } => {
    ws()
    const q = s[i]
    if (q === '"' || q === "'") {
      let v = ''
      i++
      while (i < s.length && s[i] !== q) {
        if (s[i] === '\\' && i + 1 < s.length) {
          v += s[i + 1] === q ? q : s[i]! + s[i + 1]!
          i += 2
        } else v += s[i++]
      }
      if (s[i] !== q) bad()
      i++
      return { value: v, quoted: true }
    }
    // A bare value runs to whitespace, or to a `)` that closes an outer parenthesis.
    let depth = 0
    const start = i
    while (i < s.length && !/\s/.test(s[i]!)) {
      if (s[i] === '(') depth++
      else if (s[i] === ')') {
        if (depth === 0) break
        depth--
      }
      i++
    }
    if (i === start) bad()
    return { value: s.slice(start, i), quoted: false }
  }
  while ((ws(), i < s.length)) {
    const c = s[i]!
    if (c === '(' || c === ')') {
      out.push({ t: c })
      i++
      continue
    }
    if (c === '-') {
      out.push({ t: 'NOT' })
      i++
      continue
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(s.slice(i))?.[0]
    if (!word) bad()
    i += word!.length
    if (word === 'AND' || word === 'OR' || word === 'NOT') {
      out.push({ t: word })
      continue
    }
    ws()
    const rest = s.slice(i)
    const rx = /^(eq|ne)\s/.exec(rest)
    let op: string | undefined
    if (rx) op = rx[1]
    else op = OPS.find((o) => rest.startsWith(o))
    if (!op) bad()
    i += op!.length
    out.push({ t: 'cmp', field: word!, op: op!, ...readValue() })
  }
  return out
}

function comparison(c: Extract<Token, { t: 'cmp' }>, bad: () => never): Predicate {
  const get = (r: Resource): unknown[] => {
    let vals: unknown[] = [r]
    for (const part of c.field.split('.')) {
      vals = vals.flatMap((v) => {
        const x =
          v !== null && typeof v === 'object' && !Array.isArray(v)
            ? (v as Record<string, unknown>)[part]
            : undefined
        return Array.isArray(x) ? x : x === undefined ? [] : [x]
      })
    }
    return vals
  }
  const str = (v: unknown): string => (typeof v === 'object' ? JSON.stringify(v) : String(v))
  switch (c.op) {
    case 'eq':
    case 'ne': {
      let re: RegExp
      try {
        re = new RegExp(`^(?:${c.value})$`)
      } catch {
        return bad()
      }
      const m = (r: Resource): boolean => get(r).some((v) => re.test(str(v)))
      return c.op === 'eq' ? m : (r) => !m(r)
    }
    case '=':
    case '!=': {
      const glob = !c.quoted || c.value.includes('*') ? wildcard(c.value) : undefined
      const m = (r: Resource): boolean => get(r).some((v) => (glob ? glob.test(str(v)) : str(v) === c.value))
      return c.op === '=' ? m : (r) => !m(r)
    }
    case ':':
      if (c.value === '*') return (r) => get(r).length > 0
      return (r) => get(r).some((v) => str(v).includes(c.value))
    default: {
      const num = Number(c.value)
      const cmp = (v: unknown): number =>
        Number.isFinite(num) && Number.isFinite(Number(v)) ? Number(v) - num : str(v).localeCompare(c.value)
      const ok: Record<string, (n: number) => boolean> = {
        '<': (n) => n < 0,
        '>': (n) => n > 0,
        '<=': (n) => n <= 0,
        '>=': (n) => n >= 0
      }
      return (r) => get(r).some((v) => ok[c.op]!(cmp(v)))
    }
  }
}

// AIP-160 `=` on strings allows `*` as a wildcard.
function wildcard(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`
  )
}

/** A page of a list and the token for the next one. */
export interface Page<T> {
  items: T[]
  nextPageToken?: string
}

/** paginate slices a list by `maxResults` (0..500, default 500) and an opaque `pageToken` (§1.4). */
export function paginate<T>(all: readonly T[], maxResults: string | null, pageToken: string | null): Page<T> {
  let size = 500
  if (maxResults !== null && maxResults !== '') {
    const n = Number(maxResults)
    if (!Number.isInteger(n) || n < 0 || n > 500)
      throw invalid('maxResults', maxResults, 'Must be an integer between 0 and 500.')
    if (n > 0) size = n
  }
  let offset = 0
  if (pageToken) {
    const m = /^o(\d+)$/.exec(Buffer.from(pageToken, 'base64url').toString())
    if (!m) throw invalid('pageToken', pageToken, 'Invalid page token.')
    offset = Number(m[1])
  }
  const items = all.slice(offset, offset + size)
  const next = offset + size
  return next < all.length
    ? { items, nextPageToken: Buffer.from(`o${next}`).toString('base64url') }
    : { items }
}

/** sortResources applies `orderBy` (`name`, `creationTimestamp desc`, ...); default is by name. */
export function sortResources(items: Resource[], orderBy: string | null): Resource[] {
  const [field = 'name', dir = 'asc'] = (orderBy ?? '').trim().split(/\s+/).filter(Boolean)
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field) || !['asc', 'desc'].includes(dir))
    throw invalid('orderBy', orderBy, 'Invalid order by expression.')
  const sign = dir === 'desc' ? -1 : 1
  return [...items].sort((a, b) => sign * String(a[field] ?? '').localeCompare(String(b[field] ?? '')))
}
