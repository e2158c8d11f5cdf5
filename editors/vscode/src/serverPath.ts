/**
 * Finding the `sextant` binary: the `sextant.path` setting, else PATH, else `~/.cargo/bin` (where
 * `cargo install` puts it, and which an editor started from a desktop launcher often lacks on PATH).
 *
 * No `vscode` import here; the file system and environment come in through `ResolveEnv`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ResolveEnv {
  platform: NodeJS.Platform;
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
  /** Workspace folder paths; the first one anchors a relative `sextant.path`. */
  workspaceFolders: readonly string[];
  /** Whether `file` is an existing file this process may execute. */
  isExecutable(file: string): boolean;
}

export type Resolution =
  | { kind: 'found'; path: string; source: 'setting' | 'PATH' | 'cargo' }
  | {
      kind: 'missing';
      /** The `sextant.path` setting as written, or null when it is unset. */
      configured: string | null;
      /** Every file that was tried, in order. */
      tried: string[];
    };

export const BINARY_NAME = 'sextant';

/** The real environment of this process. */
export function processEnv(workspaceFolders: readonly string[]): ResolveEnv {
  return {
    platform: process.platform,
    env: process.env,
    homedir: os.homedir(),
    workspaceFolders,
    isExecutable,
  };
}

export function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (process.platform === 'win32') return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function resolveServerPath(setting: string | null, env: ResolveEnv): Resolution {
  const p = pathModule(env.platform);
  const tried: string[] = [];
  const first = (candidates: string[]): string | undefined => {
    for (const candidate of candidates) {
      tried.push(candidate);
      if (env.isExecutable(candidate)) return candidate;
    }
    return undefined;
  };

  if (setting !== null && setting.trim() !== '') {
    const expanded = expandVariables(setting.trim(), env);
    // A bare name ("sextant-dev") is looked up on PATH, like a shell would.
    if (!expanded.includes('/') && !(env.platform === 'win32' && expanded.includes('\\'))) {
      const found = first(pathCandidates(expanded, env));
      if (found !== undefined) return { kind: 'found', path: found, source: 'setting' };
      return { kind: 'missing', configured: setting, tried };
    }
    let absolute = expanded;
    if (!p.isAbsolute(absolute)) {
      const base = env.workspaceFolders[0];
      if (base === undefined) return { kind: 'missing', configured: setting, tried: [absolute] };
      absolute = p.resolve(base, absolute);
    }
    const found = first(withExecutableSuffixes(absolute, env));
    if (found !== undefined) return { kind: 'found', path: found, source: 'setting' };
    return { kind: 'missing', configured: setting, tried };
  }

  const onPath = first(pathCandidates(BINARY_NAME, env));
  if (onPath !== undefined) return { kind: 'found', path: onPath, source: 'PATH' };
  const cargoHome = env.env['CARGO_HOME'] ?? p.join(env.homedir, '.cargo');
  const inCargo = first(withExecutableSuffixes(p.join(cargoHome, 'bin', BINARY_NAME), env));
  if (inCargo !== undefined) return { kind: 'found', path: inCargo, source: 'cargo' };
  return { kind: 'missing', configured: null, tried };
}

/** Expands `~`, `${userHome}`, `${workspaceFolder}` and `${env:NAME}` in a configured path. */
export function expandVariables(value: string, env: ResolveEnv): string {
  let result = value.replace(/\$\{(userHome|workspaceFolder|env:([A-Za-z_][A-Za-z0-9_]*))\}/g, (whole, name: string, envName?: string) => {
    if (name === 'userHome') return env.homedir;
    if (name === 'workspaceFolder') return env.workspaceFolders[0] ?? whole;
    return env.env[envName ?? ''] ?? '';
  });
  if (result === '~' || result.startsWith('~/') || (env.platform === 'win32' && result.startsWith('~\\'))) {
    result = env.homedir + result.slice(1);
  }
  return result;
}

function pathCandidates(name: string, env: ResolveEnv): string[] {
  const p = pathModule(env.platform);
  const pathVar = env.platform === 'win32' ? (env.env['Path'] ?? env.env['PATH']) : env.env['PATH'];
  const dirs = (pathVar ?? '').split(p.delimiter).filter((dir) => dir !== '');
  return dirs.flatMap((dir) => withExecutableSuffixes(p.join(dir, name), env));
}

function withExecutableSuffixes(file: string, env: ResolveEnv): string[] {
  if (env.platform !== 'win32') return [file];
  const exts = (env.env['PATHEXT'] ?? '.COM;.EXE;.BAT;.CMD')
    .split(';')
    .filter((ext) => ext !== '')
    .map((ext) => ext.toLowerCase());
  if (exts.some((ext) => file.toLowerCase().endsWith(ext))) return [file];
  return exts.map((ext) => file + ext);
}

function pathModule(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}
