// The traffic check's cost (DESIGN.md §4.1): differential routing of a live and a merged URL map with
// 1,000 (and more) routes held by many owners. `npm run bench` builds .bench-build; this scenario is kept
// apart from bench.mjs so it can run alone:
//
//   npx tsc -p tsconfig.build.json --outDir .bench-build && node scripts/bench-traffic.mjs [--sizes 1000,5000]
//
// bench.mjs (or anything else) can import benchTraffic(sizes) and print its rows.
import { parseArgs } from 'node:util'
import { pathToFileURL } from 'node:url'
import { checkTraffic } from '../.bench-build/core/traffic/check.js'
import { trafficProbes } from '../.bench-build/core/traffic/probes.js'

const P = 'edge-prod'
const B = `https://www.googleapis.com/compute/v1/projects/${P}/global/backendServices/`
const OWNERS = 20

/**
 * sharedMap builds a live map of `routes` routes: OWNERS owners, each route a prefix (`/rN`, `/rN/*`) on
 * one of routes/5 hosts (so hosts are shared between owners), every fifth route a `*` route, plus an
 * unmanaged legacy host. The merged map is the same with owner-0's routes re-pointed and 10% more routes.
 */
function maps(routes) {
  const hostCount = Math.max(1, Math.floor(routes / 5))
  const live = { name: 'edge', defaultService: `${B}fallback`, hostRules: [], pathMatchers: [] }
  const owners = new Map()
  const matcher = (host) => {
    let pm = live.pathMatchers.find((m) => m.name === `pm-${host}`)
    if (!pm) {
      pm = {
        name: `pm-${host}`,
        description: 'lb-routes owner=o0',
        defaultService: `${B}fallback`,
        pathRules: []
      }
      live.pathMatchers.push(pm)
      live.hostRules.push({ hosts: [host], pathMatcher: pm.name, description: 'lb-routes owner=o0' })
    }
    return pm
  }
  for (let i = 0; i < routes; i++) {
    const owner = `o${i % OWNERS}`
    const service = `${B}bs-${i}`
    owners.set(service, owner)
    const host = i % 5 === 4 ? '*' : `h${i % hostCount}.example.com`
    matcher(host).pathRules.push({ paths: [`/r${i}`, `/r${i}/*`], service })
  }
  live.hostRules.push({ hosts: ['legacy.example.com'], pathMatcher: 'legacy' })
  live.pathMatchers.push({
    name: 'legacy',
    defaultService: `${B}legacy`,
    pathRules: [{ paths: ['/old/*'], service: `${B}legacy-old` }]
  })
  const merged = JSON.parse(JSON.stringify(live))
  for (const pm of merged.pathMatchers)
    for (const r of pm.pathRules) if (owners.get(r.service) === 'o0') r.service = `${r.service}-v2`
  for (let i = routes; i < routes * 1.1; i++) {
    const service = `${B}bs-${i}`
    owners.set(service, 'o0')
    merged.pathMatchers
      .find((m) => m.name === `pm-h${i % hostCount}.example.com`)
      ?.pathRules.push({ paths: [`/n${i}`, `/n${i}/*`], service })
  }
  for (const [s, o] of [...owners]) if (o === 'o0') owners.set(`${s}-v2`, 'o0')
  return { live, merged, owners }
}

/** benchTraffic returns one row per size: probes, moves, refused moves and the median time of 5 runs. */
export function benchTraffic(sizes, onRow = () => {}) {
  return sizes.map((routes) => {
    const { live, merged, owners } = maps(routes)
    const input = {
      owner: 'o0',
      project: P,
      scheme: 'EXTERNAL_MANAGED',
      live,
      merged,
      liveOwners: owners,
      owners
    }
    const times = []
    let moves = []
    for (let run = 0; run < 5; run++) {
      const t0 = process.hrtime.bigint()
      moves = checkTraffic(input)
      times.push(Number(process.hrtime.bigint() - t0) / 1e6)
    }
    times.sort((a, b) => a - b)
    const row = {
      routes,
      probes: trafficProbes([live, merged], 'EXTERNAL_MANAGED').length,
      moves: moves.length,
      refused: moves.filter((m) => m.conflict).length,
      ms: Math.round(times[2])
    }
    onRow(row)
    return row
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,5000' } } })
  console.log('traffic check (differential routing, median of 5)')
  console.log('routes  probes   moves  refused  ms')
  const rows = benchTraffic(values.sizes.split(',').map(Number), (r) =>
    console.log(
      `${String(r.routes).padEnd(8)}${String(r.probes).padEnd(9)}${String(r.moves).padEnd(7)}${String(r.refused).padEnd(9)}${r.ms}`
    )
  )
  const worst = rows.find((r) => r.routes === 1000)
  if (worst)
    console.log(
      `budget: a 1,000-route check well under a second: ${worst.ms < 500 ? 'holds' : 'MISSED'} (${worst.ms} ms)`
    )
}
