// Renders a plan comment (markdown written by `lb-routes plan --markdown`) to a PNG the way GitHub shows it,
// near enough for the README: GFM through `marked`, GitHub-like CSS, mermaid blocks drawn by mermaid, then a
// headless Chromium screenshot. Optional tooling, not part of the build or the tests.
//   node scripts/render-comment-png.mjs comment.md out.png [height]
// Needs a `chromium` on PATH (e.g. apt-get install chromium) and the dev dependencies (mermaid brings marked).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { marked } from 'marked'

const [input, output, height = '2400'] = process.argv.slice(2)
if (!input || !output) {
  process.stderr.write('usage: node scripts/render-comment-png.mjs comment.md out.png [height]\n')
  process.exit(2)
}

const md = readFileSync(input, 'utf8')
const body = marked
  .parse(md, { gfm: true })
  .replace(/<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g, '<pre class="mermaid">$1</pre>')
  .replace(/<blockquote>\s*<p>\[!(WARNING|NOTE|CAUTION|IMPORTANT)\]/g, '<blockquote class="alert $1"><p>')
const mermaid = pathToFileURL(resolve('node_modules/mermaid/dist/mermaid.min.js')).href
const html = `<!doctype html><html><head><meta charset="utf-8"><style>
body { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328;
  max-width: 900px; margin: 16px auto; padding: 16px; border: 1px solid #d0d7de; border-radius: 6px; }
h3 { font-size: 1.25em; } h4 { font-size: 1em; margin-top: 20px; }
code { background: #eff1f3; border-radius: 6px; padding: .1em .3em; font: 12px ui-monospace, monospace; }
pre { background: #f6f8fa; border-radius: 6px; padding: 12px; overflow: auto; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; display: block; overflow: auto; }
th, td { border: 1px solid #d0d7de; padding: 4px 10px; } tr:nth-child(2n) { background: #f6f8fa; }
blockquote { margin: 0; padding: 0 1em; color: #57606a; border-left: .25em solid #d0d7de; }
blockquote.alert.WARNING { border-color: #9a6700; } blockquote.alert.NOTE { border-color: #0969da; }
.language-diff { white-space: pre; }
pre.mermaid { background: #fff; }
</style></head><body>${body}
<script src="${mermaid}"></script>
<script>
for (const el of document.querySelectorAll('code.language-diff')) {
  el.innerHTML = el.innerHTML.split('\\n').map((l) => {
    const c = l.startsWith('+') ? '#1a7f37' : l.startsWith('-') ? '#cf222e' : l.startsWith('!') ? '#9a6700' : ''
    return c ? '<span style="color:' + c + '">' + l + '</span>' : l
  }).join('\\n')
}
mermaid.initialize({ startOnLoad: true, theme: 'default' })
</script></body></html>`
const dir = mkdtempSync(join(tmpdir(), 'lbr-png-'))
const page = join(dir, 'comment.html')
writeFileSync(page, html)
execFileSync(
  'chromium',
  [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--hide-scrollbars',
    '--allow-file-access-from-files',
    '--virtual-time-budget=8000',
    `--window-size=980,${height}`,
    `--screenshot=${resolve(output)}`,
    pathToFileURL(page).href
  ],
  { stdio: 'ignore' }
)
process.stdout.write(`${output}\n`)
