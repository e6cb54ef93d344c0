// The verify report: a section of the apply comment / job summary (markdown table) and terminal text.
// Hosts, paths, route names, Location headers and error texts are user- or network-supplied: escaped here.
import {
  expectedStatus,
  failedRoutes,
  formatDurationMs,
  responseText,
  verifyPassed,
  type ProbeResult,
  type VerifyReport
} from '../verify/probes.js'
import { cellCode, escapeMarkdown, terminalText } from './escape.js'
import { painter } from './text.js'
import { formatDuration, plural } from './summary.js'

/** At most this many rows in the markdown table (failures first), so the section stays well inside a comment. */
export const MAX_VERIFY_ROWS = 50
const CELL = 120

/** failuresFirst orders results failed-then-passed, each in probe order. */
function failuresFirst(results: readonly ProbeResult[]): ProbeResult[] {
  return [...results.filter((r) => !r.passed), ...results.filter((r) => r.passed)]
}

function headline(report: VerifyReport): string {
  const passed = report.results.filter((r) => r.passed).length
  const routes = new Set(report.results.map((r) => r.probe.route)).size
  return `${passed}/${report.results.length} probe(s) of ${plural(routes, 'route')} answered as expected through ${report.url} in ${formatDuration(report.durationMs)} (timeout ${formatDurationMs(report.timeoutMs)}, ${report.tests === 'all' ? 'declared and generated tests' : 'declared tests only'})`
}

/** renderVerifyMarkdown is the "Verify" section: status line and a table route / request / status / latency / attempts. */
export function renderVerifyMarkdown(report: VerifyReport): string {
  const ok = verifyPassed(report)
  const lines = [
    '### Verify',
    '',
    ok
      ? `✅ **Every route answers through the load balancer.** ${escapeMarkdown(headline(report), 400)}.`
      : `❌ **${plural(failedRoutes(report).length, 'route')} never came up:** ${failedRoutes(report)
          .map((r) => cellCode(r, CELL))
          .join(', ')}. ${escapeMarkdown(headline(report), 400)}.`,
    ''
  ]
  if (report.results.length === 0) {
    lines.push('_No route tests to probe (with `verify-tests: declared`, add `tests` to routes.json)._')
    return lines.join('\n') + '\n'
  }
  lines.push('| | route | request | status | latency | attempts |', '| --- | --- | --- | --- | ---: | ---: |')
  const rows = failuresFirst(report.results)
  for (const r of rows.slice(0, MAX_VERIFY_ROWS)) {
    const status = r.passed
      ? escapeMarkdown(responseText(r.last), CELL)
      : `${escapeMarkdown(responseText(r.last), CELL)} (expected ${escapeMarkdown(expectedStatus(r.probe))})`
    lines.push(
      `| ${r.passed ? '✅' : '❌'} | ${cellCode(r.probe.route, CELL)} | ${cellCode(r.probe.host + r.probe.path, CELL)} | ${status} | ${r.latencyMs === undefined ? '—' : `${Math.round(r.latencyMs)} ms`} | ${r.attempts} |`
    )
  }
  if (rows.length > MAX_VERIFY_ROWS) {
    lines.push(
      '',
      `_…and ${rows.length - MAX_VERIFY_ROWS} more probe(s), all passed or listed above by route; see the job log._`
    )
  }
  return lines.join('\n') + '\n'
}

/** renderVerifyText is the terminal report: one line per probe, then the verdict naming failed routes. */
export function renderVerifyText(report: VerifyReport, opts: { readonly color: boolean }): string {
  const paint = painter(opts.color)
  const out = [paint('1', `lb-routes verify through ${terminalText(report.url)}`)]
  for (const r of report.results) {
    const mark = r.passed ? paint('32', '✓') : paint('31', '✗')
    const what = `${terminalText(r.probe.route)}  ${terminalText(r.probe.host)}${terminalText(r.probe.path)}`
    const detail = r.passed
      ? `${terminalText(responseText(r.last))} in ${Math.round(r.latencyMs ?? 0)} ms`
      : `${terminalText(responseText(r.last))}, expected ${expectedStatus(r.probe)}`
    out.push(`  ${mark} ${what}  ${detail}  (${plural(r.attempts, 'attempt')})`)
  }
  out.push('')
  out.push(
    verifyPassed(report)
      ? paint('32', `Verified: ${terminalText(headline(report))}.`)
      : paint(
          '31',
          `Verify failed: ${plural(failedRoutes(report).length, 'route')} never came up: ${failedRoutes(report).map(terminalText).join(', ')}.`
        )
  )
  return out.join('\n') + '\n'
}

/** renderVerifyJson is the report as JSON (the `--json` output). */
export function renderVerifyJson(report: VerifyReport): string {
  return (
    JSON.stringify(
      {
        url: report.url,
        tests: report.tests,
        timeoutMs: report.timeoutMs,
        durationMs: report.durationMs,
        passed: verifyPassed(report),
        failedRoutes: failedRoutes(report),
        results: report.results.map((r) => ({
          route: r.probe.route,
          host: r.probe.host,
          path: r.probe.path,
          origin: r.probe.origin,
          expect: r.probe.statuses ?? '200-399',
          passed: r.passed,
          attempts: r.attempts,
          ...(r.latencyMs !== undefined ? { latencyMs: Math.round(r.latencyMs) } : {}),
          ...(r.last ? { last: r.last } : {})
        }))
      },
      null,
      2
    ) + '\n'
  )
}
