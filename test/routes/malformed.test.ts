// Every file under test/fixtures/malformed/ has one kind of mistake (named by the file) and starts with
// `// expect: LINE:COL SUBSTRING` lines: the errors parseRoutes must report, exactly, and no others.
import { describe, it, expect } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { formatDiagnostic } from '../../src/core/diagnostics.js'
import { parseRoutes } from '../../src/core/routes/parse.js'

const dir = join(import.meta.dirname, '..', 'fixtures', 'malformed')

interface Expectation {
  readonly line: number
  readonly column: number
  readonly text: string
}

function expectations(source: string): Expectation[] {
  return [...source.matchAll(/^\/\/ expect: (\d+):(\d+) (.+)$/gm)].map((m) => ({
    line: Number(m[1]),
    column: Number(m[2]),
    text: m[3] ?? ''
  }))
}

const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()

describe('malformed routes files', () => {
  it('has a corpus of at least 45 fixtures, each with expectations', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(45)
    for (const f of fixtures)
      expect(expectations(readFileSync(join(dir, f), 'utf8')).length).toBeGreaterThan(0)
  })

  it.each(fixtures)('%s', (name) => {
    const bytes = readFileSync(join(dir, name))
    const result = parseRoutes(bytes, { file: name })
    const errors = result.diagnostics.filter((d) => d.severity === 'error')
    const rendered = errors.map(formatDiagnostic).join('\n')
    expect(result.config).toBeUndefined()
    for (const e of expectations(bytes.toString('utf8'))) {
      const match = errors.find(
        (d) => d.line === e.line && d.column === e.column && d.message.includes(e.text)
      )
      expect({ wanted: `${e.line}:${e.column} ${e.text}`, found: match ? 'yes' : rendered }).toEqual({
        wanted: `${e.line}:${e.column} ${e.text}`,
        found: 'yes'
      })
    }
    expect(errors).toHaveLength(expectations(bytes.toString('utf8')).length)
  })
})

describe('input checks', () => {
  it.each([
    ['an empty file', new Uint8Array(), 'file is empty'],
    ['whitespace only', ' \n\t\n', 'file is empty'],
    ['NUL bytes', new Uint8Array([0x7b, 0x00, 0x7d]), 'not a text JSON file'],
    ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 'not a text JSON file'],
    [
      'a PNG header',
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
      'not a text JSON file'
    ],
    ['UTF-16 text', new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00]), 'not a text JSON file'],
    ['a NUL character in a string', '{"version": 1\u0000}', 'not a text JSON file']
  ])('reports %s once, at 1:1', (_name, input, text) => {
    const result = parseRoutes(input, { file: 'routes.json' })
    expect(result.config).toBeUndefined()
    expect(result.diagnostics).toHaveLength(1)
    expect(result.diagnostics[0]).toMatchObject({ severity: 'error', line: 1, column: 1 })
    expect(result.diagnostics[0]?.message).toContain(text)
  })

  it('strips a UTF-8 byte order mark, so positions count from the first real character', () => {
    const text = '\ufeff{"version": 1, "owner": "Bad"}'
    for (const input of [text, new TextEncoder().encode(text)]) {
      const result = parseRoutes(input, { file: 'routes.json' })
      const owner = result.diagnostics.find((d) => d.message.startsWith('owner'))
      expect(owner).toMatchObject({ line: 1, column: 25 })
    }
  })

  it('formats diagnostics as FILE:LINE:COL: error: MESSAGE', () => {
    const result = parseRoutes('{\n  "version": 1,\n  "owner": "Team_Web"\n}', {
      file: 'teams/web/routes.json'
    })
    expect(result.diagnostics.map(formatDiagnostic)).toContain(
      'teams/web/routes.json:3:12: error: owner "Team_Web" must match [a-z]([-a-z0-9]*[a-z0-9])? (lowercase letters, digits and hyphens, starting with a letter); try "team-web"'
    )
  })

  it('never throws on garbage, whatever the shape', () => {
    const inputs = [
      '['.repeat(200_000),
      '{"a":'.repeat(100_000),
      '"' + 'x'.repeat(100_000),
      '/*'.repeat(1000),
      '{"routes": ' + '[{"to": '.repeat(30) + '}',
      '{"routes": [null, 1, "x", [], {"to": null}, {"to": {"cloudRun": 5}}, {"hosts": "a"}]}',
      '{"__proto__": {"polluted": 1}, "constructor": 1, "routes": [{"name": "toString"}]}',
      '{"tests": [{"expect": 1}, {"expect": {"route": 1}}], "allowedInternetHosts": [1, null]}',
      String.fromCharCode(...Array.from({ length: 2000 }, (_, i) => (i * 7919) % 0xd7ff || 1))
    ]
    for (const input of inputs) {
      const result = parseRoutes(input, { file: 'f.json' })
      expect(result.config).toBeUndefined()
      expect(result.diagnostics.length).toBeGreaterThan(0)
      expect(result.diagnostics.length).toBeLessThanOrEqual(201)
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('a multi-megabyte file', () => {
  const route = (i: number, name = `r${i}`) =>
    `    { "name": "${name}", "hosts": ["h${i % 50}.example.com"], "prefix": "/p${i}", "to": { "cloudRun": { "project": "team-a", "region": "europe-west1", "service": "svc${i}" } } }`
  const build = (count: number, bad: number) => {
    const routes = Array.from({ length: count }, (_, i) => route(i, i === bad ? 'Bad_Route' : `r${i}`))
    return `{\n  "version": 1,\n  "owner": "team-web",\n  "loadBalancer": { "project": "edge-prod", "urlMap": "edge" },\n  "routes": [\n${routes.join(',\n')}\n  ]\n}\n`
  }

  it('reports one bad route deep inside at its own line', () => {
    const text = build(50_000, 45_678)
    expect(text.length).toBeGreaterThan(8_000_000)
    const start = process.cpuUsage()
    const result = parseRoutes(text, { file: 'big.json' })
    const cpu = process.cpuUsage(start)
    expect(result.diagnostics.map(formatDiagnostic)).toEqual([
      expect.stringMatching(
        /^big\.json:45684:15: error: route name "Bad_Route" must match .*; try "bad-route"$/
      )
    ])
    // CPU time, not wall time: other test files run in parallel. Typically well under 2 s.
    expect((cpu.user + cpu.system) / 1e6).toBeLessThan(6)
  })

  it('caps the output of a file full of mistakes and says how many were left out', () => {
    const text = `{"routes": [${'{"name": 1},'.repeat(50_000)}]}`
    const result = parseRoutes(text, { file: 'g.json' })
    expect(result.diagnostics).toHaveLength(201)
    expect(result.diagnostics[200]?.message).toMatch(/^\d+ more problems not shown/)
  })
})
