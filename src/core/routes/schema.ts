// The routes.json JSON Schema (schema/routes.schema.json, shipped for editor completion) and the
// translation of Ajv's findings into messages that say what to change.
import type { ErrorObject, ValidateFunction } from 'ajv'
import type { JSONPath } from 'jsonc-parser'
import schema from '../../../schema/routes.schema.json' with { type: 'json' }
import { describePath, quote, type Problem } from './problem.js'
import { validate as compiledValidate } from './schema-validator.generated.js'
import { didYouMean } from './suggest.js'

/** The routes.json v1 JSON Schema, as shipped in schema/routes.schema.json. */
export const routesSchema = schema

// Compiled ahead of time (scripts/gen-schema-validator.mjs, Ajv standalone code with the definitions
// inlined): Ajv's code generation at run time cost ~50 ms of every start. `npm run lint` checks that
// the generated module matches schema/routes.schema.json.
const validate = (): ValidateFunction => compiledValidate as unknown as ValidateFunction

/** schemaProblems validates a parsed routes.json value against the schema: the first `max` findings, and how many more. */
export function schemaProblems(value: unknown, max = Infinity): { problems: Problem[]; omitted: number } {
  const check = validate()
  if (check(value)) return { problems: [], omitted: 0 }
  const errors = collapseOneOf(check.errors ?? [])
  // A value of the wrong type fails its const/enum/range keywords too; the type is the thing to fix.
  const typed = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath))
  const missing = new Map<string, string[]>()
  const problems: Problem[] = []
  for (const [i, e] of errors.entries()) {
    // Ajv reports in document order; translating 300,000 findings of a garbage file would take seconds.
    if (problems.length >= max) return { problems, omitted: errors.length - i }
    if (e.keyword !== 'type' && typed.has(e.instancePath)) continue
    if (e.keyword === 'required') {
      // One message per object listing everything it lacks.
      const keys = missing.get(e.instancePath)
      const key = String((e.params as { missingProperty: unknown }).missingProperty)
      if (keys) {
        keys.push(key)
        continue
      }
      missing.set(e.instancePath, [key])
    }
    problems.push(translate(e, missing.get(e.instancePath) ?? []))
  }
  return { problems, omitted: 0 }
}

/**
 * collapseOneOf keeps what matters of a `oneOf` failure (e.g. expect.status: a status or a list): when the
 * value has none of the branches' types, one type error naming them all; otherwise only the errors of the
 * branch whose type it has (a status out of range, an empty list), not the other branch's type complaint.
 */
function collapseOneOf(errors: readonly ErrorObject[]): ErrorObject[] {
  const drop = new Set<ErrorObject>()
  const replace = new Map<ErrorObject, ErrorObject>()
  for (const one of errors.filter((e) => e.keyword === 'oneOf')) {
    const prefix = one.schemaPath + '/'
    const branchOf = (e: ErrorObject) => /^(\d+)\//.exec(e.schemaPath.slice(prefix.length))?.[1]
    // schemaPath is the same for every test's status; the instancePath tells which value an error is about.
    const inside = errors.filter(
      (e) =>
        e.schemaPath.startsWith(prefix) &&
        (e.instancePath === one.instancePath || e.instancePath.startsWith(one.instancePath + '/'))
    )
    const branches = ((one.schema as unknown[] | undefined) ?? []).map((_, i) => String(i))
    const mistyped = new Set(
      inside
        .filter((e) => e.keyword === 'type' && e.instancePath === one.instancePath)
        .map((e) => branchOf(e))
    )
    if (branches.every((b) => mistyped.has(b))) {
      const types = inside.filter((e) => e.keyword === 'type' && e.instancePath === one.instancePath)
      for (const e of inside) drop.add(e)
      replace.set(one, {
        ...one,
        keyword: 'type',
        params: { type: types.map((e) => (e.params as { type: unknown }).type) }
      })
    } else {
      drop.add(one)
      for (const e of inside) if (mistyped.has(branchOf(e))) drop.add(e)
    }
  }
  return errors.filter((e) => !drop.has(e)).map((e) => replace.get(e) ?? e)
}

/** Ajv keywords about a value's content (not its shape) that the semantic rules re-check with better advice. */
export const VALUE_KEYWORDS: ReadonlySet<string> = new Set([
  'pattern',
  'minLength',
  'maxLength',
  'uniqueItems'
])

interface SchemaNode {
  readonly description?: string
  readonly properties?: Record<string, SchemaNode>
  readonly default?: unknown
  readonly maxProperties?: number
}

// One Ajv error with what every message needs.
interface SchemaError {
  readonly e: ErrorObject
  readonly path: JSONPath
  /** The path as a user writes it. */
  readonly where: string
  readonly parent: SchemaNode
  readonly params: Record<string, unknown>
  /** The properties the parent schema declares. */
  readonly known: readonly string[]
  readonly missing: readonly string[]
}

// `missing` is filled in after the call for `required` errors (the list grows as later errors arrive).
function translate(e: ErrorObject, missing: readonly string[]): Problem {
  const path = pointerToPath(e.instancePath)
  const parent = (e.parentSchema ?? {}) as SchemaNode
  const x: SchemaError = {
    e,
    path,
    where: describePath(path),
    parent,
    params: e.params as Record<string, unknown>,
    known: Object.keys(parent.properties ?? {}),
    missing
  }
  return (BY_KEYWORD.get(e.keyword) ?? otherKeyword)(x)
}

function problem(x: SchemaError, message: string, at: JSONPath = x.path, atKey = false): Problem {
  return { path: at, message, severity: 'error', atKey, keyword: x.e.keyword }
}

