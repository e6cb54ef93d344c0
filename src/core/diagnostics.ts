// Diagnostics are values, collected and printed all at once (never thrown for user errors).

/** One problem found in a user's file, pointing at the offending value (1-based line and column). */
export interface Diagnostic {
  readonly severity: 'error' | 'warning'
  readonly file: string
  readonly line: number
  readonly column: number
  /** What is wrong and how to fix it, in one sentence or two. */
  readonly message: string
}

/** formatDiagnostic renders `FILE:LINE:COL: error: MESSAGE` (DESIGN.md §7). */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`
}

/** hasErrors is true when any diagnostic is an error (warnings alone do not fail a run). */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error')
}

/** sortDiagnostics orders by file, line, column so output is stable. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column
  )
}
