// Workflow-command injection (issue 12 §6): every line the action logs through @actions/core goes through
// one helper, so text quoting users' files (a test path with a newline) cannot issue `::error`,
// `::set-output` or `::stop-commands`. Driven through the real @actions/core, its stdout captured.
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import * as actionsCore from '@actions/core'
import { escapeWorkflowCommands, workflowSafeLog } from '../../src/shell/logger.js'

const HOSTILE =
  '/x\n::error::owned\r\n  ::set-output name=plan-id::evil\n::stop-commands::tok\n##[error]old\nok'

let written = ''
const realWrite = process.stdout.write.bind(process.stdout)
beforeEach(() => {
  written = ''
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written += String(chunk)
    return true
  }) as typeof process.stdout.write
  delete process.env.GITHUB_OUTPUT
})
afterEach(() => {
  process.stdout.write = realWrite
  process.exitCode = undefined
})

/** commands lists the log lines the runner would read as workflow commands. */
const commands = (out: string) => out.split(/\r?\n|\r/).filter((l) => /^\s*(::|##\[)/.test(l))

describe('workflowSafeLog', () => {
  it('the raw core.info lets a newline issue commands (the hole this closes)', () => {
    actionsCore.info(`route test failed: ${HOSTILE}`)
    expect(commands(written).length).toBeGreaterThan(0)
  })

  it.each(['info', 'warning', 'notice', 'error', 'setFailed', 'debug'] as const)(
    '%s: no line of the output is a workflow command besides the call itself',
    (fn) => {
      const core = workflowSafeLog(actionsCore)
      core[fn](`route test failed: ${HOSTILE}`)
      const own = fn === 'info' ? [] : [`::${fn === 'setFailed' ? 'error' : fn}::`]
      expect(commands(written).filter((l) => !own.some((o) => l.startsWith(o)))).toEqual([])
      expect(written).toContain('owned')
    }
  )

  it('escapeWorkflowCommands changes only the command openers', () => {
    expect(escapeWorkflowCommands('a::b\n ::c\n##[d')).toBe('a::b\n :\u200b:c\n#\u200b#[d')
  })
})
