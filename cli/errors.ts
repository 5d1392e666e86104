/**
 * An error the user caused (bad flag, missing file, invalid fixture...). The CLI prints
 * its message without a stack trace and exits with `exitCode` (2 unless said otherwise).
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = 'UserError';
  }
}
