// The text of a caught value for a message: anything can be thrown, not only an Error.

/** errorMessage is the message of an Error (of any realm), or the thrown value as text. */
export function errorMessage(err: unknown): string {
  // Not `instanceof Error`: an Error made in another realm (Node's own errors under jest's vm modules,
  // a vm context) fails that test but still has its message.
  const message = typeof err === 'object' && err !== null ? (err as { message?: unknown }).message : undefined
  return typeof message === 'string' ? message : String(err)
}
