// The shape of a plan check: a pure function of the plan context that may add a row to the plan's checks,
// errors that block apply, warnings for the reviewer, and traffic moves (DESIGN.md §4.1).
import type { PlanContext } from '../context.js'
import type { PlanCheck, TrafficMove } from '../model.js'
import type { PlanProblem } from '../problems.js'

export interface CheckOutcome {
  /** The row in the plan's checks table (none: the check does not apply, e.g. no merged map). */
  readonly check?: PlanCheck
  readonly problems?: readonly PlanProblem[]
  readonly warnings?: readonly string[]
  readonly trafficMoves?: readonly TrafficMove[]
}

/** A plan check; returns undefined (or an empty outcome) when it has nothing to say. */
export type PlanCheckStep = (ctx: PlanContext) => CheckOutcome | undefined

/** The outcomes of several checks, concatenated in order. */
export interface CheckOutcomes {
  readonly checks: readonly PlanCheck[]
  readonly problems: readonly PlanProblem[]
  readonly warnings: readonly string[]
  /** Undefined unless some check reported moves (the plan then carries them). */
  readonly trafficMoves?: readonly TrafficMove[]
}

/** collectOutcomes concatenates outcomes in order: checks, problems, warnings, traffic moves. */
export function collectOutcomes(outcomes: readonly (CheckOutcome | undefined)[]): CheckOutcomes {
  const present = outcomes.filter((o): o is CheckOutcome => o !== undefined)
  const moves = present.filter((o) => o.trafficMoves !== undefined)
  return {
    checks: present.flatMap((o) => (o.check ? [o.check] : [])),
    problems: present.flatMap((o) => o.problems ?? []),
    warnings: present.flatMap((o) => o.warnings ?? []),
    ...(moves.length > 0 ? { trafficMoves: moves.flatMap((o) => o.trafficMoves ?? []) } : {})
  }
}
