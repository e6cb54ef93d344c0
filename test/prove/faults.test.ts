// Fault suite: seeded scenarios on the shared load balancer, applied under 429/503 storms, failed
// operations at every step and kills at random points; every run must converge, keep other owners'
// parts byte for byte and keep every surviving route serving after every single mutation.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { startEmulator, type Emulator, type EmulatorState } from '../../src/emulator/server.js'
import type { RouteTestCase } from '../../src/core/plan/route-tests.js'
import type { GoogleClients } from '../../src/shell/engine/read-live-state.js'
import {
  apply,
  clientsFor,
  errorsOf,
  LONG,
  mutatingCounts,
  othersView,
  plan,
  prng,
  report,
  scenario,
  seededState,
  survivingProbes,
  Watcher,
  type RoutesDoc
} from './harness.js'

const SEEDS = Array.from({ length: LONG ? 100 : 20 }, (_, i) => 1000 + i)
const KILLS_PER_PHASE = LONG ? 4 : 2
const OWNER = 'team-gen'

let emu: Emulator
let clients: GoogleClients
const watcher = new Watcher()
const totals = { runs: 0, mutations: 0, faultsInjected: 0, failedApplies: 0 }

beforeAll(async () => {
  emu = await startEmulator({ state: seededState(), random: prng(7), onMutation: watcher.observe })
  clients = clientsFor(emu.url)
})
afterAll(async () => {
  await emu?.close()
  report(
    `faults: ${SEEDS.length} seeds, ${totals.runs} runs, ${totals.mutations} mutations checked, ${totals.faultsInjected} injected 429/503, ${totals.failedApplies} applies failed and were converged`
  )
})

/** A phase: from a live state, apply a routes file (its plan's tests vs. the tests of what was live). */
interface Phase {
  readonly name: string
  readonly from: EmulatorState
  readonly doc: RoutesDoc
  readonly beforeCases: readonly RouteTestCase[]
  readonly afterCases: readonly RouteTestCase[]
  /** Mutating API methods a clean apply of this phase calls. */
  methods: string[]
  /** How many mutations a clean apply makes. */
  mutations: number
}

/** What the other owners' parts looked like when the current run started (as the emulator exports them). */
let othersAtStart = ''

/** start resets the emulator to the phase's starting state and arms the watcher. */
function start(p: Phase): void {
  emu.setFaults('')
  emu.importState(p.from)
  othersAtStart = othersView(emu.exportState(), OWNER)
  watcher.arm(p.from, survivingProbes(p.beforeCases, p.afterCases))
  watcher.onCount = undefined
  totals.runs++
}

/** finish heals the emulator, reruns apply until nothing is left, and checks every invariant. */
async function finish(p: Phase, what: string): Promise<void> {
  emu.setFaults('')
  watcher.onCount = undefined
  const rerun = await apply(clients, p.doc)
  expect({ what, status: rerun.result?.status, errors: errorsOf(rerun) }).toMatchObject({
    what,
    status: expect.stringMatching(/^(applied|no-changes)$/)
  })
  const again = await plan(clients, p.doc)
  expect({
    what,
    errors: errorsOf(again),
    changes: again.plan?.changes.map((c) => `${c.action} ${c.key}`)
  }).toEqual({
    what,
    errors: '',
    changes: []
  })
  totals.mutations += watcher.mutations
  expect({ what, violations: watcher.violations }).toEqual({ what, violations: [] })
  expect(othersView(emu.exportState(), OWNER)).toBe(othersAtStart)
}

/** prepare computes both phases of a seed: seeded map → file A, then A → file B. */
async function prepare(seed: number): Promise<Phase[]> {
  const rnd = prng(seed)
  const { a, b } = scenario(seed, rnd, OWNER)
  emu.setFaults('')
  const seeded = seededState()
  emu.importState(seeded)
  const planA = await plan(clients, a)
  expect(errorsOf(planA)).toBe('')
  const phaseA: Phase = {
    name: 'A',
    from: seeded,
    doc: a,
    beforeCases: [],
    afterCases: planA.testCases!,
    methods: [],
    mutations: 0
  }
  await measure(phaseA)
  const stateA = emu.exportState()
  const planB = await plan(clients, b)
  expect(errorsOf(planB)).toBe('')
  const phaseB: Phase = {
    name: 'B',
    from: stateA,
    doc: b,
    beforeCases: planA.testCases!,
    afterCases: planB.testCases!,
    methods: [],
    mutations: 0
  }
  await measure(phaseB)
  return [phaseA, phaseB]
}

