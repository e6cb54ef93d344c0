// `lb-routes demo`: the zero-setup main job. Starts the bundled emulator seeded with a live load balancer
// (another team's routes and rules no tool manages already on it), plans and applies examples/routes.json,
// prints the PR comment it would post, then plans again to show there is nothing left to do.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { UrlMap } from '../../core/compute.js'
import { formatDiagnostic, hasErrors } from '../../core/diagnostics.js'
import { markerOwner } from '../../core/compile/markers.js'
import { hasChanges } from '../../core/plan/model.js'
import { renderApplyText, renderPlanMarkdown, renderPlanText } from '../../core/render/index.js'
import { startEmulator } from '../../emulator/server.js'
import type { EmulatorState } from '../../emulator/types.js'
import { ComputeClient } from '../google/compute-client.js'
import { staticTokenCredentials } from '../google/credentials.js'
import { RunClient } from '../google/run-client.js'
import { NullLogger } from '../logger.js'
import { applyRoutes } from '../engine/apply-routes.js'
import { planRoutesFile } from '../engine/plan-routes.js'
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
  const shown = flags.routes ?? 'examples/routes.json'
  const say = (s = '') => io.stdout(s + '\n')
  const rule = () => say('─'.repeat(72))

  const emulator = await startEmulator({ port: 0, state })
  try {
    const credentials = staticTokenCredentials('lb-routes-demo-token')
    const logger = new NullLogger()
    const clients = {
      compute: new ComputeClient({ endpoint: `${emulator.url}/compute/v1/`, credentials, logger }),
      run: new RunClient({ endpoint: `${emulator.url}/v2/`, credentials, logger })
    }
    say(`lb-routes demo — the bundled Google API emulator is serving at ${emulator.url}`)
    say(`The shared load balancer "edge" in project edge-prod already carries team-shop's routes and an`)
    say(`unmanaged legacy rule. team-web now plans and applies ${shown}.`)
    say()
    const base = { file: shown, bytes, clients, now: io.now() }
    const before = await clients.compute.getUrlMap('edge-prod', 'edge').catch(() => undefined)

    rule()
    say('1. lb-routes plan')
    rule()
    const first = await planRoutesFile(base)
    if (!first.plan || !first.config || hasErrors(first.diagnostics)) {
      for (const d of first.diagnostics) io.stderr(formatDiagnostic(d) + '\n')
      return 1
    }
    io.stdout(renderPlanText(first.plan, { color: io.color }))
    say()
    rule()
    say('2. The pull-request comment the action would post (markdown)')
    rule()
    say(renderPlanMarkdown(first.plan))
    say()
    rule()
    say('3. lb-routes apply')
    rule()
    const applied = await applyRoutes({
      ...base,
      config: first.config,
      reviewed: { planId: first.plan.planId }
    })
    if (!applied.result) {
      for (const d of applied.diagnostics) io.stderr(formatDiagnostic(d) + '\n')
      return 1
    }
    io.stdout(renderApplyText(applied.result, { color: io.color }))
    if (applied.result.status !== 'applied') return 1
    say()
    rule()
    say('4. lb-routes plan, again')
    rule()
    const second = await planRoutesFile({ ...base, now: io.now() })
    if (!second.plan || hasErrors(second.diagnostics)) {
      for (const d of second.diagnostics) io.stderr(formatDiagnostic(d) + '\n')
      return 1
    }
    io.stdout(renderPlanText(second.plan, { color: io.color }))
    const after = await clients.compute.getUrlMap('edge-prod', 'edge')
    // The owner's backends before (from the plan's deletions) and after (its routes).
    const owner = first.plan.owner
    const mine = new Set([
      ...Object.values(first.plan.desired.routeServices),
      ...first.plan.changes.filter((c) => c.address.kind === 'backendService').map((c) => c.address.name)
    ])
    const ours = (s: string | null | undefined) =>
      !!s && [...mine].some((m) => s === m || s.endsWith(`/${m}`))
    const kept = foreignParts(before, owner, ours) === foreignParts(after, owner, ours)
    say()
    say(
      kept
        ? "✓ team-shop's routes and the unmanaged legacy rules are unchanged, byte for byte."
        : "✗ other owners' rules changed!"
    )
    say(
      hasChanges(second.plan)
        ? '✗ the second plan still has changes'
        : '✓ the second plan has no changes: the load balancer matches routes.json.'
    )
    return kept && !hasChanges(second.plan) ? 0 : 1
  } finally {
    await emulator.close()
  }
}
