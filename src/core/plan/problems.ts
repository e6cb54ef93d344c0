// Plan problems: errors that block apply, each pointing at its place in routes.json. The structural steps
// (compile, merge, diff) report theirs here; plan checks return their own (checks/index.ts).
import type { CompileResult } from '../compile/compile-desired.js'
import type { Diagnostic } from '../diagnostics.js'
import type { FrontendDiff } from '../diff/frontend.js'
import type { ResourceDiff } from '../diff/resources.js'
import type { RoutesConfig, SourceRef } from '../routes/model.js'
import type { Conflict, MergeResult } from './merge-url-map.js'

/** The `route` of a PlanProblem about the frontend block (points the diagnostic at `frontend`). */
export const FRONTEND = '(frontend)'

/** A plan-time error; `route` lets the shell point the diagnostic at that route in routes.json. */
export interface PlanProblem {
  readonly message: string
  readonly route?: string
  /** Where in routes.json the problem is (a declared test); else the route's position, else loadBalancer's. */
  readonly at?: SourceRef
}

/** problemDiagnostic points a plan problem at its place in routes.json: the test, the route, else loadBalancer. */
export function problemDiagnostic(file: string, config: RoutesConfig, p: PlanProblem): Diagnostic {
  const at = p.at ??
    (p.route === FRONTEND ? config.frontend?.at : config.routes.find((r) => r.name === p.route)?.at) ??
    config.loadBalancerAt ?? { line: 1, column: 1 }
  return { severity: 'error', file, line: at.line, column: at.column, message: p.message }
}

/** unresolvedProblems: one error per target compile could not resolve (placeholders were used). */
export function unresolvedProblems(compiled: CompileResult): PlanProblem[] {
  return compiled.unresolved.map((u) => ({
    route: u.route,
    message: `${u.what} was not found; check the project, region and name (and that the identity used can read it)`
  }))
}

/** conflictMessage says who holds a claimed host and path, and how to resolve it (adopting or not). */
export function conflictMessage(c: Conflict, adopt: boolean): string {
  const unmanaged = c.holder.startsWith('an unmanaged rule')
  const hint = !unmanaged
    ? ''
    : adopt
      ? ' (adoption found no hand-built backend service with the same NEGs and Host header for this route)'
      : '; if that is your hand-built backend for this route, take it over in place with plan --adopt / lb-routes adopt'
  return `${c.route ? `route ${c.route} claims` : 'claims'} host ${c.host} ${c.path === '(default)' ? 'default' : `path ${c.path}`}, which is held by ${c.holder}; pick another host or path, or agree with the holder to release it${hint}`
}

/** mergeProblems: the merge's errors, then one error per claimed host and path. */
export function mergeProblems(merged: MergeResult, adopt: boolean): PlanProblem[] {
  return [
    ...merged.errors.map((message) => ({ message })),
    ...merged.conflicts.map((c) => ({
      ...(c.route ? { route: c.route } : {}),
      message: conflictMessage(c, adopt)
    }))
  ]
}

/** diffProblems: name collisions of the resource diff, then the frontend's (pointed at `frontend`). */
export function diffProblems(resources: ResourceDiff, frontend: FrontendDiff): PlanProblem[] {
  return [
    ...resources.errors.map((message) => ({ message })),
    ...frontend.errors.map((message) => ({ message, route: FRONTEND }))
  ]
}
