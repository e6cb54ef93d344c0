// Operation.user (gce-api.md §2.1): the email of the identity that made the change. Kept out of auth.ts,
// which owns identities; this only renders one.
import { createHash } from 'node:crypto'
import type { Principal } from './auth.js'

/**
 * operationUser is a service account's own email; callers without one (federated subjects, static test
 * tokens, anonymous calls) get a stable stand-in address in the reserved `.invalid` domain, derived by
 * hash so no token text reaches the operation.
 */
export function operationUser(p: Principal): string {
  switch (p.kind) {
    case 'serviceAccount':
      return p.email
    case 'federated':
      return `federated-${digest(p.sub)}@principal.emulator.invalid`
    case 'static':
      return `user-${digest(p.token)}@token.emulator.invalid`
    default:
      return 'anonymous@emulator.invalid'
  }
}

function digest(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 12)
}
