// The Sequence account a client id stands for. Sequence answers `sequenceAccountId` on many
// resources; the fake derives a stable one from the client id, so every answer of a partition
// names the same account.
import { createHash } from 'node:crypto';

/** A stable UUID-shaped id for the Sequence account a client id stands for. */
export function accountIdOf(clientId: string): string {
  const hex = createHash('sha1').update(`sequence-mock:${clientId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
