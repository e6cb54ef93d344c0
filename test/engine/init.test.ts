// `lb-routes init` writes files that validate, and `emulator --seed-from` makes a plan of them work at once.
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { emulatorCommand } from '../../src/emulator/command.js'
import { cli } from './cli-io.js'

const tmp = (): string => mkdtempSync(join(tmpdir(), 'lb-routes-init-'))

/** Runs `lb-routes emulator ARGS` until `use` resolves; hands it the emulator's base URL. */
async function withEmulator(args: string[], use: (url: string) => Promise<void>): Promise<void> {
  const controller = new AbortController()
  let listening: (url: string) => void = () => {}
  const url = new Promise<string>((r) => (listening = r))
  let stderr = ''
  const done = emulatorCommand(['--port', '0', ...args], {
    stdout: (s) => listening(/listening on (\S+)/.exec(s)![1]!),
    stderr: (s) => void (stderr += s),
    signal: controller.signal
  })
  const first = await Promise.race([url, done.then((code) => `exit ${code}: ${stderr}`)])
  try {
    expect(first).toMatch(/^http:/)
    await use(first)
  } finally {
    controller.abort()
    await done
  }
}

describe('lb-routes init', () => {
  it('writes a routes.json that validate accepts and a workflow calling the platform workflow', async () => {
    const dir = tmp()
    const r = await cli(['init', '--owner', 'team-blue', '--dir', dir])
    expect(r).toMatchObject({ code: 0, stderr: '' })
    expect(r.stdout).toContain('wrote')
    const v = await cli(['validate', '--routes', join(dir, 'routes.json')])
    expect(v.stderr).toBe('')
    expect(v.code).toBe(0)
    const wf = readFileSync(join(dir, '.github/workflows/routes.yml'), 'utf8')
    expect(wf).toContain('uses: platform-org/edge-routes/.github/workflows/routes.yml@main')
    expect(wf).toMatch(/id-token: write/)
  })

  it('never overwrites an existing file', async () => {
    const dir = tmp()
    writeFileSync(join(dir, 'routes.json'), 'mine')
    const r = await cli(['init', '--owner', 'team-blue', '--dir', dir])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('routes.json exists; left as it is')
    expect(readFileSync(join(dir, 'routes.json'), 'utf8')).toBe('mine')
  })

  it('refuses an owner that is not a valid name, with the fix', async () => {
    const r = await cli(['init', '--owner', 'Team Blue', '--dir', tmp()])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/owner "Team Blue" is not a valid name .* pass --owner NAME/)
  })
})

describe('lb-routes emulator --seed-from', () => {
  it('serves the Cloud Run services a new routes.json targets, so its plan shows changes (exit 2)', async () => {
    const dir = tmp()
    await cli(['init', '--owner', 'team-blue', '--dir', dir])
    const routes = join(dir, 'routes.json')
    const before = await cli(['validate', '--routes', routes])
    expect(before.code).toBe(0)
    await withEmulator(['--seed-from', routes], async (url) => {
      const env = {
        GOOGLE_OAUTH_ACCESS_TOKEN: 'newcomer-token',
        GOOGLE_COMPUTE_CUSTOM_ENDPOINT: `${url}/compute/v1/`,
        GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT: `${url}/v2/`
      }
      const plan = await cli(['plan', '--routes', routes], { env })
      expect(plan.stderr).not.toMatch(/error/)
      expect(plan.code).toBe(2)
      expect(plan.stdout).toContain('team-blue-web')
    })
  })

  it('reports a bad routes file at FILE:LINE:COL and does not start', async () => {
    const dir = tmp()
    const file = join(dir, 'routes.json')
    writeFileSync(file, '{ "version": 1, "owner": "x", "routes": [ { "name": "A_b" } ] }')
    let stderr = ''
    const code = await emulatorCommand(['--seed-from', file], {
      stdout: () => {},
      stderr: (s) => void (stderr += s)
    })
    expect(code).toBe(1)
    expect(stderr).toContain(`${file}:1:`)
  })
})
