// What the plan steps share: the plan's input plus what the structural steps computed from it. Plan checks
// (checks/index.ts) and the route table read it; nothing changes it once built.
import type { UrlMap } from '../compute.js'
import type { CompileResult } from '../compile/compile-desired.js'
import type { DesiredState } from '../compile/model.js'
import type { FrontendDiff } from '../diff/frontend.js'
import type { ResourceDiff } from '../diff/resources.js'
import type { RoutesConfig } from '../routes/model.js'
import type { LiveState } from './live.js'
import type { MergeResult } from './merge-url-map.js'
import type { ResourceChange } from './model.js'
import type { Ownership } from './ownership.js'
import type { RouteTestCase } from './route-tests.js'

export interface BuildPlanInput {
  readonly config: RoutesConfig
  readonly compiled: CompileResult
  readonly live: LiveState
  readonly now: Date
  /** Take over equivalent hand-built resources in place (plan --adopt, adopt.ts). */
  readonly adopt?: boolean
}

export interface PlanContext extends BuildPlanInput {
  readonly adopt: boolean
  /** The desired state with bound live resources renamed to their live names (bindExisting). */
  readonly desired: DesiredState
  readonly ownership: Ownership
  readonly merged: MergeResult
  readonly resources: ResourceDiff
  readonly frontend: FrontendDiff
  /** Every resource change, the URL map's last: resources, frontend, URL map. */
  readonly changes: readonly ResourceChange[]
  /** The merged URL map (undefined when it cannot be built). */
  readonly mergedMap?: UrlMap
  /** Declared and generated route tests; empty without a merged map. */
  readonly testCases: readonly RouteTestCase[]
}
