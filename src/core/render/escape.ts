// Safe text for the renderers. Route names, hosts, paths, project ids and messages come from users'
// files and from live state, so every string that reaches markdown, mermaid or a terminal goes through
// one of these functions. Rule of thumb for callers: identifiers go in inline code (`inlineCode` /
// `cellCode`), prose goes through `escapeMarkdown`, user text never goes inside raw HTML (`<summary>`),
// and mermaid labels use `mermaidLabel` with synthetic node ids.

/** Zero-width joiner: invisible, but breaks GitHub's @mention, #123, autolink and marker scanners. */
export const ZWJ = '\u200d'

/** Default cap for one user-supplied value in a table cell or list item (characters). */
export const MAX_INLINE = 200

// C0 and C1 control characters except tab/newline (handled separately); ESC (\x1b) is among them, so
// ANSI sequences in hostile strings cannot recolour or rewrite a terminal.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f]/g
// Bidirectional overrides and isolates ("Trojan Source"): they can make a path read differently from
// what the load balancer matches.
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g
const NEWLINE = /\r\n|[\r\n\u0085\u2028\u2029]/g

/** truncate shortens text to at most max characters, ending in "…", without splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  if (max <= 0) return ''
  let cut = max - 1
  const last = text.charCodeAt(cut - 1)
  if (last >= 0xd800 && last <= 0xdbff) cut -= 1
  return text.slice(0, cut) + '…'
}

/** cleanLine removes control and bidi characters, turns newlines and tabs into spaces and truncates. */
export function cleanLine(text: unknown, max = Infinity): string {
  const s = String(text ?? '')
    .replace(NEWLINE, ' ')
    .replace(/\t/g, ' ')
    .replace(CONTROL, '')
    .replace(BIDI, '')
  return truncate(s, max)
}

/** cleanBlock is cleanLine for multi-line text: newlines are kept (normalised to \n). */
export function cleanBlock(text: unknown): string {
  return String(text ?? '')
    .replace(NEWLINE, '\n')
    .replace(CONTROL, '')
    .replace(BIDI, '')
}

/**
 * breakMarkers makes `<!--` and `-->` impossible in a string by inserting a zero-width joiner, so user
 * text can neither open an HTML comment nor fake the hidden lb-routes marker anywhere in a body.
 */
export function breakMarkers(text: string): string {
  return text.replace(/<!--/g, `<!${ZWJ}--`).replace(/-->/g, `-${ZWJ}->`)
}

const HTML_ENTITY: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' }

