import { describe, expect, it } from '@jest/globals'
import { cli } from './cli-io.js'

describe('lb-routes demo', () => {
  it('plans, prints the PR comment, applies, and ends with no changes while other owners keep their rules', async () => {
    const run = await cli(['demo'])
    if (run.code !== 0) console.log(run.stdout.slice(-6000), run.stderr)
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('<!-- lb-routes:plan ')
    expect(run.stdout).toContain(
      "✓ team-shop's routes and the unmanaged legacy rules are unchanged, byte for byte."
    )
    expect(run.stdout).toContain('✓ the second plan has no changes')
  })
})
