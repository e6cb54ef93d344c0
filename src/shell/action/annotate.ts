// How the action talks to the runner's log: diagnostics as file/line annotations, and every bearer token
// masked before anything could print it.
import type { Diagnostic } from '../../core/diagnostics.js'
import type { CredentialSource } from '../google/credentials.js'
import type { ActionCore } from './deps.js'

// GitHub shows at most 10 annotations of a type per step (actions-ecosystem.md §5).
const MAX_ANNOTATIONS = 10

/** annotate turns diagnostics into file/line annotations (the first 10 of each type) and log lines. */
export function annotate(core: ActionCore, diagnostics: readonly Diagnostic[]): void {
  let errors = 0
  let warnings = 0
  for (const d of diagnostics) {
    const line = `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`
    if (d.severity === 'error' && errors++ < MAX_ANNOTATIONS) {
      core.error(d.message, { title: 'lb-routes', file: d.file, startLine: d.line, startColumn: d.column })
    } else if (d.severity === 'warning' && warnings++ < MAX_ANNOTATIONS) {
      core.warning(line)
    } else {
      core.info(line)
    }
  }
  if (errors > MAX_ANNOTATIONS)
    core.info(`(${errors - MAX_ANNOTATIONS} more errors: see the log above and the job summary)`)
}

/** masked wraps credentials so every bearer token is masked in the logs before anything can print it. */
export function masked(core: ActionCore, source: CredentialSource): CredentialSource {
  return {
    describe: (p) => source.describe(p),
    accessAdvice: (p, r) => source.accessAdvice(p, r),
    async headersFor(project) {
      const headers = await source.headersFor(project)
      const auth = headers.authorization ?? headers.Authorization
      if (auth) core.setSecret(auth.replace(/^Bearer\s+/i, ''))
      return headers
    }
  }
}