// The message for each JSON Schema keyword lb-routes' schema uses.
const BY_KEYWORD: ReadonlyMap<string, (x: SchemaError) => Problem> = new Map([
  ['additionalProperties', unknownProperty],
  ['required', missingProperties],
  ['type', wrongType],
  ['const', wrongConst],
  [
    'enum',
    (x: SchemaError) => {
      const allowed = (x.params.allowedValues as unknown[]).map(String)
      const hint = typeof x.e.data === 'string' ? didYouMean(x.e.data, allowed) : ''
      return problem(
        x,
        `${x.where} must be one of ${allowed.map((v) => quote(v)).join(', ')}, not ${quote(x.e.data)}${hint}`
      )
    }
  ],
  ['minimum', (x: SchemaError) => outOfRange(x, 'at least')],
  ['maximum', (x: SchemaError) => outOfRange(x, 'at most')],
  [
    'minItems',
    (x: SchemaError) => {
      const d = x.parent.default
      return problem(
        x,
        `${x.where} must not be empty${d === undefined ? '' : `, or remove it to get the default ${quote(d)}`}`
      )
    }
  ],
  [
    'maxItems',
    (x: SchemaError) =>
      problem(
        x,
        `${x.where} has ${(x.e.data as unknown[]).length} items; use at most ${String(x.params.limit)}`
      )
  ],
  [
    'minProperties',
    (x: SchemaError) =>
      problem(
        x,
        `${x.where} must set ${x.known.length === 4 ? 'exactly one' : 'at least one'} of ${x.known.join(', ')}`
      )
  ],
  [
    'maxProperties',
    (x: SchemaError) => {
      const keys = Object.keys(x.e.data as object)
      return problem(
        x,
        `${x.where} sets ${keys.join(' and ')}; a route has exactly one target, so keep one of them`
      )
    }
  ],
  [
    'uniqueItems',
    (x: SchemaError) => {
      const i = Math.max(Number(x.params.i), Number(x.params.j))
      return problem(x, `${x.where} lists ${quote((x.e.data as unknown[])[i])} twice; remove the duplicate`, [
        ...x.path,
        i
      ])
    }
  ],
  ['minLength', (x: SchemaError) => problem(x, `${x.where} must not be empty`)],
  [
    'maxLength',
    (x: SchemaError) =>
      problem(
        x,
        `${x.where} is ${String(x.e.data).length} characters long; use at most ${String(x.params.limit)}`
      )
  ],
  [
    'pattern',
    (x: SchemaError) => problem(x, `${x.where} ${quote(x.e.data)} must match ${String(x.params.pattern)}`)
  ]
])

function otherKeyword(x: SchemaError): Problem {
  return problem(x, `${x.where} ${x.e.message ?? 'is invalid'}`)
}

function unknownProperty(x: SchemaError): Problem {
  const key = String(x.params.additionalProperty)
  const hint = didYouMean(key, x.known) || `; allowed here: ${x.known.join(', ')}`
  const inWhere = x.path.length === 0 ? 'at the top level' : `in ${x.where}`
  return problem(x, `unknown property ${quote(key)} ${inWhere}${hint}`, [...x.path, key], true)
}

// The message is read late: later `required` errors of the same object add to `missing`.
function missingProperties(x: SchemaError): Problem {
  const { where, parent, missing } = x
  return {
    path: x.path,
    severity: 'error',
    keyword: x.e.keyword,
    get message() {
      const about = (key: string) => {
        const text = firstSentence(parent.properties?.[key]?.description)
        return text ? ` (${text})` : ''
      }
      if (missing.length === 1)
        return `${where} is missing the required property "${missing[0]}"${about(missing[0] ?? '')}`
      return `${where} is missing the required properties ${missing.map((k) => `"${k}"`).join(', ')}`
    }
  }
}

function wrongType(x: SchemaError): Problem {
  // A union type arrives as an array (["object", "null"] → "an object or null").
  const wants = ([] as unknown[]).concat(x.params.type).map(String)
  const want = wants[0]!
  const got = x.e.data
  const unquote =
    typeof got === 'string' && isLike(want, got) ? `; remove the quotes around ${quote(got)}` : ''
  return problem(x, `${x.where} must be ${wants.map(article).join(' or ')}, not ${kind(got)}${unquote}`)
}

function wrongConst(x: SchemaError): Problem {
  if (x.path.length === 1 && x.path[0] === 'version') {
    return problem(
      x,
      `version must be 1 (the only routes.json version this lb-routes understands), not ${quote(x.e.data)}`
    )
  }
  return problem(x, `${x.where} must be ${quote(x.params.allowedValue)}, not ${quote(x.e.data)}`)
}

function outOfRange(x: SchemaError, side: string): Problem {
  return problem(x, `${x.where} must be ${side} ${String(x.params.limit)}, not ${quote(x.e.data)}`)
}

function pointerToPath(pointer: string): JSONPath {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s))
}

function firstSentence(text: string | undefined): string | undefined {
  return text?.replace(/\.(\s.*)?$/s, '').replace(/ \(.*\)$/, '')
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: 'an object',
    array: 'an array',
    string: 'a string',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false'
  }
  return names[type] ?? type
}

function kind(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'number')
    return Number.isInteger(value) ? `the number ${value}` : `the number ${value}`
  return `the ${typeof value} ${quote(value)}`
}

function isLike(type: string, text: string): boolean {
  if (type === 'boolean') return text === 'true' || text === 'false'
  if (type === 'integer' || type === 'number') return text.trim() !== '' && !Number.isNaN(Number(text))
  return false
}
