// The routes file as text: decoding, sanity limits and offset → line:column.
import type { SourceRef } from './model.js'

/** Larger than any sensible routes.json (a URL map holds at most 1 MB) yet small enough to parse in a second or two. */
export const MAX_FILE_BYTES = 32 * 1024 * 1024
/** routes.json needs about 6 levels; the limit keeps every recursive step far from the stack limit. */
export const MAX_DEPTH = 64

/** What decodeSource found: the text, or why there is none. */
export type Decoded = { readonly text: string } | { readonly problem: string }

/** decodeSource turns the input into text without a BOM, refusing binary, non-UTF-8 and oversized input. */
export function decodeSource(input: string | Uint8Array): Decoded {
  if (input.length > MAX_FILE_BYTES) {
    const mb = (input.length / 1024 / 1024).toFixed(1)
    return {
      problem: `file is ${mb} MB, larger than the ${MAX_FILE_BYTES / 1024 / 1024} MB lb-routes reads; a routes file is normally a few kilobytes`
    }
  }
  let text: string
  if (typeof input === 'string') {
    text = input
  } else {
    if (input.includes(0)) return { problem: binary('contains NUL bytes') }
    try {
      // fatal: invalid UTF-8 throws instead of turning into U+FFFD; the BOM is dropped by default.
      text = new TextDecoder('utf-8', { fatal: true }).decode(input)
    } catch {
      return { problem: binary('is not valid UTF-8') }
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (text.includes('\u0000')) return { problem: binary('contains NUL characters') }
  return { text }
}

function binary(why: string): string {
  return `this is not a text JSON file (it ${why}); routes.json must be UTF-8 encoded JSON text`
}

/** deepestOffset returns the offset of the first "{" or "[" nested deeper than `max`, or -1; strings and comments are skipped. */
export function deepestOffset(text: string, max: number): number {
  let depth = 0
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22 /* " */) {
      // Like the JSONC scanner, a line break ends an unterminated string.
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i)
        if (d === 0x5c /* \ */) i++
        else if (d === 0x22 || d === 0x0a || d === 0x0d) break
      }
    } else if (c === 0x2f /* / */ && text.charCodeAt(i + 1) === 0x2f) {
      while (i < n && text.charCodeAt(i) !== 0x0a) i++
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a /* * */) {
      const end = text.indexOf('*/', i + 2)
      i = end < 0 ? n : end + 1
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return i
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      if (depth > 0) depth--
    }
  }
  return -1
}

/** LineIndex converts 0-based offsets to 1-based line and column (columns in UTF-16 code units, as editors count). */
export class LineIndex {
  readonly #starts: number[] = [0]

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c === 0x0a) this.#starts.push(i + 1)
      else if (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a) this.#starts.push(i + 1)
    }
  }

  /** at returns the position of `offset`. */
  at(offset: number): SourceRef {
    let lo = 0
    let hi = this.#starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (this.#starts[mid] <= offset) lo = mid
      else hi = mid - 1
    }
    return { line: lo + 1, column: offset - this.#starts[lo] + 1 }
  }
}
