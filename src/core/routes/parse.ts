// parseRoutes: routes.json text → RoutesConfig, or every problem in it at once (DESIGN.md §2).
// Stages: input checks → JSONC syntax → JSON Schema → semantic rules → normalisation. Later stages run
// only when the earlier ones leave a usable value; schema and rule problems are reported together.
import { printParseErrorCode, type JSONPath, type ParseError } from 'jsonc-parser'
import type { Diagnostic } from '../diagnostics.js'
import type { RoutesConfig, SourceRef } from './model.js'
import { normaliseRoutes, type WrittenRoutes } from './normalise.js'
import { locatePaths, readJsonc, type JsoncDocument } from './jsonc.js'
import { quote, RELATED_AT, type Problem } from './problem.js'
import { ruleProblems } from './rules.js'
import { schemaProblems, VALUE_KEYWORDS } from './schema.js'
import { decodeSource, deepestOffset, LineIndex, MAX_DEPTH } from './source.js'
import { errorMessage } from '../error-message.js'

export interface ParseRoutesOptions {
  /** File name used in diagnostics. */
  readonly file: string
  /** The load balancer owner's allow-list (--allowed-internet-hosts); every allowedInternetHosts entry must fit in it. */
  readonly policyAllowedInternetHosts?: readonly string[]
}

export interface ParseRoutesResult {
  /** Set only when there are no errors (warnings allowed). */
  readonly config?: RoutesConfig
  /** Every problem found, sorted by position. */
  readonly diagnostics: readonly Diagnostic[]
}

/** Enough to fix a broken file in one pass; more is noise (e.g. a file of garbage). */
export const MAX_DIAGNOSTICS = 200
const MAX_PROBLEMS = 1000

/** parseRoutes parses and validates a routes.json; it never throws, whatever the input. */
export function parseRoutes(input: string | Uint8Array, opts: ParseRoutesOptions): ParseRoutesResult {
  try {
    return parse(input, opts)
  } catch (err) {
    // A bug, not a user error: still a diagnostic, so callers print it like any other.
    const message = `internal error while reading the routes file (please report it): ${errorMessage(err)}`
    return { diagnostics: [{ severity: 'error', file: opts.file, line: 1, column: 1, message }] }
  }
}

function parse(input: string | Uint8Array, opts: ParseRoutesOptions): ParseRoutesResult {
  const read = readDocument(input, opts.file)
  if ('result' in read) return read.result
  const { text, lines, doc } = read
  const value = doc.value
  const { problems, omitted } = findProblems(value, doc, opts)
  const diagnostics = locateProblems(text, lines, problems, omitted, opts.file)
  if (diagnostics.some((d) => d.severity === 'error')) return { diagnostics }

  const file = value as WrittenRoutes
  const at = (path: JSONPath): SourceRef => {
    let item: unknown = file
    for (const key of path) item = (item as Record<string | number, unknown> | undefined)?.[key]
    return lines.at(typeof item === 'object' && item !== null ? (doc.itemOffsets.get(item) ?? 0) : 0)
  }
  return { config: normaliseRoutes(file, at), diagnostics }
}

function diagnosticAt(
  file: string,
  lines: LineIndex,
  offset: number,
  message: string,
  severity: Diagnostic['severity'] = 'error'
): Diagnostic {
  return { severity, file, ...lines.at(offset), message }
}

// Input checks and JSONC syntax: a document with a value, or the result to return (errors only).
function readDocument(
  input: string | Uint8Array,
  file: string
): { result: ParseRoutesResult } | { text: string; lines: LineIndex; doc: JsoncDocument } {
  const atStart = (message: string) => ({
    result: { diagnostics: [{ severity: 'error' as const, file, line: 1, column: 1, message }] }
  })
  const decoded = decodeSource(input)
  if ('problem' in decoded) return atStart(decoded.problem)
  const text = decoded.text
  if (text.trim() === '')
    return atStart('file is empty; it must hold a routes.json object ({"version": 1, "owner": ..., ...})')

  const lines = new LineIndex(text)
  const tooDeep = deepestOffset(text, MAX_DEPTH)
  if (tooDeep >= 0) {
    const message = `nesting is deeper than ${MAX_DEPTH} levels; a routes.json needs about 6`
    return { result: { diagnostics: [diagnosticAt(file, lines, tooDeep, message)] } }
  }

  const doc = readJsonc(text)
  if (doc.errors.length > 0 || doc.value === undefined) {
    if (
      doc.value === undefined &&
      doc.errors.every((e) => printParseErrorCode(e.error) === 'ValueExpected')
    ) {
      return atStart(
        'file has no JSON value, only comments; it must hold a routes.json object ({"version": 1, ...})'
      )
    }
    const syntax = syntaxDiagnostics(text, doc.errors, lines)
    return {
      result: { diagnostics: limit(syntax.map((e) => diagnosticAt(file, lines, e.offset, e.message))) }
    }
  }
  return { text, lines, doc }
}

// Duplicate keys, JSON Schema and semantic rules, reported together. Each stage keeps its first
// MAX_PROBLEMS findings (in document order) so a file of garbage stays fast; `omitted` counts the rest.
function findProblems(
  value: unknown,
  doc: JsoncDocument,
  opts: ParseRoutesOptions
): { problems: Problem[]; omitted: number } {
  const allRules = ruleProblems(value, { policyAllowedInternetHosts: opts.policyAllowedInternetHosts })
  const rules = allRules.slice(0, MAX_PROBLEMS)
  // The rules re-check string formats with better advice; keep Ajv's generic message only where they are silent.
  const ruled = new Set(rules.map((p) => JSON.stringify(p.path)))
  const checked = schemaProblems(value, MAX_PROBLEMS)
  const schema = checked.problems.filter(
    (p) => !(VALUE_KEYWORDS.has(p.keyword ?? '') && ruled.has(JSON.stringify(p.path)))
  )
  const omitted =
    allRules.length - rules.length + checked.omitted + Math.max(0, doc.duplicates.length - MAX_PROBLEMS)
  const duplicates = doc.duplicates.slice(0, MAX_PROBLEMS).map((d): Problem => ({
    path: d.path,
    message: `property ${quote(d.path[d.path.length - 1])} appears twice in this object; the first one would be silently ignored, so remove one`,
    severity: 'error',
    atKey: true
  }))
  return { problems: [...duplicates, ...schema, ...rules], omitted }
}

