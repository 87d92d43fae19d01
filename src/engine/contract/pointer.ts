// JSON pointers (RFC 6901), once: a token escapes `~` and `/` as `~0` and `~1`.

export const escapeToken = (token: string | number): string => String(token).replace(/~/g, '~0').replace(/\//g, '~1');

export const unescapeToken = (token: string): string => token.replace(/~1/g, '/').replace(/~0/g, '~');

/** `#/a/b~1c` from the tokens a, b/c: a pointer into the document. */
export const pointer = (...tokens: (string | number)[]): string => `#/${tokens.map(escapeToken).join('/')}`;
