/** A mistake the user can fix (bad option, fixture, missing credentials): the CLI exits 2. */
export class ParityUsageError extends Error {
  override name = 'ParityUsageError';
}
