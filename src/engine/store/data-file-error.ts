/** Thrown for a data file the server must not start on; the message names the problem. */
export class DataFileError extends Error {}

/** Thrown when a change cannot be made durable (disk full, file gone): the change is not acknowledged. */
export class DataFileWriteError extends Error {}
