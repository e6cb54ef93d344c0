// The action's roll back (node dist/index.js against the emulator and a fake GitHub): apply on merge writes
// the pre-apply snapshot under RUNNER_TEMP and names it in the snapshot-file output and the summary;
// `command: rollback` with `rollback-from` set to that file puts team-web's part back as it was, leaves
// everyone else's as it is, and refuses a snapshot of another owner.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { basename } from 'node:path'
import type { UrlMap } from '../../src/core/compute.js'
import { urlMapsEquivalent } from '../../src/core/plan/merge-url-map.js'
import { edit } from '../engine/scenario-helpers.js'
import {
  exampleRoutes,
  explain,
  leakedSecrets,
  prOpened,
  pushToDefault,
  runAction,
  startEnv,
  type Env,
  mergedIn
} from './harness.js'

const PR = 2
const MERGE_SHA = 'c30867b14bb761a232cd80139fbd4c0d33264242'
const edgeMap = (env: Env) =>
  env.emulator.exportState().projects['edge-prod']!.urlMaps!.find((m) => m.name === 'edge') as UrlMap
const backendNames = (env: Env) =>
  env.emulator
    .exportState()
    .projects['edge-prod']!.backendServices!.map((b) => String(b.name))
    .sort()

describe('action rollback', () => {
  let env: Env
  beforeAll(async () => {
    env = await startEnv()
  })
  afterAll(async () => {
    await env.close()
  })

  it('apply writes the snapshot; command rollback with rollback-from restores the state before it', async () => {
    const mapBefore = edgeMap(env)
    const backendsBefore = backendNames(env)
    const pr = await runAction(env, { event: 'pull_request', payload: prOpened() })
    expect({ code: pr.code, log: pr.code === 0 ? '' : explain(pr) }).toEqual({ code: 0, log: '' })
    mergedIn(env, MERGE_SHA, PR)
    const merged = await runAction(env, { event: 'push', payload: pushToDefault(MERGE_SHA), sha: MERGE_SHA })
    expect({ code: merged.code, log: merged.code === 0 ? '' : explain(merged) }).toEqual({ code: 0, log: '' })

    const file = merged.outputs['snapshot-file']!
    expect(basename(file)).toBe(`lb-routes-snapshot-${merged.outputs['plan-id']}.json`)
    expect(existsSync(file)).toBe(true)
    expect(merged.summary).toContain(`\`${basename(file)}\``)
    expect(merged.summary).toMatch(/command: rollback/)
    const snapshot = JSON.parse(readFileSync(file, 'utf8'))
    expect([snapshot.kind, snapshot.owner, snapshot.urlMap.fingerprint]).toEqual([
      'lb-routes-snapshot',
      'team-web',
      mapBefore.fingerprint
    ])
    expect(edgeMap(env).defaultService).toMatch(/lbr-team-web-hello-bs-/)

    // A snapshot of another owner is refused, and nothing changes.
    const state = JSON.stringify(env.emulator.exportState())
    const other = await runAction(env, {
      event: 'workflow_dispatch',
      payload: {},
      routes: edit(exampleRoutes(), [[['owner'], 'team-other']]),
      inputs: { command: 'rollback', 'rollback-from': file }
    })
    expect(other.code).toBe(1)
    expect(other.stdout).toMatch(/this snapshot is owner team-web's, not team-other's/)
    expect(JSON.stringify(env.emulator.exportState())).toBe(state)

    const rollback = await runAction(env, {
      event: 'workflow_dispatch',
      payload: {},
      inputs: { command: 'rollback', 'rollback-from': file }
    })
    expect({ code: rollback.code, log: rollback.code === 0 ? '' : explain(rollback) }).toEqual({
      code: 0,
      log: ''
    })
    expect(rollback.summary).toMatch(/lb-routes rollback of apply/)
    expect(rollback.outputs['snapshot-file']).toMatch(/lb-routes-snapshot-[0-9a-f]{16}\.json$/)
    // The map routes as before the apply (the unmanaged legacy host and team-shop's rules never moved) and
    // the backend services are the same set of names again.
    expect(urlMapsEquivalent(edgeMap(env), mapBefore, 'edge-prod')).toBe(true)
    expect(backendNames(env)).toEqual(backendsBefore)

    // Planning routes.json again shows the apply's changes pending once more.
    const again = await runAction(env, { event: 'pull_request', payload: prOpened() })
    expect([again.code, again.outputs['has-changes'], again.outputs['plan-id']]).toEqual([
      0,
      'true',
      merged.outputs['plan-id']
    ])
    expect(leakedSecrets(env, [merged, rollback])).toEqual([])
  })
})
