// A problem found in the parsed value, addressed by JSON path; parse.ts turns the path into line:column.
import type { JSONPath } from 'jsonc-parser'

/** One finding of the schema or a semantic rule, before it has a source position. */
export interface Problem {
  readonly path: JSONPath
  readonly message: string
  readonly severity: 'error' | 'warning'
  /** Point at the property name rather than its value (unknown properties). */
  readonly atKey?: boolean
  /** An earlier value the problem conflicts with; RELATED_AT in the message becomes its position. */
  readonly related?: JSONPath
  /** The JSON Schema keyword that found it, for schema problems. */
  readonly keyword?: string
}

/** Placeholder in a message for ` (line L, column C)` of the problem's `related` path (filled in by parse.ts, in one pass). */
export const RELATED_AT = '\u0000related\u0000'

/** describePath renders a JSON path the way a user would write it: `routes[2].to.cloudRun`. */
export function describePath(path: JSONPath): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else
      out +=
        out === ''
          ? segment
          : /^[A-Za-z_$][\w$]*$/.test(segment)
            ? `.${segment}`
            : `[${JSON.stringify(segment)}]`
  }
  return out === '' ? 'the top level' : out
}

/** quote renders a user value for a message, shortened so a huge value cannot flood the output. */
export function quote(value: unknown): string {
  if (value !== null && typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
