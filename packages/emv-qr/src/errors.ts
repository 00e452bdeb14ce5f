/**
 * Thrown by the encoder when its input cannot become a Harbour payload. The
 * API validates input before it gets here, so this signals a bug or a missed
 * check; `field` says which input to look at.
 */
export class HarbourPayloadInputError extends Error {
  override readonly name = 'HarbourPayloadInputError';

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
