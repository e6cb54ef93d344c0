// Shared harness for the end-to-end scenario tests: a seeded emulator, the CLI run in-process against it
// over HTTP (the Terraform-style endpoint variables), and readers of the live state the tests assert on.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { applyEdits, modify, type JSONPath } from 'jsonc-parser'
import type { BackendService, NetworkEndpointGroup, UrlMap } from '../../src/core/compute.js'
import { markerOwner } from '../../src/core/compile/markers.js'
import { evaluateUrlMap } from '../../src/core/google-semantics/evaluate.js'
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/server.js'
import type { EmulatorState } from '../../src/emulator/types.js'
import { ComputeClient } from '../../src/shell/google/compute-client.js'
import { staticTokenCredentials } from '../../src/shell/google/credentials.js'
import { NullLogger } from '../../src/shell/logger.js'
import { cli, type CliRun } from './cli-io.js'

export const ROOT = new URL('../../', import.meta.url).pathname
export const FIXTURES = join(ROOT, 'test/fixtures/scenarios')
export const LB = 'edge-prod'
export const URL_MAP = 'edge'

const bs = (project: string, name: string) =>
  `https://www.googleapis.com/compute/v1/projects/${project}/global/backendServices/${name}`

/**
 * seededState is examples/emulator-state.json (team-shop's rules, an unmanaged legacy host, team-web's old
 * "welcome" default) plus what the scenarios resolve: more Cloud Run services in team-a and, in ml-prod,
 * the global forwarding rule of another load balancer (technique §1.4 by project + forwardingRule).
 */
export function seededState(): EmulatorState {
  const state = JSON.parse(readFileSync(join(ROOT, 'examples/emulator-state.json'), 'utf8')) as EmulatorState
  const teamA = state.projects['team-a']!
  const run = (teamA.runServices ??= {})
  ;(run['us-central1'] ??= []).push({
    name: 'docs',
    uri: 'https://docs-624791234.us-central1.run.app',
    ingress: 'INGRESS_TRAFFIC_ALL',
    invokerMembers: ['allUsers']
  })
  state.projects['ml-prod'] = {
    globalForwardingRules: [
      {
        name: 'ml-https',
        IPAddress: '203.0.113.10',
        IPProtocol: 'TCP',
        portRange: '443-443',
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        target: 'https://www.googleapis.com/compute/v1/projects/ml-prod/global/targetHttpsProxies/ml-proxy'
      }
    ]
  }
  return state
}

/** emptyMapState is a load balancer whose URL map has only an unmanaged default (for the two-owner tests). */
export function emptyMapState(): EmulatorState {
  return {
    projects: {
      [LB]: {
        urlMaps: [{ name: URL_MAP, defaultService: bs(LB, 'fallback') }],
        backendServices: [
          {
            name: 'fallback',
            protocol: 'HTTPS',
            loadBalancingScheme: 'EXTERNAL_MANAGED',
            backends: [
              {
                group: `https://www.googleapis.com/compute/v1/projects/${LB}/global/networkEndpointGroups/fallback-neg`
              }
            ]
          }
        ],
        globalNetworkEndpointGroups: [
          {
            name: 'fallback-neg',
            networkEndpointType: 'INTERNET_FQDN_PORT',
            defaultPort: 443,
            networkEndpoints: [{ fqdn: 'fallback.example.org', port: 443 }]
          }
        ]
      }
    }
  }
}

/** fixture reads a routes file of test/fixtures/scenarios. */
export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8')
}

/** edit removes (value undefined) or sets JSON paths in JSONC text, keeping comments and layout. */
export function edit(text: string, changes: readonly (readonly [JSONPath, unknown?] | JSONPath)[]): string {
  for (const c of changes) {
    const [path, value] = Array.isArray(c[0])
      ? (c as readonly [JSONPath, unknown?])
      : [c as JSONPath, undefined]
    text = applyEdits(
      text,
      modify(text, path, value, { formattingOptions: { insertSpaces: true, tabSize: 2 } })
    )
  }
  return text
}

/** A running emulator plus a scratch directory, with the CLI wired to both. */
export class Scenario {
  readonly dir = mkdtempSync(join(tmpdir(), 'lbr-scenario-'))
  readonly compute: ComputeClient

  private constructor(readonly emulator: Emulator) {
    this.compute = new ComputeClient({
      endpoint: `${emulator.url}/compute/v1/`,
      credentials: staticTokenCredentials('scenario-test'),
      logger: new NullLogger()
    })
  }

  /** start seeds an emulator on 127.0.0.1, port 0. */
  static async start(
    state: EmulatorState,
    opts: Omit<EmulatorOptions, 'state' | 'port'> = {}
  ): Promise<Scenario> {
    return new Scenario(await startEmulator({ port: 0, host: '127.0.0.1', state, ...opts }))
  }

  /** env points lb-routes at the emulator (DESIGN.md §7). */
  get env(): Record<string, string> {
    return {
      GOOGLE_COMPUTE_CUSTOM_ENDPOINT: `${this.emulator.url}/compute/v1/`,
      GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT: `${this.emulator.url}/v2/`,
      GOOGLE_OAUTH_ACCESS_TOKEN: 'scenario-test'
    }
  }

