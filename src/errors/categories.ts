/**
 * Error categories: each maps to one CLI exit code. Codes in the catalogue pick a category,
 * so scripts can branch on the exit code without parsing messages.
 */
export const CATEGORIES = {
  usage: { exit: 2, doc: 'The command line or request was malformed.' },
  config: { exit: 3, doc: 'Configuration or data directory is missing, invalid or insecure.' },
  auth: { exit: 4, doc: 'Authentication or authorisation failed.' },
  notFound: { exit: 5, doc: "The thing asked for does not exist (or is outside the caller's scope)." },
  conflict: { exit: 6, doc: 'The request conflicts with the current state.' },
  input: { exit: 7, doc: 'The input data is invalid.' },
  integrity: { exit: 8, doc: 'An integrity check failed (signature, MAC, hash chain, decryption).' },
  unavailable: { exit: 9, doc: 'A dependency (database, key provider) is unavailable.' },
  limit: { exit: 10, doc: 'A size, rate or budget limit was exceeded.' },
  internal: { exit: 70, doc: 'An unexpected internal error.' },
} as const;

export type Category = keyof typeof CATEGORIES;
