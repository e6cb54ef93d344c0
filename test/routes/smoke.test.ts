import { it } from '@jest/globals'
import { parseRoutes } from '../../src/core/routes/parse.js'
import { formatDiagnostic } from '../../src/core/diagnostics.js'
it('perf', () => {
  const routes = Array.from({ length: 40000 }, (_, i) => `    { "name": "r${i}", "hosts": ["h${i % 50}.example.com"], "paths": ["/p${i}", "/p${i}/*"], "to": { "cloudRun": { "project": "team-a", "region": "europe-west1", "service": "svc${i}" } } }`)
  routes[35000] = routes[35000]!.replace('"r35000"', '"Bad_Name"')
  const text = `{\n  "version": 1, "owner": "team-web", "loadBalancer": {"project": "edge-prod", "urlMap": "edge"},\n  "routes": [\n${routes.join(',\n')}\n  ]\n}\n`
  console.log(text.length)
  let t = Date.now()
  const r = parseRoutes(text, { file: 'big.json' })
  console.log(Date.now() - t, r.diagnostics.map(formatDiagnostic).join('\n'))
  t = Date.now()
  const ok = parseRoutes(text.replace('Bad_Name', 'r35000'), { file: 'big.json' })
  console.log(Date.now() - t, ok.diagnostics.length, ok.config?.routes.length)
  t = Date.now()
  const deep = parseRoutes('['.repeat(1e6), { file: 'deep.json' })
  console.log(Date.now() - t, deep.diagnostics.map(formatDiagnostic).join('\n'))
  const garbage = parseRoutes('{"routes": [' + '{"name": 1},'.repeat(100000) + ']}', { file: 'g.json' })
  console.log(Date.now() - t, garbage.diagnostics.length, garbage.diagnostics.slice(-2).map(formatDiagnostic).join('\n'))
})
