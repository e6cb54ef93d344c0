// Bad-input suite: generated and mutated routes files fed to `lb-routes validate` and `lb-routes plan`
// (in-process CLI, plan against an emulator): no crash, no stack trace, exit 0/1/2 only, no API
// mutation, each input within a CPU-time bound, the heap bounded.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulator, type Emulator } from '../../src/emulator/server.js'
import { cli } from '../engine/cli-io.js'
import { LONG, mutatingCounts, prng, seededState, report } from './harness.js'

const ROUTES = readFileSync(new URL('../../examples/routes.json', import.meta.url), 'utf8')
const STATE = readFileSync(new URL('../../examples/emulator-state.json', import.meta.url), 'utf8')
const VALIDATE_INPUTS = LONG ? 3000 : 300
const PLAN_INPUTS = LONG ? 600 : 80
// A bound, not a benchmark (npm run bench measures): a quadratic step on these inputs would take minutes of
// CPU. Measured per input as this process's CPU time (user + system), not the wall clock, so a machine busy
// with other work does not move it; the 5 MB file needs ~1.2 s of CPU.
const MAX_CPU_MS = 10_000
const MAX_HEAP = 1024 * 1024 * 1024

type Input = { label: string; bytes: string | Buffer }

const UNICODE = [
  '\u0000',
  '\u202e',
  '\ud800',
  '\udfff',
  '\ufeff',
  'é',
  '𝔘',
  '\u0085',
  '\u2028',
  '🙂',
  '\u200b',
  'İ'
]
const NOISE = [
  '"',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '/',
  '*',
  '\\',
  '\n',
  ' ',
  '0',
  '-',
  'e',
  'null',
  'true',
  '//',
  '/*'
]

/** mutateText applies 1–4 character-level edits: delete, duplicate, swap, insert noise or unicode. */
function mutateText(text: string, rnd: () => number): string {
  let s = text
  const edits = 1 + Math.floor(rnd() * 4)
  for (let e = 0; e < edits; e++) {
    const i = Math.floor(rnd() * s.length)
    const op = Math.floor(rnd() * 5)
    if (op === 0) s = s.slice(0, i) + s.slice(i + 1 + Math.floor(rnd() * 8))
    else if (op === 1)
      s =
        s.slice(0, i) +
        s.slice(i, i + 1 + Math.floor(rnd() * 20)).repeat(2) +
        s.slice(i + 1 + Math.floor(rnd() * 20))
    else if (op === 2 && i + 1 < s.length) s = s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2)
    else if (op === 3) s = s.slice(0, i) + NOISE[Math.floor(rnd() * NOISE.length)] + s.slice(i)
    else s = s.slice(0, i) + UNICODE[Math.floor(rnd() * UNICODE.length)] + s.slice(i)
  }
  return s
}

/** mutateValue replaces one value of the parsed document: flipped type, hostile string, huge string, deep array. */
function mutateValue(doc: unknown, rnd: () => number): unknown {
  const paths: (string | number)[][] = []
  const walk = (v: unknown, path: (string | number)[]) => {
    paths.push(path)
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]))
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k])
  }
  walk(doc, [])
  const path = paths[Math.floor(rnd() * paths.length)]!
  const replacements: (() => unknown)[] = [
    () => null,
    () => 0,
    () => -1.5e308,
    () => true,
    () => '',
    () => [],
    () => ({}),
    () => 'x'.repeat(100_000 + Math.floor(rnd() * 1_000_000)),
    () => UNICODE.join(''),
    () => '../../../../etc/passwd',
    () => '<script>alert(1)</script>',
    () => ({ __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } }),
    () => JSON.parse('['.repeat(2000) + ']'.repeat(2000)),
    () => Array.from({ length: 5000 }, (_, i) => `/p${i}`)
  ]
  const value = replacements[Math.floor(rnd() * replacements.length)]!()
  if (path.length === 0) return value
  const root = structuredClone(doc) as Record<string | number, unknown>
  let at = root
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>
  at[path.at(-1)!] = value
  return root
}

