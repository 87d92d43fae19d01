/** Thrown for a data file the server must not start on; the message names the problem. */
export class DataFileError extends Error {}