// Problems by JSON path → diagnostics at line:column (RELATED_AT filled in), sorted and capped.
function locateProblems(
  text: string,
  lines: LineIndex,
  problems: readonly Problem[],
  omitted: number,
  file: string
): Diagnostic[] {
  const located = locatePaths(text, [...problems.map((p) => p.path), ...problems.map((p) => p.related ?? [])])
  return limit(
    problems.map((p, i) => {
      const at = located[i] ?? { offset: 0 }
      const related = lines.at(located[problems.length + i]?.offset ?? 0)
      const message = p.message.replace(RELATED_AT, ` (line ${related.line}, column ${related.column})`)
      return diagnosticAt(file, lines, p.atKey ? (at.keyOffset ?? at.offset) : at.offset, message, p.severity)
    }),
    omitted
  )
}

// Sort by position and cap the count, saying how many were left out (`omitted` were never located).
function limit(diagnostics: Diagnostic[], omitted = 0): Diagnostic[] {
  const sorted = [...diagnostics].sort((a, b) => a.line - b.line || a.column - b.column)
  if (sorted.length <= MAX_DIAGNOSTICS && omitted === 0) return sorted
  const rest = Math.max(0, sorted.length - MAX_DIAGNOSTICS) + omitted
  const next = sorted[Math.min(MAX_DIAGNOSTICS, sorted.length - 1)]
  if (next === undefined) return sorted
  return [
    ...sorted.slice(0, MAX_DIAGNOSTICS),
    { ...next, message: `${rest} more problems not shown; fix the ones above first` }
  ]
}

const SYNTAX_MESSAGES: Record<string, string> = {
  InvalidNumberFormat: 'invalid number; write numbers like 443 or 0.5 (no leading zeros, "+" or hex)',
  PropertyNameExpected: 'expected a property name in double quotes, like "name"',
  ValueExpected:
    'expected a value (a string in double quotes, a number, true, false, null, an object or an array)',
  ColonExpected: 'expected ":" after the property name',
  CommaExpected: 'expected "," before this; separate values and properties with commas',
  CloseBraceExpected: 'expected "}" to close the object (or "," before the next property)',
  CloseBracketExpected: 'expected "]" to close the array (or "," before the next value)',
  EndOfFileExpected: 'unexpected text after the end of the JSON value; remove it',
  InvalidCommentToken: 'invalid comment; use // or /* */',
  UnexpectedEndOfComment: 'comment is not closed; add "*/"',
  UnexpectedEndOfString: 'string is not closed; add the closing double quote (") on the same line',
  UnexpectedEndOfNumber: 'number is incomplete',
  InvalidUnicode: 'invalid \\u escape; use \\u followed by four hex digits',
  InvalidEscapeCharacter: 'invalid escape; use \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX',
  InvalidCharacter: 'control character inside a string; escape it (e.g. \\n or \\t)'
}

// jsonc-parser keeps going after an error, and its next few errors on the same line are usually
// consequences of the first ({'a': 1} gives three); report one per line. An unexpected token gets a
// message that quotes it.
function syntaxDiagnostics(
  text: string,
  errors: readonly ParseError[],
  lines: LineIndex
): Array<{ offset: number; message: string }> {
  const seen = new Set<number>()
  const out: Array<{ offset: number; message: string }> = []
  let previous = ''
  for (const e of errors) {
    const line = lines.at(e.offset).line
    const code = printParseErrorCode(e.error)
    // An unclosed comment swallows the rest of the file; an unclosed string ends at the line break,
    // so the next line's "missing comma" is the same mistake.
    if (previous === 'UnexpectedEndOfComment') break
    const echo = previous === 'UnexpectedEndOfString' && /Expected$/.test(code)
    previous = code
    if (seen.has(line) || echo) continue
    seen.add(line)
    if (
      e.offset >= text.trimEnd().length &&
      code !== 'UnexpectedEndOfComment' &&
      code !== 'UnexpectedEndOfString'
    ) {
      out.push({
        offset: e.offset,
        message: 'syntax error: the file ends too early; close every "{" with "}" and every "[" with "]"'
      })
      continue
    }
    out.push({
      offset: e.offset,
      message:
        code === 'InvalidSymbol'
          ? invalidSymbol(text.slice(e.offset, e.offset + Math.min(e.length, 40)))
          : `syntax error: ${SYNTAX_MESSAGES[code] ?? code}`
    })
  }
  return out
}

function invalidSymbol(token: string): string {
  if (/^(True|TRUE|False|FALSE|Null|NULL|None)$/.test(token))
    return `syntax error: unknown word ${token}; write ${token === 'None' ? 'null' : token.toLowerCase()} in lowercase`
  if (token.startsWith("'")) return 'syntax error: strings need double quotes ("..."), not single quotes'
  if (/^[A-Za-z_$][\w$-]*$/.test(token))
    return `syntax error: unexpected word ${token}; put strings and property names in double quotes ("${token}")`
  return `syntax error: unexpected ${JSON.stringify(token)}; expected a value or punctuation such as "," ":" "}" or "]"`
}
