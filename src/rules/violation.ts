// What every resource's rules raise and the HTTP layer answers: kept apart from both so that the
// error handler need not import a resource, nor a resource the HTTP layer.

/** A problem with a request, named by a JSON path into it (as the validator names its own). */
export interface Violation {
  path: string;
  message: string;
}

/** Thrown by the domain when a request breaks a rule; the HTTP layer answers it with 400. */
export class RuleViolation extends Error {
  constructor(readonly violations: Violation[]) {
    super(violations.map((v) => `${v.path} ${v.message}`).join('; '));
  }
}
