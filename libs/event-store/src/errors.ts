/** An append or read argument that breaks the envelope's rules; nothing was stored. */
export class InvalidEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}

/**
 * Some of the appended event ids are already stored, but not as an exact retry of one earlier
 * append to this stream (other stream, partial overlap, other order or other content).
 * Nothing was stored.
 */
export class EventIdConflictError extends Error {
  constructor(
    readonly streamId: string,
    readonly eventIds: string[],
    reason: string,
  ) {
    super(`stream ${streamId}: event ids ${eventIds.join(', ')} conflict with stored events: ${reason}`);
    this.name = 'EventIdConflictError';
  }
}
