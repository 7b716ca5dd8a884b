/** Raised when a byte stream cannot be a valid event stream (an event over the size cap). */
export class SseParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SseParseError';
  }
}
