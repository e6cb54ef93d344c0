// Rule: no control characters in any string of routes.json (issue 12). Hosts, paths, prefixes, rewrites,
// header names and values and test paths end up in the URL map, in request headers and in logs; a CR, LF,
// NUL, ESC or any other C0/C1 character there could split a header, inject a workflow command into the
// action's log or rewrite a terminal. No value of routes.json needs one, so every string is checked.
import type { JSONPath } from 'jsonc-parser'
import { describePath, type Problem } from '../problem.js'
import type { FileContext } from './context.js'

// C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/

const CONTROL_MESSAGE = 'contains the control character'

const NAMES: Readonly<Record<number, string>> = {
  0x00: 'NUL',
  0x09: 'tab',
  0x0a: 'line feed',
  0x0d: 'carriage return',
  0x1b: 'escape'
}

/** controlCharProblems reports every string value (at any depth) that holds a control character. */
export function controlCharProblems(root: unknown): Problem[] {
  const problems: Problem[] = []
  const walk = (v: unknown, path: JSONPath): void => {
    if (typeof v === 'string') {
      const m = CONTROL.exec(v)
      if (!m) return
      const code = m[0].charCodeAt(0)
      const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
      problems.push({
        path,
        severity: 'error',
        message: `${describePath(path)} ${CONTROL_MESSAGE} ${hex}${NAMES[code] ? ` (${NAMES[code]})` : ''} at index ${m.index}; remove it: hosts, paths, rewrites, headers and tests must be plain text`
      })
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]))
    else if (v && typeof v === 'object')
      for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], [...path, k])
  }
  walk(root, [])
  return problems
}

/** controlCharacters is the rule: no string value of routes.json holds a control character. */
export function controlCharacters(file: FileContext): Problem[] {
  return controlCharProblems(file.root)
}

/**
 * soleControlCharProblems keeps a value that holds a control character to that one error: the other
 * rules' format complaints about the same value only repeat it.
 */
export function soleControlCharProblems(problems: readonly Problem[]): Problem[] {
  const at = new Set(
    problems.filter((p) => p.message.includes(CONTROL_MESSAGE)).map((p) => JSON.stringify(p.path))
  )
  return problems.filter((p) => p.message.includes(CONTROL_MESSAGE) || !at.has(JSON.stringify(p.path)))
}
