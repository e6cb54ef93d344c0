// List filter grammar (gce-api.md §1.4) and pagination, as pure functions.
import { describe, expect, test } from '@jest/globals'
import { compileFilter, paginate } from '../../src/emulator/filter.js'

const items = [
  { name: 'web-a', description: 'lb-routes owner=team-a', labels: { env: 'prod' }, port: 80 },
  { name: 'web-b', description: 'lb-routes owner=team-b', port: 443 },
  { name: 'api', description: 'hand-made' }
]
const run = (f: string): string[] => items.filter(compileFilter(f)).map((i) => i.name)

describe('compileFilter', () => {
  test.each([
    ['', ['web-a', 'web-b', 'api']],
    ['name = "api"', ['api']],
    ["name = 'web-*'", ['web-a', 'web-b']],
    ['name != api', ['web-a', 'web-b']],
    ['name eq web-.*', ['web-a', 'web-b']],
    ['name ne web-.*', ['api']],
    ['description eq ".*owner=team-a.*"', ['web-a']],
    ['description eq "owner=team-a"', []],
    ['labels.env:*', ['web-a']],
    ['labels.env = prod', ['web-a']],
    ['port > 100', ['web-b']],
    ['(name = api) OR (port >= 443)', ['web-b', 'api']],
    ['-name = api', ['web-a', 'web-b']],
    ['(name eq web-.*)(description eq .*team-b)', ['web-b']]
  ])('%s', (f, expected) => expect(run(f)).toEqual(expected))

  test.each(['name', 'name ~ x', '(name = a', 'name = a)', 'name eq "(" ', 'AND'])(
    'rejects %s with 400 invalid',
    (f) => {
      expect(() => compileFilter(f)).toThrow(expect.objectContaining({ status: 400, reason: 'invalid' }))
    }
  )
})

test('paginate', () => {
  const all = Array.from({ length: 7 }, (_, i) => i)
  const a = paginate(all, '3', null)
  expect(a.items).toEqual([0, 1, 2])
  const b = paginate(all, '3', a.nextPageToken!)
  const c = paginate(all, '3', b.nextPageToken!)
  expect([b.items, c.items, c.nextPageToken]).toEqual([[3, 4, 5], [6], undefined])
  expect(paginate(all, '0', null).items).toHaveLength(7)
})
