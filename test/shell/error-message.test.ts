import { describe, expect, it } from '@jest/globals'
import { parseArgs } from 'node:util'
import { errorMessage } from '../../src/core/error-message.js'

describe('errorMessage', () => {
  it('reads the message of an Error, also one Node made in its own realm', () => {
    expect(errorMessage(new RangeError('too big'))).toBe('too big')
    let nodeError: unknown
    try {
      parseArgs({ args: ['--nope'], options: {}, strict: true })
    } catch (err) {
      nodeError = err
    }
    expect(errorMessage(nodeError)).toBe("Unknown option '--nope'")
  })

  it('writes any other thrown value as text', () => {
    expect(errorMessage('plain')).toBe('plain')
    expect(errorMessage(42)).toBe('42')
    expect(errorMessage(null)).toBe('null')
    expect(errorMessage({ message: 7 })).toBe('[object Object]')
  })
})
