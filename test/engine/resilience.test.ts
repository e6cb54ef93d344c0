// Apply under trouble, through the CLI against the emulator: injected 429/503s are retried; an operation
// that fails mid-apply (exit 1) and an apply process killed half-way (SIGKILL) both converge on the next
// run, after which plan has nothing left to do.
import { afterEach, describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { markerOwner } from '../../src/core/compile/markers.js'
import type { RequestLogEntry } from '../../src/emulator/types.js'
import { LB, ROOT, Scenario, seededState } from './scenario-helpers.js'
import { prng } from '../emulator/helpers.js'

let sc: Scenario | undefined
afterEach(async () => {
  await sc?.close()
  sc = undefined
})

async function admin(sc: Scenario, method: string, name: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${sc.emulator.url}/_emulator/${name}`, {
    method,
    ...(body !== undefined
      ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }
      : {})
  })
  expect(res.status).toBe(200)
  return res.json()
}

const ownedBackends = (sc: Scenario) =>
  Object.values(sc.state().projects).flatMap((p) =>
    (p.backendServices ?? []).filter((b) => markerOwner(b.description) === 'team-web')
  )

describe('apply under injected faults', () => {
  it('retries 429 and 503 on mutations and still applies everything', async () => {
    sc = await Scenario.start(seededState(), { random: prng(7) })
    const file = sc.routes('routes.json', 'techniques.jsonc')
    await admin(sc, 'PUT', 'faults', { faults: '503:0.2,429:0.2' })
    const apply = await sc.run(['apply', '--routes', file])
    if (apply.code !== 0) console.log(apply.stdout, apply.stderr)
    expect([apply.code, apply.stderr.includes('retrying')]).toEqual([0, true])
    const log = (await admin(sc, 'GET', 'requests')) as RequestLogEntry[]
    expect(log.filter((e) => e.status === 429).length).toBeGreaterThan(0)
    expect(log.filter((e) => e.status === 503).length).toBeGreaterThan(0)
    await admin(sc, 'PUT', 'faults', { faults: '' })
    const plan = await sc.run(['plan', '--routes', file])
    expect([plan.code, plan.stdout]).toEqual([0, expect.stringContaining('No changes.')])
  })
})

describe('an apply that stops half-way converges on the next run', () => {
  it('after an operation fails (DONE with error) mid-apply', async () => {
    sc = await Scenario.start(seededState())
    const file = sc.routes('routes.json', 'techniques.jsonc')
    const mapBefore = JSON.stringify(sc.urlMap())
    await admin(sc, 'POST', 'fail-next', { method: 'compute.backendServices.insert', code: 'QUOTA_EXCEEDED' })
    const failed = await sc.run(['apply', '--routes', file])
    expect(failed.code).toBe(1)
    expect(failed.stdout + failed.stderr).toMatch(/QUOTA_EXCEEDED/)
    // The URL map wave never ran: the map still points at the old backends.
    expect(JSON.stringify(sc.urlMap())).toBe(mapBefore)
    expect((await sc.run(['plan', '--routes', file])).code).toBe(2)

    const again = await sc.run(['apply', '--routes', file])
    expect([again.code, again.stderr]).toEqual([0, expect.any(String)])
    expect((await sc.run(['plan', '--routes', file])).code).toBe(0)
  })

  it('after the apply process is killed with SIGKILL', async () => {
    sc = await Scenario.start(seededState(), { operationMs: 150, latencyMs: 5 })
    const file = sc.routes('routes.json', 'techniques.jsonc')
    // The built CLI when present; otherwise (dist is rebuilt by others at times) the same entry from source.
    const dist = join(ROOT, 'dist/cli/index.js')
    const args = existsSync(dist)
      ? [dist]
      : [
          '--experimental-transform-types',
          '--no-warnings',
          '--import',
          join(ROOT, 'test/engine/ts-source-hooks.mjs'),
          join(ROOT, 'src/entry/cli.ts')
        ]
    const child = spawn(process.execPath, [...args, 'apply', '--routes', file], {
      cwd: sc.dir,
      env: { PATH: process.env.PATH ?? '', ...sc.env },
      stdio: 'ignore'
    })
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ?? code))
    )
    const inserts = async () => {
      const c = (await admin(sc!, 'GET', 'counters')) as Record<string, number>
      return Object.entries(c)
        .filter(([k]) => /\.insert$/.test(k))
        .reduce((n, [, v]) => n + v, 0)
    }
    const deadline = Date.now() + 20_000
    while ((await inserts()) < 4) {
      if (Date.now() > deadline) throw new Error('the child apply made no progress')
      await new Promise((r) => setTimeout(r, 20))
    }
    child.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    const counters = (await admin(sc, 'GET', 'counters')) as Record<string, number>
    expect(counters['compute.urlMaps.update'] ?? 0).toBe(0) // really half-way: the map was not written yet

    const apply = await sc.run(['apply', '--routes', file])
    expect([apply.code, apply.stderr]).toEqual([0, expect.any(String)])
    const plan = await sc.run(['plan', '--routes', file])
    expect([plan.code, plan.stdout]).toEqual([0, expect.stringContaining('No changes.')])
    expect(ownedBackends(sc)).toHaveLength(6)
    expect(sc.where('www.example.com', '/hello2/a')).toEqual({
      service: `${LB}/${sc.backendOf('team-web', 'hello2').name}`,
      path: '/a'
    })
  }, 40_000)
})
