// `lb-routes explain`: offline answers never invent a backend; --live answers from the shared map and names
// the owner whose rule decides the request.
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulator } from '../../src/emulator/server.js'
import { cli } from './cli-io.js'

const state = JSON.parse(readFileSync('examples/emulator-state.json', 'utf8'))

/** A team-web file that also claims shop.example.com/pay (the live map sends it to team-shop). */
function payFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'lb-routes-explain-')), 'routes.json')
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      owner: 'team-web',
      loadBalancer: { project: 'edge-prod', urlMap: 'edge', scheme: 'EXTERNAL_MANAGED' },
      routes: [
        {
          name: 'pay',
          hosts: ['shop.example.com'],
          prefix: '/pay',
          to: { cloudRun: { url: 'https://pay-x.a.run.app' } }
        }
      ]
    })
  )
  return file
}

describe('lb-routes explain --routes (offline)', () => {
  it('says an unmatched request goes to the shared map default, without inventing a backend name', async () => {
    const r = await cli(['explain', '--routes', payFile(), '--host', 'www.example.com', '--path', '/x'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("→ the shared URL map's default")
    expect(r.stdout).not.toContain('lb-routes-url-map-default')
    const j = await cli([
      'explain',
      '--routes',
      payFile(),
      '--host',
      'www.example.com',
      '--path',
      '/x',
      '--json'
    ])
    expect(JSON.parse(j.stdout)).toEqual({ service: null, path: '/x' })
  })
})

describe('lb-routes explain --live', () => {
  it('answers from the live map and names the other owner whose rule decides', async () => {
    const emulator = await startEmulator({ port: 0, state })
    try {
      const env = {
        GOOGLE_OAUTH_ACCESS_TOKEN: 'explain-token',
        GOOGLE_COMPUTE_CUSTOM_ENDPOINT: `${emulator.url}/compute/v1/`
      }
      const file = payFile()
      const offline = await cli(['explain', '--routes', file, '--host', 'shop.example.com', '--path', '/pay'])
      expect(offline.stdout).toContain('route pay')
      const live = await cli(
        ['explain', '--routes', file, '--live', '--host', 'shop.example.com', '--path', '/pay'],
        {
          env
        }
      )
      expect(live.stderr).toBe('')
      expect(live.code).toBe(0)
      expect(live.stdout).toContain('lbr-team-shop-shop-bs-7a1d2c3e')
      expect(live.stdout).toMatch(
        /held by team-shop: another owner's rule decides this request, not team-web's/
      )
      const json = await cli(
        ['explain', '--routes', file, '--live', '--json', '--host', 'legacy.example.com', '--path', '/'],
        { env }
      )
      expect(JSON.parse(json.stdout)).toMatchObject({ owner: 'unmanaged' })
    } finally {
      await emulator.close()
    }
  })

  it('needs --routes', async () => {
    const r = await cli(['explain', '--url-map', 'x.json', '--live', '--host', 'a', '--path', '/'])
    expect(r).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--live reads the URL map named in a routes file')
    })
  })
})
