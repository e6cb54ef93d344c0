// Server-minted values: ids, fingerprints, operation names, timestamps. All draw on the injected clock
// and randomness so a seeded run is reproducible.
import type { Entropy } from './types.js'

/** newId returns a non-zero uint64 as a decimal string, like Compute's `id` (gce-api.md §1.2). */
export function newId(random: () => number): string {
  const hi = BigInt(Math.floor(random() * 0x7fffffff) + 1)
  const lo = BigInt(Math.floor(random() * 0x100000000))
  return ((hi << 32n) | lo).toString()
}

/** randomBytes draws n bytes from the injected randomness. */
export function randomBytes(random: () => number, n: number): Buffer {
  const b = Buffer.alloc(n)
  for (let i = 0; i < n; i++) b[i] = Math.floor(random() * 256) & 0xff
  return b
}

/** newFingerprint returns the base64 of 8 random bytes, e.g. "MKfYsObzqgw=" (gce-api.md §1.2). */
export function newFingerprint(random: () => number): string {
  return randomBytes(random, 8).toString('base64')
}

/** hex returns n random lowercase hex digits. */
export function hex(random: () => number, n: number): string {
  let s = ''
  for (let i = 0; i < n; i++) s += Math.floor(random() * 16).toString(16)
  return s
}

/** operationName mimics `operation-1488364472245-549a8dbaa1b09-e8fb3190-02744b2a` (gce-api.md §2.1). */
export function operationName(e: Entropy): string {
  return `operation-${e.now()}-${hex(e.random, 13)}-${hex(e.random, 8)}-${hex(e.random, 8)}`
}

const pacific = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Los_Angeles',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit'
})

/** rfc3339 formats like Compute: Pacific time with offset, e.g. "2020-10-13T11:18:10.561-07:00". */
export function rfc3339(ms: number): string {
  const parts: Record<string, string> = {}
  for (const p of pacific.formatToParts(new Date(ms))) parts[p.type] = p.value
  const wallUtc = Date.UTC(
    +parts.year!,
    +parts.month! - 1,
    +parts.day!,
    +parts.hour!,
    +parts.minute!,
    +parts.second!
  )
  const offsetMin = Math.round((wallUtc - (ms - (((ms % 1000) + 1000) % 1000))) / 60000)
  const sign = offsetMin < 0 ? '-' : '+'
  const abs = Math.abs(offsetMin)
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0')
  const millis = pad(((ms % 1000) + 1000) % 1000, 3)
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.${millis}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}
