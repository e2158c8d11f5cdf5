/**
 * The text the extension shows and logs. No `vscode` import here.
 */
import type { Resolution } from './serverPath';

/**
 * How to install. Not `cargo install sextant`: on crates.io that name belongs to an unrelated crate
 * (celestial navigation) until this project publishes there.
 */
export const INSTALL_HINT =
  'Install it with `cargo install --path .` in a clone of the sextant repository, ' +
  'then run "sextant: Restart Server".';

/** The one error shown when the binary cannot be found. */
export function missingServerMessage(resolution: Extract<Resolution, { kind: 'missing' }>): string {
  if (resolution.configured !== null) {
    return (
      `sextant: no executable found at \`${resolution.configured}\` (the \`sextant.path\` setting). ` +
      'Fix the setting, or clear it to use `sextant` from PATH. ' +
      INSTALL_HINT
    );
  }
  return (
    'sextant: the `sextant` language server was not found on PATH or in ~/.cargo/bin. ' +
    INSTALL_HINT +
    ' Or set `sextant.path` to the binary.'
  );
}

/** The error shown when the binary exists but the server could not be started. */
export function startFailedMessage(binary: string, error: unknown): string {
  return (
    `sextant: the language server (\`${binary} lsp\`) failed to start: ${errorText(error)}. ` +
    'A sextant too old to have the `lsp` command fails this way: update it. ' +
    'See the "sextant" output for details.'
  );
}

/** The lines written to the output channel after a failed lookup. */
export function missingServerLog(resolution: Extract<Resolution, { kind: 'missing' }>): string[] {
  const lines = [missingServerMessage(resolution)];
  if (resolution.tried.length > 0) {
    lines.push('Looked for the binary at:');
    for (const file of resolution.tried) lines.push(`  ${file}`);
  }
  return lines;
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message.replace(/\.\s*$/, '');
  if (typeof error === 'string') return error.replace(/\.\s*$/, '');
  try {
    return JSON.stringify(error);
  } catch {
    return String(error);
  }
}