/** measure applies a phase cleanly and records the mutating methods and mutation count it needs. */
async function measure(p: Phase): Promise<void> {
  start(p)
  const before = mutatingCounts(emu.counters())
  const r = await apply(clients, p.doc)
  expect({ phase: p.name, status: r.result?.status, errors: errorsOf(r) }).toEqual({
    phase: p.name,
    status: 'applied',
    errors: ''
  })
  const after = mutatingCounts(emu.counters())
  p.methods = Object.keys(after).filter((m) => after[m] !== before[m])
  p.mutations = watcher.mutations
  await finish(p, `clean apply of phase ${p.name}`)
}

describe('apply under faults converges and never opens a 404 window', () => {
  test.each(SEEDS)('seed %i', async (seed) => {
    const phases = await prepare(seed)
    const rnd = prng(seed * 31 + 1)
    for (const p of phases) {
      // (a) 429 and 503 on every mutating method at a fair rate: apply still succeeds (retries, requestId).
      start(p)
      emu.setFaults('429:0.15,503:0.15')
      const before = emu.requests().length
      const stormy = await apply(clients, p.doc)
      totals.faultsInjected += emu
        .requests()
        .slice(before)
        .filter((e) => e.status === 429 || e.status === 503).length
      expect({ phase: p.name, status: stormy.result?.status, errors: errorsOf(stormy) }).toEqual({
        phase: p.name,
        status: 'applied',
        errors: ''
      })
      await finish(p, `phase ${p.name} under 429/503`)

      // (b) an operation failure at every step the plan uses, in turn: apply fails, a rerun converges.
      for (const method of p.methods) {
        start(p)
        emu.failNextOperation(method, 'QUOTA_EXCEEDED')
        const failed = await apply(clients, p.doc)
        expect({ phase: p.name, method, status: failed.result?.status }).toEqual({
          phase: p.name,
          method,
          status: 'failed'
        })
        totals.failedApplies++
        await finish(p, `phase ${p.name}, operation of ${method} failed`)
      }

      // (c) killed after k mutations: every later mutating request fails (503), then heal and rerun.
      for (let i = 0; i < KILLS_PER_PHASE && p.mutations > 0; i++) {
        const k = Math.floor(rnd() * p.mutations)
        start(p)
        if (k === 0) emu.setFaults('503:1')
        else watcher.onCount = (n) => void (n === k && emu.setFaults('503:1'))
        const killed = await apply(clients, p.doc)
        expect({ phase: p.name, k, status: killed.result?.status }).toEqual({
          phase: p.name,
          k,
          status: 'failed'
        })
        totals.failedApplies++
        await finish(p, `phase ${p.name}, killed after ${k} of ${p.mutations} mutations`)
      }
    }
  })
})

describe('the invariant checks can fail', () => {
  test('a URL-map write that drops a surviving route is reported as a 404 window', async () => {
    const [, phaseB] = await prepare(SEEDS[0]!)
    start(phaseB!)
    const probes = survivingProbes(phaseB!.beforeCases, phaseB!.afterCases)
    expect(probes.length).toBeGreaterThan(0)
    const map = await clients.compute.getUrlMap('edge-prod', 'edge')
    const gone = { ...map, hostRules: [], pathMatchers: [] }
    await clients.compute.run(clients.compute.updateUrlMap('edge-prod', 'edge', gone))
    expect(watcher.violations.length).toBeGreaterThan(0)
    expect(othersView(emu.exportState(), OWNER)).not.toBe(othersAtStart)
  })
})
