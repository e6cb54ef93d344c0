// The text of a caught value for a message: anything can be thrown, not only an Error.

/** errorMessage is the message of an Error, or the thrown value as text. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