/** fixedInputs: the hand-picked nasty files. */
function fixedInputs(rnd: () => number): Input[] {
  const deep = '['.repeat(10_000) + ']'.repeat(10_000)
  const base = JSON.parse(ROUTES.replace(/^\s*\/\/.*$/gm, '').replace(/\/\/ [^"\n]*$/gm, '')) as Record<
    string,
    unknown
  >
  return [
    { label: 'empty file', bytes: '' },
    { label: 'whitespace only', bytes: ' \n\t ' },
    { label: 'null', bytes: 'null' },
    { label: 'array at top level', bytes: '[]' },
    { label: 'a string', bytes: '"routes"' },
    { label: 'deep array, 10,000 levels', bytes: deep },
    {
      label: 'deep array as routes',
      bytes: JSON.stringify({ ...base, routes: 'DEEP' }).replace('"DEEP"', deep)
    },
    { label: 'deep objects, 10,000 levels', bytes: '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000) },
    { label: 'unterminated deep', bytes: '{"routes":' + '['.repeat(10_000) },
    {
      label: 'binary bytes',
      bytes: Buffer.from(Array.from({ length: 4096 }, () => Math.floor(rnd() * 256)))
    },
    {
      label: 'UTF-16 with BOM',
      bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ROUTES, 'utf16le')])
    },
    { label: 'UTF-8 BOM', bytes: '\ufeff' + ROUTES },
    { label: 'NUL bytes', bytes: ROUTES.replace(/"/g, '"\u0000') },
    { label: 'the emulator state file', bytes: STATE },
    { label: '5 MB string value', bytes: JSON.stringify({ ...base, owner: 'x'.repeat(5 * 1024 * 1024) }) },
    { label: '5 MB comment', bytes: '/*' + ' '.repeat(5 * 1024 * 1024) + '*/' + ROUTES },
    { label: 'huge number', bytes: ROUTES.replace('"version": 1', '"version": 1' + '0'.repeat(400)) },
    {
      label: 'duplicate keys',
      bytes: ROUTES.replace('"version": 1,', '"version": 1, "version": 2, "owner": "team-shop",')
    },
    {
      label: '__proto__ keys',
      bytes: ROUTES.replace(
        '"version": 1,',
        '"version": 1, "__proto__": {"owner": "team-shop"}, "constructor": {},'
      )
    }
  ]
}

/** generated draws `n` mutated files from the examples (text edits and value edits). */
function generated(n: number, rnd: () => number): Input[] {
  const base = JSON.parse(ROUTES.replace(/^\s*\/\/.*$/gm, '').replace(/\/\/ [^"\n]*$/gm, '')) as unknown
  const out: Input[] = []
  for (let i = 0; i < n; i++) {
    const k = rnd()
    if (k < 0.45)
      out.push({ label: `text mutation #${i}`, bytes: mutateText(rnd() < 0.85 ? ROUTES : STATE, rnd) })
    else if (k < 0.9)
      out.push({
        label: `value mutation #${i}`,
        bytes: JSON.stringify(mutateValue(base, rnd), null, rnd() < 0.5 ? 2 : 0)
      })
    else
      out.push({
        label: `value + text mutation #${i}`,
        bytes: mutateText(JSON.stringify(mutateValue(base, rnd), null, 2), rnd)
      })
  }
  return out
}

let emu: Emulator
let dir: string
const env = () => ({
  GOOGLE_COMPUTE_CUSTOM_ENDPOINT: `${emu.url}/compute/v1/`,
  GOOGLE_CLOUD_RUN_V2_CUSTOM_ENDPOINT: `${emu.url}/v2/`,
  GOOGLE_OAUTH_ACCESS_TOKEN: 'fuzz-token'
})

beforeAll(async () => {
  emu = await startEmulator({ state: seededState(), random: prng(3) })
  dir = await mkdtemp(join(tmpdir(), 'lb-routes-fuzz-'))
})
afterAll(async () => {
  await emu?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

/** feed runs one command on every input and returns the problems it saw and the exit codes it got. */
async function feed(
  command: 'validate' | 'plan',
  inputs: Input[],
  codes: readonly number[]
): Promise<{ problems: string[]; exits: Record<number, number>; slowest: number }> {
  const problems: string[] = []
  const exits: Record<number, number> = {}
  let slowest = 0
  for (const [i, input] of inputs.entries()) {
    const file = join(dir, `in-${command}-${i}.json`)
    await writeFile(file, input.bytes)
    const cpu0 = process.cpuUsage()
    const run = await cli([command, '--routes', file], { env: env(), cwd: dir })
    const { user, system } = process.cpuUsage(cpu0)
    const ms = (user + system) / 1000
    slowest = Math.max(slowest, ms)
    exits[run.code] = (exits[run.code] ?? 0) + 1
    const heap = process.memoryUsage().heapUsed
    const where = `${command} ${input.label}`
    if (!codes.includes(run.code)) problems.push(`${where}: exit ${run.code}: ${run.stderr.slice(0, 300)}`)
    if (/^ {4}at /m.test(run.stderr + run.stdout))
      problems.push(`${where}: stack trace: ${run.stderr.slice(0, 500)}`)
    if (run.code === 1 && run.stderr.trim() === '') problems.push(`${where}: exit 1 without a message`)
    if (
      /lb-routes \w+ failed: (Maximum call stack|Cannot read|undefined is not|.*is not a function)/.test(
        run.stderr
      )
    )
      problems.push(`${where}: internal error shown to the user: ${run.stderr.slice(0, 300)}`)
    if (ms > MAX_CPU_MS) problems.push(`${where}: took ${Math.round(ms)} ms of CPU`)
    if (heap > MAX_HEAP) problems.push(`${where}: heap ${Math.round(heap / 1048576)} MB`)
  }
  return { problems, exits, slowest }
}

/** manyRoutes: a valid-looking 5 MB file with 10,000 routes on one host (far beyond the URL map's quotas). */
function manyRoutes(): Input {
  const base = JSON.parse(ROUTES.replace(/^\s*\/\/.*$/gm, '').replace(/\/\/ [^"\n]*$/gm, '')) as Record<
    string,
    unknown
  >
  const routes = Array.from({ length: 10_000 }, (_, i) => ({
    name: `route-${i}`,
    paths: [`/p-${i}/${'long-segment/'.repeat(30)}end`],
    to: { cloudRun: { url: `https://service-${i}-abcdefgh-ew.a.run.app` } }
  }))
  return { label: '5 MB of routes (10,000)', bytes: JSON.stringify({ ...base, routes, tests: [] }, null, 2) }
}

describe('bad input never crashes lb-routes', () => {
  test(`validate: ${VALIDATE_INPUTS} mutated files and the hand-picked nasty ones`, async () => {
    const rnd = prng(2024)
    const inputs = [...fixedInputs(rnd), ...generated(VALIDATE_INPUTS, rnd)]
    const { problems, exits, slowest } = await feed('validate', inputs, [0, 1])
    report(
      `fuzz validate: ${inputs.length} inputs, exits ${JSON.stringify(exits)}, slowest ${Math.round(slowest)} ms`
    )
    expect(problems).toEqual([])
    // The generator is not degenerate: both valid and invalid files were seen.
    expect(exits[0]).toBeGreaterThan(0)
    expect(exits[1]).toBeGreaterThan(0)
  }, 120_000)

  test(`plan: ${PLAN_INPUTS} mutated files against the emulator make no API mutation`, async () => {
    const rnd = prng(4048)
    const inputs = [...fixedInputs(rnd), ...generated(PLAN_INPUTS, rnd)]
    const { problems, exits, slowest } = await feed('plan', inputs, [0, 1, 2])
    report(
      `fuzz plan: ${inputs.length} inputs, exits ${JSON.stringify(exits)}, slowest ${Math.round(slowest)} ms, API calls ${JSON.stringify(emu.counters())}`
    )
    expect(problems).toEqual([])
    expect(mutatingCounts(emu.counters())).toEqual({})
    expect(exits[1]).toBeGreaterThan(0)
    expect((exits[0] ?? 0) + (exits[2] ?? 0)).toBeGreaterThan(0)
  }, 120_000)

  // Route tests run through an evaluator compiled once per map (indexed path rules), so a file of 10,000
  // routes is not quadratic (plan only with LB_ROUTES_LONG=1).
  test('the 10,000-routes file really is over 5 MB', () => {
    expect(Buffer.byteLength(manyRoutes().bytes)).toBeGreaterThan(5 * 1024 * 1024)
  })
  test('a 5 MB file of 10,000 routes is answered within the bound by validate (and plan)', async () => {
    const input = manyRoutes()
    const v = await feed('validate', [input], [0, 1])
    const p = LONG ? await feed('plan', [input], [0, 1, 2]) : { problems: [] }
    report(`fuzz 5 MB routes file: validate ${Math.round(v.slowest)} ms`)
    expect([...v.problems, ...p.problems]).toEqual([])
  }, 120_000)
})
