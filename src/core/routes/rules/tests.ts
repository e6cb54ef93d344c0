// Rules on the "tests" list: request hosts and paths, and expectations that name real routes.
import { hostnameProblem } from '../formats.js'
import { quote, type Problem } from '../problem.js'
import { nearest } from '../suggest.js'
import { error, str, type FileContext, type Obj, type TestContext } from './context.js'
import type { JSONPath } from 'jsonc-parser'

/** A test's host is a hostname, optionally with a port. */
export function testHost(t: TestContext): Problem[] {
  return hostProblem(t.test, t.at('host'), 'test host')
}

/** A test's path starts with "/". */
export function testPath(t: TestContext): Problem[] {
  return slashProblem(t.test, t.at('path'), 'test path')
}

/** expect.route names a route of this file (with a did-you-mean). */
export function expectedRoute(t: TestContext, file: FileContext): Problem[] {
  const route = t.expect === undefined ? undefined : str(t.expect, 'route')
  if (route === undefined || file.names.has(route)) return []
  const best = nearest(route, file.names.keys())
  const known = [...file.names.keys()]
  const hint =
    best !== undefined
      ? `; did you mean "${best}"?`
      : known.length === 0
        ? '; this file has no routes'
        : `; routes are ${known
            .slice(0, 10)
            .map((n) => quote(n))
            .join(', ')}${known.length > 10 ? ', ...' : ''}`
  return [
    error(
      t.at('expect', 'route'),
      `test expects route ${quote(route)}, which is not a route in this file${hint}`
    )
  ]
}

/** expect.path starts with "/". */
export function expectedPath(t: TestContext): Problem[] {
  return t.expect === undefined ? [] : slashProblem(t.expect, t.at('expect', 'path'), 'expect.path')
}

/** expect.host is a hostname, optionally with a port. */
export function expectedHost(t: TestContext): Problem[] {
  return t.expect === undefined ? [] : hostProblem(t.expect, t.at('expect', 'host'), 'expect.host')
}

function hostProblem(o: Obj, at: JSONPath, what: string): Problem[] {
  const host = str(o, at[at.length - 1] as string)
  const p = host === undefined ? undefined : hostnameProblem(host.toLowerCase(), { port: true })
  return p ? [error(at, `${what} ${quote(host)} ${p}`)] : []
}

function slashProblem(o: Obj, at: JSONPath, what: string): Problem[] {
  const path = str(o, at[at.length - 1] as string)
  if (path === undefined || path.startsWith('/')) return []
  return [error(at, `${what} ${quote(path)} must start with "/"; use "/${path}"`)]
}
