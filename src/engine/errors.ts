// What a resource's rules raise and the HTTP layer answers, kept in the engine so that neither
// imports the other: a broken rule (400) and a missing record (404), each naming the field at fault.

/** A problem with a request, named by a JSON path into it (as the validator names its own). */
export interface Violation {
  path: string;
  message: string;
}

/** Thrown when a request breaks a rule; answered with 400 and every violation. */
export class RuleViolation extends Error {
  constructor(readonly violations: Violation[]) {
    super(violations.map((v) => `${v.path} ${v.message}`).join('; '));
  }
}

/** Thrown when what a request names is not there; answered with 404 naming the parameter. */
export class NotFound extends Error {
  constructor(readonly violation: Violation) {
    super(`${violation.path} ${violation.message}`);
  }
}

/** "no customer with id X", at the parameter that named it. */
export function notFound(what: string, path: string, id: string): NotFound {
  return new NotFound({ path, message: `no ${what} with id ${id}` });
}

/** The value, or the 404 `error` makes: reads answer undefined for "not there". */
export function found<T>(value: T | undefined, error: () => NotFound): T {
  if (value === undefined) throw error();
  return value;
}
