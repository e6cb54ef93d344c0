// A real crash: `node dist/cli/index.js apply` is SIGKILLed right after its k-th mutation reached the
// emulator; a rerun converges, other owners are untouched and no surviving route ever stopped serving.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawn, execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startEmulator, type Emulator } from '../../src/emulator/server.js'
import {
  apply,
  clientsFor,
  errorsOf,
  othersView,
  plan,
  prng,
  scenario,
  seededState,
  survivingProbes,
  Watcher
} from './harness.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const CLI = join(ROOT, 'dist', 'cli', 'index.js')
const SEED = 1003

let emu: Emulator
let dir: string
const watcher = new Watcher()

beforeAll(async () => {
  // The bundle is built by `npm run build` (~35 s); build it only when it is missing.
  if (!existsSync(CLI))
    execFileSync('npm', ['run', 'build'], {
      cwd: ROOT,
      stdio: 'ignore',
      env: { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}` }
    })
  emu = await startEmulator({
    state: seededState(),
    random: prng(SEED),
    latencyMs: 20,
    onMutation: watcher.observe
  })
  dir = await mkdtemp(join(tmpdir(), 'lb-routes-kill-'))
}, 180_000)
afterAll(async () => {
  await emu?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('SIGKILL of a real apply process', () => {
  test('killed after half of its mutations, a rerun converges with no 404 window', async () => {
    const clients = clientsFor(emu.url)
    const { a, b } = scenario(SEED, prng(SEED), 'team-gen')
    watcher.arm(emu.exportState(), [])
    const planA = await plan(clients, a)
    expect((await apply(clients, a)).result?.status).toBe('applied')
    expect(watcher.violations).toEqual([])
    const stateA = emu.exportState()
    const planB = await plan(clients, b)
    expect(errorsOf(planB)).toBe('')
    // Measure a clean apply of B, then go back to A.
    watcher.arm(stateA, [])
    expect((await apply(clients, b)).result?.status).toBe('applied')
    expect(watcher.violations).toEqual([])
    const total = watcher.mutations
    expect(total).toBeGreaterThanOrEqual(2)
    emu.importState(stateA)
    const othersBefore = othersView(emu.exportState(), 'team-gen')

    const k = Math.ceil(total / 2)
    watcher.arm(stateA, survivingProbes(planA.testCases!, planB.testCases!))
    const file = join(dir, 'routes.json')
    await writeFile(file, JSON.stringify(b))
    const child = spawn(process.execPath, [CLI, 'apply', '--routes', file], {
      env: {
        PATH: process.env.PATH ?? '',
        GOOGLE_COMPUTE_CUSTOM_ENDPOINT: `${emu.url}/compute/v1/`,
        GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT: `${emu.url}/v2/`,
        GOOGLE_OAUTH_ACCESS_TOKEN: 'kill-test'
      },
      stdio: 'ignore'
    })
    // The observer runs before the emulator answers, so the child dies with its k-th mutation in flight.
    watcher.onCount = (n) => void (n === k && child.kill('SIGKILL'))
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal }))
    )
    watcher.onCount = undefined
    expect(exit).toEqual({ code: null, signal: 'SIGKILL' })
    // Requests of the same wave already in flight may still land; the apply did not finish.
    expect(watcher.mutations).toBeGreaterThanOrEqual(k)
    expect(watcher.mutations).toBeLessThan(total)

    const rerun = await apply(clients, b)
    expect({ status: rerun.result?.status, errors: errorsOf(rerun) }).toEqual({
      status: 'applied',
      errors: ''
    })
    const again = await plan(clients, b)
    expect(again.plan?.changes.map((c) => `${c.action} ${c.key}`)).toEqual([])
    expect(watcher.violations).toEqual([])
    expect(othersView(emu.exportState(), 'team-gen')).toBe(othersBefore)
  })
})
