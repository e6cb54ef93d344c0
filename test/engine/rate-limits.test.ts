// A storm of Compute's rate limit (403 rateLimitExceeded, injected by the emulator's `403:RATE` fault) on
// every mutation: the apply converges with no user-visible error, the client retries each call (waiting for
// the next minute, cut short here by the injected sleep), and the scheduler slows the project down.
import { afterEach, describe, expect, it } from '@jest/globals'
import { startEmulator, type Emulator } from '../../src/emulator/server.js'
import { applyRoutes } from '../../src/shell/engine/apply-routes.js'
import { parseForPlan, planRoutesFile } from '../../src/shell/engine/plan-routes.js'
import { ComputeClient } from '../../src/shell/google/compute-client.js'
import { staticTokenCredentials } from '../../src/shell/google/credentials.js'
import { RunClient } from '../../src/shell/google/run-client.js'
import { prng } from '../emulator/helpers.js'

const LB = 'edge-prod'
const NOW = new Date('2026-11-26T12:00:00Z')
let emu: Emulator | undefined
afterEach(async () => {
  await emu?.close()
  emu = undefined
})

/** 30 routes to Cloud Run by URL: the map's default and 29 paths on one host. */
function routesFile(): string {
  return JSON.stringify({
    version: 1,
    owner: 'team-storm',
    loadBalancer: { project: LB, urlMap: 'edge', scheme: 'EXTERNAL_MANAGED' },
    routes: Array.from({ length: 30 }, (_, i) => ({
      name: `r${i}`,
      ...(i === 0 ? { hosts: ['*'], default: true } : { hosts: ['storm.example.com'], prefix: `/r${i}` }),
      to: { cloudRun: { url: `https://svc${i}-x7k2-ew.a.run.app` } }
    }))
  })
}

describe('a 403 rateLimitExceeded storm', () => {
  it('converges with no user-visible error; waits are the minute boundary, cut short by the injected sleep', async () => {
    emu = await startEmulator({
      state: { projects: { [LB]: {} } },
      faults: '403:0.3',
      random: prng(11)
    })
    const waits: number[] = []
    const sleep = async (ms: number) => {
      waits.push(ms)
      await new Promise((resolve) => setTimeout(resolve, 1))
    }
    const credentials = staticTokenCredentials('t')
    const clients = {
      // 30 s into a minute by the client's clock: a rate limit waits 30 s, plus up to 3 s of jitter.
      compute: new ComputeClient({
        endpoint: `${emu.url}/compute/v1/`,
        credentials,
        retry: { sleep },
        now: () => 1_800_000_030_000
      }),
      run: new RunClient({ endpoint: `${emu.url}/v2/`, credentials, retry: { sleep } })
    }
    const bytes = routesFile()
    const config = parseForPlan({ file: 'routes.json', bytes }).config!
    const out = await applyRoutes({ file: 'routes.json', config, clients, now: NOW })
    expect({ status: out.result?.status, message: out.result?.message, errors: out.diagnostics }).toEqual({
      status: 'applied',
      message: undefined,
      errors: []
    })
    const limited = emu.requests().filter((e) => e.status === 403)
    expect(limited.length).toBeGreaterThan(10)
    // Without Retry-After a rate limit waits for the next minute boundary (plus jitter), never a short backoff.
    expect(waits).toHaveLength(limited.length)
    expect(waits.every((ms) => ms >= 30_000 && ms < 33_000)).toBe(true)
    emu.setFaults('')
    const again = await planRoutesFile({ file: 'routes.json', bytes, clients, now: NOW })
    expect([again.diagnostics, again.plan?.changes]).toEqual([[], []])
  })
})
