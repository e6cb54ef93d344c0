// "Did you mean ...?" for misspelt keys and route names.

/** nearest returns the candidate closest to `word` (edit distance, case-insensitive), if close enough to be a typo. */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase()
  // Allow about one edit per three characters: "hots" → "hosts", but not "foo" → "to".
  const limit = Math.max(1, Math.floor(w.length / 3))
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const c = candidate.toLowerCase()
    if (Math.abs(c.length - w.length) > limit) continue
    const d = c === w ? 0 : editDistance(w, c)
    if (d <= limit && d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

/** didYouMean renders `; did you mean "x"?` for the nearest candidate, or '' when none is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const best = nearest(word, candidates)
  return best === undefined ? '' : `; did you mean "${best}"?`
}

// Damerau-Levenshtein (optimal string alignment), so a swap of two letters counts as one edit.
function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Infinity
  const rows: number[][] = []
  for (let i = 0; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j)
        continue
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2][j - 2] + 1)
      row.push(d)
    }
    rows.push(row)
  }
  return rows[a.length][b.length]
}