  /** routes copies a fixture (or writes text) into the scratch directory as `name`, returns the name. */
  routes(name: string, fixtureOrText: string): string {
    const text =
      fixtureOrText.trimStart().startsWith('{') || fixtureOrText.trimStart().startsWith('//')
        ? fixtureOrText
        : readFileSync(join(FIXTURES, fixtureOrText), 'utf8')
    writeFileSync(join(this.dir, name), text)
    return name
  }

  /** run runs `lb-routes ...args` in-process in the scratch directory. */
  run(args: string[]): Promise<CliRun> {
    return cli(args, { env: this.env, cwd: this.dir })
  }

  /** converge asserts plan → 2, apply → 0, plan → 0 ("No changes.") for a routes file. */
  async converge(file: string): Promise<{ plan: CliRun; apply: CliRun; again: CliRun }> {
    const plan = await this.run(['plan', '--routes', file])
    const apply = await this.run(['apply', '--routes', file])
    const again = await this.run(['plan', '--routes', file])
    const show = (what: string, r: CliRun) =>
      `${what} exit ${r.code}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`
    if (plan.code !== 2) throw new Error(show('plan', plan))
    if (apply.code !== 0) throw new Error(show('apply', apply))
    if (again.code !== 0) throw new Error(show('second plan', again))
    return { plan, apply, again }
  }

  state(): EmulatorState {
    return this.emulator.exportState()
  }

  urlMap(): UrlMap {
    return this.state().projects[LB]!.urlMaps!.find((m) => m.name === URL_MAP) as UrlMap
  }

  backendServices(project = LB): BackendService[] {
    return (this.state().projects[project]?.backendServices ?? []) as BackendService[]
  }

  globalNegs(project = LB): NetworkEndpointGroup[] {
    return (this.state().projects[project]?.globalNetworkEndpointGroups ?? []) as NetworkEndpointGroup[]
  }

  regionNegs(project: string): NetworkEndpointGroup[] {
    return Object.values(
      this.state().projects[project]?.regionNetworkEndpointGroups ?? {}
    ).flat() as NetworkEndpointGroup[]
  }

  /** backendOf finds the live backend service whose marker says it serves `route` for `owner`. */
  backendOf(owner: string, route: string): BackendService {
    const all = Object.values(this.state().projects).flatMap(
      (p) => (p.backendServices ?? []) as BackendService[]
    )
    const found = all.filter(
      (b) =>
        markerOwner(b.description) === owner &&
        new RegExp(`routes=[^ ]*\\b${route}\\b`).test(b.description ?? '')
    )
    if (found.length !== 1)
      throw new Error(`expected one backend service of ${owner} serving ${route}, found ${found.length}`)
    return found[0]!
  }

  /** where evaluates the live URL map for one request: backend service name, path and rewritten host. */
  where(host: string, path: string): { service: string; path: string; host?: string } {
    const r = evaluateUrlMap(this.urlMap(), { host, path })
    if (r.kind !== 'service') throw new Error(`${host}${path} resolves to ${r.kind}`)
    return {
      service: r.service.replace(/^.*\/projects\/([^/]+)\/global\/backendServices\//, '$1/'),
      path: r.path,
      ...(r.host ? { host: r.host } : {})
    }
  }

  async close(): Promise<void> {
    await this.emulator.close()
  }
}

/** projectAndName renders a backend service as `project/name` (what Scenario.where returns). */
export function projectAndName(b: BackendService): string {
  const project = /projects\/([^/]+)\//.exec(b.selfLink ?? '')?.[1]
  return `${project}/${b.name}`
}

/** foreignParts extracts everything in a URL map that does not belong to `owner`, as JSON for byte comparison. */
export function foreignParts(map: UrlMap, owner: string, ownedServices: ReadonlySet<string>): string {
  const ours = (s: string | null | undefined) =>
    !!s && ownedServices.has(s.replace(/^.*\/global\/backendServices\//, ''))
  return JSON.stringify({
    hostRules: (map.hostRules ?? []).filter((h) => markerOwner(h.description) !== owner),
    pathMatchers: (map.pathMatchers ?? [])
      .filter((pm) => markerOwner(pm.description) !== owner)
      .map((pm) => ({
        name: pm.name,
        description: pm.description,
        defaultService: ours(pm.defaultService) ? '(owner)' : pm.defaultService,
        pathRules: (pm.pathRules ?? []).filter((r) => !ours(r.service)),
        routeRules: pm.routeRules
      }))
  })
}

/** unownedResources serialises every backend service and NEG not carrying `owner`'s marker, in every project. */
export function unownedResources(state: EmulatorState, owner: string): string {
  const out: Record<string, unknown> = {}
  for (const [project, p] of Object.entries(state.projects)) {
    const keep = (xs: { description?: string }[] | undefined) =>
      (xs ?? []).filter((x) => markerOwner(x.description) !== owner)
    out[project] = {
      backendServices: keep(p.backendServices),
      globalNetworkEndpointGroups: keep(p.globalNetworkEndpointGroups),
      regionNetworkEndpointGroups: Object.fromEntries(
        Object.entries(p.regionNetworkEndpointGroups ?? {})
          .map(([r, xs]) => [r, keep(xs)] as const)
          .filter(([, xs]) => xs.length > 0)
      )
    }
  }
  return JSON.stringify(out)
}
