/**
 * The base of every error this project throws. Each class names its own annotation title, in the user's words, and
 * may add hints (what to do about it); the action renders any of them the same way, without knowing the class.
 */
export abstract class ReportedError extends Error {
  /** The error annotation's title: what kind of failure this is. */
  abstract readonly title: string;

  /** Lines that tell the user what to do; none unless a subclass knows better. */
  hints(): string[] {
    return [];
  }
}
