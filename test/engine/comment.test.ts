// The PR comment end to end (issue #14): `lb-routes plan --markdown` against the emulator seeded with
// examples/emulator-state.json — a failing plan still writes its comment (❌ and the error, exit 1), the
// removed route says where its requests go, and a changed route says what changed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { EmulatorState } from '../../src/emulator/types.js'
import { Scenario } from './scenario-helpers.js'

const ROOT = process.cwd()
const exampleState = (): EmulatorState =>
  JSON.parse(readFileSync(join(ROOT, 'examples/emulator-state.json'), 'utf8')) as EmulatorState

describe('plan --markdown', () => {
  let s: Scenario
  beforeAll(async () => {
    s = await Scenario.start(exampleState())
  })
  afterAll(async () => {
    await s.close()
  })

  it('writes the comment for a failing plan: ❌ first, the error at its line, exit 1', async () => {
    s.routes('chained-lb.json', readFileSync(join(ROOT, 'examples/chained-lb.json'), 'utf8'))
    const r = await s.run(['plan', '--routes', 'chained-lb.json', '--markdown', 'comment.md'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(
      'chained-lb.json:18:5: error: forwarding rule team-ml/batch-https was not found'
    )
    const md = readFileSync(join(s.dir, 'comment.md'), 'utf8')
    expect(md.split('\n')[2]).toBe('### ❌ Cannot apply: 1 error')
    expect(md).toContain(
      '- ❌ `chained-lb.json:18:5` route `batch`: forwarding rule team-ml/batch-https was not found'
    )
    expect(md).not.toMatch(/✅|🟢/)
    expect(md).toContain('| ❌ error | `batch` |')
    const json = await s.run(['plan', '--routes', 'chained-lb.json', '--json', '--out', 'plan.json'])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout).errors).toEqual([
      expect.objectContaining({
        file: 'chained-lb.json',
        line: 18,
        column: 5,
        message: expect.stringContaining('forwarding rule team-ml/batch-https was not found')
      })
    ])
    expect(existsSync(join(s.dir, 'plan.json'))).toBe(false)
  })

  it('says where a removed route’s requests go, and what a changed route changes', async () => {
    s.routes('routes.json', readFileSync(join(ROOT, 'examples/routes.json'), 'utf8'))
    const first = await s.run(['plan', '--routes', 'routes.json', '--markdown', 'first.md'])
    expect(first.code).toBe(2)
    const md = readFileSync(join(s.dir, 'first.md'), 'utf8')
    expect(md).toContain('Removed `welcome`: its requests go to team-web route `hello`')
    expect(md).not.toContain('Traffic stops')
    // The plan's own trafficMoves (issue 12): the probe standing for every host that falls to `*`.
    expect(md).toMatch(
      /- `lbr-probe\.invalid \/`: team-web route `welcome` \(the URL map default\) → team-web route `hello`/
    )

    expect((await s.run(['apply', '--routes', 'routes.json'])).code).toBe(0)
    // hello2 moves to another Cloud Run URL with a longer timeout.
    const text = readFileSync(join(s.dir, 'routes.json'), 'utf8')
      .replace('https://hello2-3abc-ew.a.run.app', 'https://hello2-v2-9xyz-ew.a.run.app')
      .replace('"name": "hello2",', '"name": "hello2", "timeoutSec": 90,')
    writeFileSync(join(s.dir, 'routes.json'), text)
    const second = await s.run(['plan', '--routes', 'routes.json', '--markdown', 'second.md'])
    expect(second.code).toBe(2)
    const changed = readFileSync(join(s.dir, 'second.md'), 'utf8')
    expect(changed).toContain(
      '! hello2  target: Cloud Run hello2-3abc-ew.a.run.app → Cloud Run hello2-v2-9xyz-ew.a.run.app'
    )
    expect(changed).toContain('! hello2  timeout: 30s → 90s')
    expect(changed).toContain('| 🟡 changed | `hello2` |')
  })
})
