/** An unset `${VAR}` with no default, found while interpolating. */
export class MissingVariableError extends Error {
  constructor(readonly variable: string) {
    super(`\${${variable}} is not set`);
  }
}

const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` with values from `env`. An empty variable counts as
 * unset for `:-`, as in the shell. Throws MissingVariableError for an unset `${VAR}`.
 */
export function interpolate(text: string, env: Record<string, string | undefined>): string {
  return text.replace(PLACEHOLDER, (_match, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    if (fallback !== undefined) return fallback;
    throw new MissingVariableError(name);
  });
}
