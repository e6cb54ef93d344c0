// Lists functions in src/ longer than the limit (default 80 lines). `--check` exits 1 when any is found that
// is not marked with a `// long: <why>` comment on the line above it (long tables, generated code).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'

const limit = Number(process.env.MAX_FUNCTION_LINES ?? 80)
const files = (dir) =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.generated.ts') ? [p] : []
  })

const found = []
for (const file of files('src')) {
  const text = readFileSync(file, 'utf8')
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const lines = text.split('\n')
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line
      const end = sf.getLineAndCharacterOfPosition(node.end).line
      const n = end - start + 1
      const excused = /\/\/ long:/.test(lines[start - 1] ?? '') || /\/\/ long:/.test(lines[start] ?? '')
      if (n > limit && !excused) {
        const name =
          node.name?.getText(sf) ??
          (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(sf) : '(anonymous)')
        found.push({ file, line: start + 1, name, n })
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
}
found.sort((a, b) => b.n - a.n)
for (const f of found) console.log(`${f.file}:${f.line}: ${f.name} is ${f.n} lines (limit ${limit})`)
if (process.argv.includes('--check') && found.length > 0) {
  console.error(
    `${found.length} function(s) over ${limit} lines: split them, or mark a long table with '// long: why'.`
  )
  process.exit(1)
}
