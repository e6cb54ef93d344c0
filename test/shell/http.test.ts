import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import {
  GoogleApiError,
  isAlreadyExists,
  isFingerprintConflict,
  OperationError
} from '../../src/shell/google/errors.js'
import { buildUrl, LB_ROUTES_VERSION, parseErrorBody, parseRetryAfter } from '../../src/shell/google/http.js'
import { ConsoleLogger, NullLogger } from '../../src/shell/logger.js'

describe('http helpers', () => {
  test('user-agent version matches package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string
    }
    expect(LB_ROUTES_VERSION).toBe(pkg.version)
  })

  test('buildUrl drops undefined and encodes', () => {
    expect(buildUrl('http://h/a', { filter: 'name = "x"', pageToken: undefined, maxResults: 500 })).toBe(
      'http://h/a?filter=name+%3D+%22x%22&maxResults=500'
    )
    expect(buildUrl('http://h/a')).toBe('http://h/a')
  })

  test('parseRetryAfter: seconds, HTTP date, garbage', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfter('2', now)).toBe(2000)
    expect(parseRetryAfter('0.5', now)).toBe(500)
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:07 GMT', now)).toBe(7000)
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })

  test.each([
    [
      'compute',
      {
        error: {
          code: 409,
          message: 'exists',
          errors: [{ message: 'exists', domain: 'global', reason: 'alreadyExists' }]
        }
      },
      { reason: 'alreadyExists', message: 'exists' }
    ],
    [
      'cloud run',
      { error: { code: 404, message: 'gone', status: 'NOT_FOUND' } },
      { reason: 'NOT_FOUND', message: 'gone' }
    ],
    [
      'oauth',
      { error: 'invalid_grant', error_description: 'bad aud' },
      { reason: 'invalid_grant', message: 'bad aud' }
    ],
    [
      'oauth without description',
      { error: 'invalid_request' },
      { reason: 'invalid_request', message: 'invalid_request' }
    ]
  ])('parseErrorBody: %s', (_name, body, want) => {
    expect(parseErrorBody(JSON.stringify(body))).toEqual(want)
  })

  test('parseErrorBody: plain text is trimmed and bounded', () => {
    expect(parseErrorBody('  upstream\nconnect error ')).toEqual({ message: 'upstream connect error' })
    expect(parseErrorBody('x'.repeat(1000)).message).toHaveLength(301)
  })
})

describe('errors', () => {
  test('GoogleApiError message shape and predicates', () => {
    const e = new GoogleApiError({
      method: 'compute.urlMaps.insert',
      httpMethod: 'POST',
      url: 'https://compute.googleapis.com/compute/v1/projects/p/global/urlMaps',
      status: 409,
      reason: 'alreadyExists',
      apiMessage: "The resource 'projects/p/global/urlMaps/edge' already exists"
    })
    expect(e.message).toBe(
      "compute.urlMaps.insert POST https://compute.googleapis.com/compute/v1/projects/p/global/urlMaps: HTTP 409 alreadyExists: The resource 'projects/p/global/urlMaps/edge' already exists"
    )
    expect(e.name).toBe('GoogleApiError')
    expect(isAlreadyExists(e)).toBe(true)
    expect(isFingerprintConflict(e)).toBe(false)
  })

  test('OperationError lists extra codes and tolerates a bare error', () => {
    const multi = new OperationError({
      name: 'op',
      status: 'DONE',
      targetLink: 't',
      error: { errors: [{ code: 'A', message: 'm' }, { code: 'B' }, { code: 'C' }] }
    })
    expect(multi.message).toBe('operation op (t) failed: A: m (+2 more: B, C)')
    expect(multi.errors).toHaveLength(3)
    const bare = new OperationError({ id: '42', status: 'DONE', error: {} })
    expect(bare.code).toBe('UNKNOWN')
    expect(bare.operation).toBe('42')
  })
})

describe('logger', () => {
  test('ConsoleLogger: debug only when verbose', () => {
    const lines: string[] = []
    const quiet = new ConsoleLogger({ write: (l) => lines.push(l) })
    quiet.debug('d')
    quiet.info('i')
    quiet.warn('w')
    new ConsoleLogger({ verbose: true, write: (l) => lines.push(l) }).debug('d2')
    expect(lines).toEqual(['i', 'warning: w', 'debug: d2'])
    expect(() => new NullLogger().warn('x')).not.toThrow()
  })
})
