// The field tables of the APIs the emulator serves: methods (HTTP rule, body message, query parameters,
// response message), messages (fields in JSON camelCase) and enums. Compute v1 is generated from Google's
// protos (field-table.generated.ts); Cloud Run v2, STS and IAM Credentials are hand-written
// (google-fields.ts). The emulator refuses requests these tables do not allow (wire-check.ts) and the
// wire-conformance test checks lb-routes' own requests against them.
import { COMPUTE_V1 } from './field-table.generated.js'
import { GOOGLE_APIS } from './google-fields.js'

/**
 * A table as written: each field is a string `TYPE`, `TYPE[]` (repeated) or `TYPE{}` (map with string
 * keys), followed by ` out` when Google documents it as output only. TYPE is a proto scalar (`string`,
 * `int64`, ...), a message of the same table, `enum:NAME` (a string enum listed under `enums`), `any`
 * (any JSON object: google.protobuf.Any, or a part the table does not describe) or `duration` / `timestamp`
 * (the well-known types, JSON strings).
 */
export interface RawFieldTable {
  readonly source: string
  /** Proto package, for type URLs in error messages (`type.googleapis.com/<package>.<Enum>`). */
  readonly package: string
  readonly methods: Readonly<Record<string, RawMethod>>
  readonly messages: Readonly<Record<string, Readonly<Record<string, string>>>>
  readonly enums: Readonly<Record<string, readonly string[]>>
}

/** One API method: `VERB /path/{param}` as in its google.api.http rule. */
export interface RawMethod {
  readonly http: string
  /** Request body message, when the method has a body. */
  readonly body?: string
  /** Query parameters in JSON camelCase (dotted for nested request fields), in field notation. */
  readonly query?: Readonly<Record<string, string>>
  readonly response: string
}

/** A parsed field. */
export interface FieldSpec {
  readonly name: string
  /** Scalar, message name, `any`, `duration`, `timestamp` or `enum`. */
  readonly type: string
  /** The enum's name and values when `type` is `enum`. */
  readonly enumName?: string
  readonly values?: readonly string[]
  readonly repeated: boolean
  readonly map: boolean
  readonly outputOnly: boolean
}

/** A parsed table with its lookups. */
export interface FieldTable {
  readonly raw: RawFieldTable
  /** Where an error message places the body's top level: `resource` for Compute, nothing for `body: "*"`. */
  readonly bodyRoot: string
  method(name: string): RawMethod | undefined
  /** fields of a message by JSON name and by proto (snake_case) name. */
  fields(message: string): ReadonlyMap<string, FieldSpec>
  queryField(method: string, key: string): FieldSpec | undefined
}

/** snakeCase turns a JSON name into its proto field name (`pathMatchers` → `path_matchers`). */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/^_/, '')
}

/** parseField reads one field of the notation above. */
export function parseField(table: RawFieldTable, name: string, spec: string): FieldSpec {
  const [shaped = '', ...flags] = spec.split(' ')
  const repeated = shaped.endsWith('[]')
  const map = shaped.endsWith('{}')
  const base = repeated || map ? shaped.slice(0, -2) : shaped
  const outputOnly = flags.includes('out')
  if (!base.startsWith('enum:')) return { name, type: base, repeated, map, outputOnly }
  const enumName = base.slice(5)
  const values = table.enums[enumName]
  if (!values) throw new Error(`${table.source}: enum ${enumName} is not in the table`)
  return { name, type: 'enum', enumName, values, repeated, map, outputOnly }
}

function build(raw: RawFieldTable, bodyRoot: string): FieldTable {
  const cache = new Map<string, ReadonlyMap<string, FieldSpec>>()
  const fields = (message: string): ReadonlyMap<string, FieldSpec> => {
    let out = cache.get(message)
    if (out) return out
    const def = raw.messages[message]
    if (!def) throw new Error(`${raw.source}: message ${message} is not in the table`)
    const m = new Map<string, FieldSpec>()
    for (const [name, spec] of Object.entries(def)) {
      const f = parseField(raw, name, spec)
      m.set(name, f)
      if (!m.has(snakeCase(name))) m.set(snakeCase(name), f)
    }
    cache.set(message, (out = m))
    return out
  }
  return {
    raw,
    bodyRoot,
    method: (name) => (Object.hasOwn(raw.methods, name) ? raw.methods[name] : undefined),
    fields,
    queryField(method, key) {
      const query = raw.methods[method]?.query ?? {}
      const name = Object.keys(query).find((q) => q === key || snakeCase(q) === key)
      return name === undefined ? undefined : parseField(raw, name, query[name]!)
    }
  }
}

/** COMPUTE is Compute v1, generated from @google-cloud/compute's protos. */
export const COMPUTE: FieldTable = build(COMPUTE_V1, 'resource')

/** GOOGLE is Cloud Run Admin v2, STS v1 and IAM Credentials v1 (hand-written, see google-fields.ts). */
export const GOOGLE: FieldTable = build(GOOGLE_APIS, '')

/** tableFor finds the table that describes an API method (`compute.urlMaps.insert`, `run.services.get`). */
export function tableFor(method: string): FieldTable | undefined {
  return [COMPUTE, GOOGLE].find((t) => t.method(method))
}
