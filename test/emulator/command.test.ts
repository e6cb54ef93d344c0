// `lb-routes emulator`: flags, the one listening line, clean stop through the `signal` seam.
import { describe, expect, test } from '@jest/globals'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EMULATOR_HELP, emulatorCommand } from '../../src/emulator/command.js'

function capture(): {
  out: string[]
  err: string[]
  io: { stdout: (s: string) => void; stderr: (s: string) => void }
} {
  const out: string[] = []
  const err: string[] = []
  return { out, err, io: { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s) } }
}

async function waitFor(pred: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !pred(); i++) await new Promise((r) => setTimeout(r, 10))
}

describe('emulatorCommand', () => {
  test('prints exactly one listening line, serves the seeded state, stops cleanly with exit 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lb-emu-'))
    await writeFile(
      join(dir, 'state.json'),
      JSON.stringify({ projects: { p: { backendServices: [{ name: 'bs1' }] } } })
    )
    const { out, err, io } = capture()
    const ac = new AbortController()
    const done = emulatorCommand(
      ['--port', '0', '--state', 'state.json', '--latency-ms=0', '--operation-ms', '0', '--faults', ''],
      { ...io, signal: ac.signal, cwd: dir }
    )
    await waitFor(() => out.length > 0)
    expect(out).toHaveLength(1)
    const m = /^lb-routes emulator listening on (http:\/\/127\.0\.0\.1:(\d+))\n$/.exec(out[0]!)
    expect(m).not.toBeNull()
    const r = await fetch(`${m![1]}/compute/v1/projects/p/global/backendServices/bs1`, {
      headers: { authorization: 'Bearer command-test' }
    })
    expect(r.status).toBe(200)
    ac.abort()
    expect(await done).toBe(0)
    expect(err).toEqual([])
    await expect(fetch(`${m![1]}/compute/v1/projects/p/global/backendServices/bs1`)).rejects.toThrow()
  })

  test('stops on SIGTERM when no signal is given', async () => {
    const { out, io } = capture()
    const done = emulatorCommand([], io)
    await waitFor(() => out.length > 0)
    process.emit('SIGTERM')
    expect(await done).toBe(0)
  })

  test('help lists every flag and admin endpoint', async () => {
    const { out, io } = capture()
    expect(await emulatorCommand(['--help'], io)).toBe(0)
    expect(out.join('')).toBe(EMULATOR_HELP)
    for (const word of [
      '--port',
      '--host',
      '--state',
      '--latency-ms',
      '--operation-ms',
      '--faults',
      'GET  /_emulator/state',
      'PUT  /_emulator/state',
      '/_emulator/requests',
      '/_emulator/counters',
      'PUT  /_emulator/faults',
      '/_emulator/fail-next',
      '/_emulator/reset'
    ])
      expect(EMULATOR_HELP).toContain(word)
  })

  test('usage errors go to stderr with exit 1', async () => {
    for (const args of [
      ['--port', 'x'],
      ['--bogus'],
      ['--state'],
      ['--state', '/nonexistent/state.json'],
      ['--faults', '200:5']
    ]) {
      const { out, err, io } = capture()
      expect(await emulatorCommand(args, io)).toBe(1)
      expect(out).toEqual([])
      expect(err.join('')).toMatch(/^error: lb-routes emulator: /)
    }
    const dir = await mkdtemp(join(tmpdir(), 'lb-emu-'))
    await writeFile(
      join(dir, 'bad.json'),
      JSON.stringify({ projects: { p: { urlMaps: [{ name: 'Bad_Name' }] } } })
    )
    const { err, io } = capture()
    expect(await emulatorCommand(['--state', join(dir, 'bad.json')], io)).toBe(1)
    expect(err.join('')).toContain('bad.json: ')
    expect(err.join('')).toContain('Bad_Name')
  })
})
