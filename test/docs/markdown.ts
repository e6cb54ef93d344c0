// Reading the documentation as data: which markdown files there are, their fenced code blocks, their links
// and the anchors GitHub gives their headings.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export const ROOT = join(import.meta.dirname, '..', '..')

/** docFiles lists README.md and docs/*.md, relative to the repository root. */
export function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`)
  return ['README.md', ...docs]
}

export interface CodeBlock {
  readonly lang: string
  readonly text: string
  /** 1-based line of the opening fence. */
  readonly line: number
}

export interface Link {
  readonly target: string
  readonly line: number
}

interface Scanned {
  readonly blocks: CodeBlock[]
  /** The lines outside fenced code blocks (others blanked, so line numbers hold). */
  readonly prose: string[]
}

/** scan splits markdown into fenced code blocks and the prose around them (fences of ``` or ````). */
function scan(text: string): Scanned {
  const blocks: CodeBlock[] = []
  const prose: string[] = []
  let open: { fence: string; indent: number; lang: string; line: number; body: string[] } | undefined
  for (const [i, line] of text.split('\n').entries()) {
    const fence = /^(\s*)(`{3,})(.*)$/.exec(line)
    if (!open && fence) {
      open = { fence: fence[2]!, indent: fence[1]!.length, lang: fence[3]!.trim(), line: i + 1, body: [] }
      prose.push('')
    } else if (open && fence && fence[2] === open.fence && fence[3]!.trim() === '') {
      blocks.push({ lang: open.lang, text: open.body.join('\n'), line: open.line })
      open = undefined
      prose.push('')
    } else if (open) {
      // A fence indented inside a list item indents its body as much.
      open.body.push(line.slice(Math.min(open.indent, /^ */.exec(line)![0].length)))
      prose.push('')
    } else prose.push(line)
  }
  return { blocks, prose }
}

/** codeBlocks returns the fenced code blocks of a markdown text. */
export const codeBlocks = (text: string): CodeBlock[] => scan(text).blocks

/** links returns the targets of inline links and images outside code (`[text](target)`). */
export function links(text: string): Link[] {
  const out: Link[] = []
  for (const [i, raw] of scan(text).prose.entries()) {
    const line = raw.replace(/`[^`]*`/g, '') // inline code is not a link
    for (const m of line.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g))
      out.push({ target: m[1]!, line: i + 1 })
  }
  return out
}

/** slug is the anchor GitHub gives a heading's text (lower case, punctuation dropped, spaces to hyphens). */
export function slug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\p{Pc}\s-]/gu, '')
    .replace(/ /g, '-')
}

/** anchors returns every heading anchor of a markdown text, numbered as GitHub numbers repeated ones. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>()
  const out = new Set<string>()
  for (const line of scan(text).prose) {
    const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (!h) continue
    const base = slug(h[1]!)
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    out.add(n === 0 ? base : `${base}-${n}`)
  }
  return out
}

/** read returns a repository file's text. */
export const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8')