// Text GitHub would turn into a link or a notification: URLs, www. hosts, e-mail addresses, @mentions and
// issue references (#1, GH-1). Such tokens go into code spans, where GitHub links nothing and the text
// copies exactly as written (no invisible characters inserted).
const LINKY =
  /[a-z][a-z0-9+.-]*:\/\/[^\s<>|`()[\]]+|\bwww\.[^\s<>|`()[\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|@[\p{L}\p{N}_-][\p{L}\p{N}_./-]*|#\d+|\bgh-\d+/giu

/** escapeProse escapes text that holds no linkable token (see escapeMarkdown). */
function escapeProse(text: string): string {
  // Entities first: no tag, comment (`<!--`, `-->`) or autolink `<http://…>` survives.
  let s = text.replace(/[&<>]/g, (c) => HTML_ENTITY[c] ?? c)
  // CommonMark lets any ASCII punctuation be backslash-escaped; these are the ones that start
  // structure anywhere on a line (emphasis, code, links, images, tables, strikethrough, headings).
  s = s.replace(/[\\`*_{}[\]()!|~#]/g, '\\$&')
  return s
}

/**
 * escapeMarkdown turns untrusted text into inert single-line markdown: no HTML, no links or images, no
 * emphasis, no mentions, no issue references, no autolinks, safe inside a table cell (`|` escaped,
 * newlines flattened). URLs, mentions and references are shown in code spans, so they copy as written.
 * Text longer than max is truncated first, so an escape is never cut in half.
 */
export function escapeMarkdown(text: unknown, max = MAX_INLINE): string {
  const line = cleanLine(text, max)
  let out = ''
  let at = 0
  for (const m of line.matchAll(LINKY)) {
    out += escapeProse(line.slice(at, m.index)) + codeSpan(breakMarkers(m[0]))
    at = m.index + m[0].length
  }
  out += escapeProse(line.slice(at))
  // Block starters only matter at the start of a line; callers put this text after "- " or "| ".
  return out.replace(/^([-+=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2')
}

function longestRun(text: string, ch: string): number {
  let best = 0
  let run = 0
  for (const c of text) {
    run = c === ch ? run + 1 : 0
    if (run > best) best = run
  }
  return best
}

/** codeSpan wraps text in a backtick fence longer than any backtick run inside it (CommonMark rule). */
function codeSpan(s: string): string {
  if (s === '') return '_(empty)_'
  const fence = '`'.repeat(longestRun(s, '`') + 1)
  // A span that starts or ends with a backtick, or with spaces on both sides, needs one padding space
  // each side: CommonMark strips exactly one from each end when both are present.
  const pad =
    s.startsWith('`') || s.endsWith('`') || (s.startsWith(' ') && s.endsWith(' ') && s.trim() !== '')
  return pad ? `${fence} ${s} ${fence}` : `${fence}${s}${fence}`
}

/**
 * inlineCode renders an identifier as inline code (not in a table): nothing inside is interpreted by
 * GitHub (no mentions, refs or links), newlines are flattened and markers broken.
 */
export function inlineCode(text: unknown, max = MAX_INLINE): string {
  return codeSpan(breakMarkers(cleanLine(text, max)))
}

/**
 * cellCode is inlineCode for a GFM table cell: the table splitter runs before code spans are parsed,
 * so `|` must be `\|` even inside backticks (GitHub removes the backslash). A backslash right before a
 * pipe is separated by a ZWJ so `\\|` cannot turn the pipe back into a column break.
 */
export function cellCode(text: unknown, max = MAX_INLINE): string {
  const s = breakMarkers(cleanLine(text, max))
    .replace(/\\(?=\|)/g, `\\${ZWJ}`)
    .replace(/\|/g, '\\|')
  return codeSpan(s)
}

/**
 * codeBlock renders a fenced block whose fence is longer than any backtick run in the text. Markers are
 * broken unless keepArrows is set, for mermaid, whose `-->` edges are ours and whose labels cannot hold
 * `<` or `>` (see mermaidText), so no user text can form a marker there.
 */
export function codeBlock(text: string, lang = '', keepArrows = false): string {
  const clean = cleanBlock(text)
  const body = (keepArrows ? clean.replace(/<!--/g, `<!${ZWJ}--`) : breakMarkers(clean)).replace(/\n+$/, '')
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1))
  const info = lang.replace(/[^a-z0-9-]/gi, '')
  return `${fence}${info}\n${body}\n${fence}`
}

/**
 * safeJson is JSON.stringify with `<`, `>`, `&` and the JS line separators escaped as \uXXXX: still
 * valid JSON with the same value, but it can never contain `-->` or `<!--`, so it may sit in an HTML
 * comment (the hidden marker).
 */
export function safeJson(value: unknown, indent?: number): string {
  return (JSON.stringify(value, null, indent) ?? 'null').replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/** safeUrl returns an http(s) URL percent-encoded for a markdown link target, or undefined when unsafe. */
export function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined
  // URL.href already percent-encodes spaces, quotes and angle brackets; parentheses would end the link.
  return parsed.href.replace(/\(/g, '%28').replace(/\)/g, '%29')
}

// Inside a quoted mermaid label ordinary punctuation — ( ) [ ] { } | ; — is just text. What is not: `"`
// ends the string, `#…;` is mermaid's entity syntax, `<` and `>` are HTML, `&` starts an HTML entity, a
// backtick starts a markdown string and `%%` a comment. Those are written as mermaid entity codes, which
// mermaid shows as the character itself (and `<`, `>` never appear, so no `-->` or `<!--` can form).
const MERMAID_ENTITY: Readonly<Record<string, string>> = {
  '"': '#quot;',
  '#': '#35;',
  '<': '#lt;',
  '>': '#gt;',
  '&': '#amp;',
  '`': '#96;',
  '%': '#37;'
}

/** mermaidText makes untrusted text safe as (part of) a quoted mermaid label, without the quotes. */
export function mermaidText(text: unknown, max = 60): string {
  return cleanLine(text, max).replace(/["#<>&`%]/g, (c) => MERMAID_ENTITY[c] ?? '')
}

/** mermaidLabel is a complete quoted mermaid label: `"…"`. Lines are joined with `<br/>`. */
export function mermaidLabel(...lines: unknown[]): string {
  return `"${lines.map((l) => mermaidText(l)).join('<br/>')}"`
}

/** terminalText strips control characters (ANSI escapes included) and bidi overrides from one line. */
export function terminalText(text: unknown): string {
  return cleanLine(text)
}

/** utf8Length counts the UTF-8 bytes of a string without any I/O (GitHub's step summary cap is in bytes). */
export function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4
      i++
    } else bytes += 3
  }
  return bytes
}
