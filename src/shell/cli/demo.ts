// `lb-routes demo`: the zero-setup main job. Starts the bundled emulator seeded with a live load balancer
// (another team's routes and rules no tool manages already on it), plans and applies examples/routes.json,
// prints the PR comment it would post, then plans again to show there is nothing left to do.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { UrlMap } from '../../core/compute.js'
import { formatDiagnostic, hasErrors } from '../../core/diagnostics.js'
import { markerOwner } from '../../core/compile/markers.js'
import { hasChanges, type Plan } from '../../core/plan/model.js'
import { renderApplyText, renderPlanMarkdown, renderPlanText } from '../../core/render/index.js'
import { startEmulator } from '../../emulator/server.js'
import type { EmulatorState } from '../../emulator/types.js'
import { ComputeClient } from '../google/compute-client.js'
import { staticTokenCredentials } from '../google/credentials.js'
import { RunClient } from '../google/run-client.js'
import { NullLogger } from '../logger.js'
import { applyRoutes } from '../engine/apply-routes.js'
import { planRoutesFile, type PlanRoutesFileInput } from '../engine/plan-routes.js'
import type { RoutesConfig } from '../../core/routes/model.js'
import { parseFlags } from './args.js'
import type { CliIo } from './io.js'

export const DEMO_HELP = `Usage: lb-routes demo [--routes FILE] [--state FILE]

Runs the whole job against the bundled emulator, no Google account needed:
  1. starts the emulator with a live load balancer (examples/emulator-state.json): team-shop's
     routes and an unmanaged legacy rule are already on the shared URL map "edge";
  2. plans examples/routes.json for team-web and prints the plan and the PR comment;
  3. applies it (NEGs → backend services → URL map → deletions);
  4. plans again: no changes; and checks the other owners' rules are byte-identical.

Options:
  --routes FILE   routes file (default: the bundled examples/routes.json)
  --state FILE    emulator state (default: the bundled examples/emulator-state.json)
  -h, --help      show this help
`

/** packageFile finds a file shipped with lb-routes (examples/…), from src/ or from the dist/ bundle. */
export function packageFile(relative: string): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, relative)
    if (existsSync(candidate)) return candidate
    dir = dirname(dir)
  }
  throw new Error(`cannot find ${relative} next to the lb-routes installation`)
}

/**
 * foreignParts keeps what does not belong to `owner` in a URL map: other owners' and unmanaged host rules,
 * path matchers and path rules, with defaults the owner held (or inherited from its map default) blanked.
 */
function foreignParts(
  map: UrlMap | undefined,
  owner: string,
  ours: (s: string | null | undefined) => boolean
): string {
  if (!map) return ''
  const matchers = (map.pathMatchers ?? [])
    .filter((pm) => markerOwner(pm.description) !== owner)
    .map((pm) => ({
      ...pm,
      defaultService: ours(pm.defaultService) ? '(owner default)' : pm.defaultService,
      pathRules: (pm.pathRules ?? []).filter((r) => !ours(r.service))
    }))
  return JSON.stringify({
    hostRules: (map.hostRules ?? []).filter((h) => markerOwner(h.description) !== owner),
    matchers
  })
}

/** demoCommand runs `lb-routes demo`. */
export async function demoCommand(args: string[], io: CliIo): Promise<number> {
  const flags = parseFlags('demo', args, { routes: { type: 'string' }, state: { type: 'string' } })
  if (flags.help) {
    io.stdout(DEMO_HELP)
    return 0
  }
  const routesFile = flags.routes ?? packageFile('examples/routes.json')
  const stateFile = flags.state ?? packageFile('examples/emulator-state.json')
  const state = JSON.parse(readFileSync(stateFile, 'utf8')) as EmulatorState
  const bytes = readFileSync(routesFile)
  const emulator = await startEmulator({ port: 0, state })
  try {
    return await runDemo(io, emulator.url, flags.routes ?? 'examples/routes.json', bytes)
  } finally {
    await emulator.close()
  }
}

// The four steps of the help text against the running emulator; 0 when all of them hold.
async function runDemo(io: CliIo, url: string, shown: string, bytes: Uint8Array): Promise<number> {
  const say = (s = '') => io.stdout(s + '\n')
  const section = (title: string) => {
    say('─'.repeat(72))
    say(title)
    say('─'.repeat(72))
  }
  const credentials = staticTokenCredentials('lb-routes-demo-token')
  const logger = new NullLogger()
  const clients = {
    compute: new ComputeClient({ endpoint: `${url}/compute/v1/`, credentials, logger }),
    run: new RunClient({ endpoint: `${url}/v2/`, credentials, logger })
  }
  say(`lb-routes demo — the bundled Google API emulator is serving at ${url}`)
  say(`The shared load balancer "edge" in project edge-prod already carries team-shop's routes and an`)
  say(`unmanaged legacy rule. team-web now plans and applies ${shown}.`)
  say()
  const base = { file: shown, bytes, clients, now: io.now() }
  const before = await clients.compute.getUrlMap('edge-prod', 'edge').catch(() => undefined)

  section('1. lb-routes plan')
  const planned = await planAndShow(io, base)
  if (!planned) return 1
  const first = planned.plan
  say()
  section('2. The pull-request comment the action would post (markdown)')
  say(renderPlanMarkdown(first))
  say()
  section('3. lb-routes apply')
  const applied = await applyRoutes({
    file: shown,
    config: planned.config,
    clients,
    now: io.now(),
    reviewed: { planId: first.planId }
  })
  if (!applied.result) {
    for (const d of applied.diagnostics) io.stderr(formatDiagnostic(d) + '\n')
    return 1
  }
  io.stdout(renderApplyText(applied.result, { color: io.color }))
  if (applied.result.status !== 'applied') return 1
  say()
  section('4. lb-routes plan, again')
  const second = (await planAndShow(io, { ...base, now: io.now() }))?.plan
  if (!second) return 1
  const after = await clients.compute.getUrlMap('edge-prod', 'edge')
  const kept = othersKept(first, before, after)
  say()
  say(
    kept
      ? "✓ team-shop's routes and the unmanaged legacy rules are unchanged, byte for byte."
      : "✗ other owners' rules changed!"
  )
  say(
    hasChanges(second)
      ? '✗ the second plan still has changes'
      : '✓ the second plan has no changes: the load balancer matches routes.json.'
  )
  return kept && !hasChanges(second) ? 0 : 1
}

// Plans and prints the plan as text; undefined (after printing the diagnostics) when planning failed.
async function planAndShow(
  io: CliIo,
  input: PlanRoutesFileInput
): Promise<{ plan: Plan; config: RoutesConfig } | undefined> {
  const planned = await planRoutesFile(input)
  if (!planned.plan || !planned.config || hasErrors(planned.diagnostics)) {
    for (const d of planned.diagnostics) io.stderr(formatDiagnostic(d) + '\n')
    return undefined
  }
  io.stdout(renderPlanText(planned.plan, { color: io.color }))
  return { plan: planned.plan, config: planned.config }
}

// Whether everything not the planning owner's is unchanged. The owner's backends before come from the
// plan's deletions, after from its routes.
function othersKept(plan: Plan, before: UrlMap | undefined, after: UrlMap): boolean {
  const mine = new Set([
    ...Object.values(plan.desired.routeServices),
    ...plan.changes.filter((c) => c.address.kind === 'backendService').map((c) => c.address.name)
  ])
  const ours = (s: string | null | undefined) => !!s && [...mine].some((m) => s === m || s.endsWith(`/${m}`))
  return foreignParts(before, plan.owner, ours) === foreignParts(after, plan.owner, ours)
}
