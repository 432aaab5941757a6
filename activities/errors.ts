/** Failure types that workflows branch on (`failure.cause.type`). */
export const ErrorType = {
  /** The provider refused the message for good (SMTP 5xx, Twilio 400): retrying cannot help. */
  PermanentDeliveryFailure: 'PermanentDeliveryFailure',
} as const;
export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];
