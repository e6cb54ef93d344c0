// Semantic rules for routes.json: what the JSON Schema cannot say (formats with fix-it advice, cross-field
// and cross-route constraints, the internet allow-list). Rules run on the raw parsed value even when the
// schema found problems, so every mistake is reported at once; each rule skips values of the wrong type
// (the schema reports those).
//
// A rule is one function returning its problems; the lists below say when it runs and in which order its
// problems are reported. To add a rule: write the function in rules/<part>.ts and add it to the list of the
// part of the file it checks. Facts several rules need (usable hosts and paths, who claimed what first) are
// gathered once in rules/context.ts.
import {
  allowList,
  frontendDomains,
  frontendNames,
  loadBalancerProject,
  loadBalancerUrlMap,
  ownerName
} from './rules/file.js'
import {
  requestHeaderCount,
  requestHeaders,
  securityPolicy,
  serverlessTimeout,
  sharedBackendSettings
} from './rules/backend.js'
import { fileContext, isObj, testContexts } from './rules/context.js'
import type { FileContext, Obj, RouteContext, RuleOptions, TestContext } from './rules/context.js'
import {
  hostClaims,
  prefixFormat,
  prefixOrPaths,
  reachable,
  rewriteHost,
  rewriteNeedsPaths,
  rewritePathPrefix,
  routeHosts,
  routeName,
  routePaths,
  uniqueRouteName
} from './rules/route.js'
import {
  cloudRunNaming,
  internetAllowed,
  internetEndpoint,
  loadBalancerAllowed,
  loadBalancerNaming,
  serverlessRegions,
  targetFields
} from './rules/target.js'
import { expectedHost, expectedPath, expectedRoute, testHost, testPath } from './rules/tests.js'
import { controlCharacters, soleControlCharProblems } from './rules/control-chars.js'
import type { Problem } from './problem.js'

export { MAX_NAME_LENGTH, MAX_REQUEST_HEADERS, type RuleOptions } from './rules/context.js'

export type FileRule = (file: FileContext) => Problem[]
export type RouteRule = (route: RouteContext, file: FileContext) => Problem[]
export type TestRule = (test: TestContext, file: FileContext) => Problem[]
export type FrontendRule = (frontend: Obj, file: FileContext) => Problem[]

/** The rules by the part of routes.json they check; problems come out in this order (routes and tests one by one). */
export interface RuleSet {
  /** Once, on the top level, before the routes. */
  readonly file: readonly FileRule[]
  /** For each route that is an object. */
  readonly route: readonly RouteRule[]
  /** For each test case that is an object. */
  readonly test: readonly TestRule[]
  /** Once, when "frontend" is an object. */
  readonly frontend: readonly FrontendRule[]
}

/** RULES are all the semantic rules of routes.json. */
export const RULES: RuleSet = {
  file: [controlCharacters, ownerName, loadBalancerProject, loadBalancerUrlMap, allowList],
  route: [
    routeName,
    uniqueRouteName,
    routeHosts,
    prefixOrPaths,
    prefixFormat,
    routePaths,
    reachable,
    rewriteNeedsPaths,
    rewritePathPrefix,
    rewriteHost,
    hostClaims,
    targetFields,
    serverlessRegions,
    cloudRunNaming,
    internetEndpoint,
    internetAllowed,
    loadBalancerNaming,
    loadBalancerAllowed,
    serverlessTimeout,
    sharedBackendSettings,
    securityPolicy,
    requestHeaders,
    requestHeaderCount
  ],
  test: [testHost, testPath, expectedRoute, expectedPath, expectedHost],
  frontend: [frontendNames, frontendDomains]
}

/** ruleProblems checks everything about a parsed routes.json value that the schema cannot. */
export function ruleProblems(root: unknown, opts: RuleOptions, rules: RuleSet = RULES): Problem[] {
  if (!isObj(root)) return []
  const file = fileContext(root, opts)
  const problems: Problem[] = []
  const add = (found: readonly Problem[]) => {
    for (const p of found) problems.push(p)
  }
  for (const rule of rules.file) add(rule(file))
  for (const route of file.routes) for (const rule of rules.route) add(rule(route, file))
  for (const test of testContexts(root)) for (const rule of rules.test) add(rule(test, file))
  const frontend = root.frontend
  if (isObj(frontend)) for (const rule of rules.frontend) add(rule(frontend, file))
  return soleControlCharProblems(problems)
}
