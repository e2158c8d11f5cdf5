/**
 * The extension's settings (`sextant.*`) and what the server receives of them, both as
 * `initializationOptions` and as the `sextant` section of `workspace/didChangeConfiguration`.
 *
 * No `vscode` import here: `readSettings` takes a getter so that tests can feed it plain values.
 */

export type TraceLevel = 'off' | 'messages' | 'verbose';

export interface Settings {
  /** Path of the `sextant` binary, or null to look it up on PATH. */
  path: string | null;
  kamalVersion: string | null;
  select: string[];
  ignore: string[];
  shellcheck: boolean;
  trace: { server: TraceLevel };
}

/**
 * What the server is sent. A key left out means "the server's default": the whole object is sent
 * on every change, so a setting that is removed goes back to its default.
 */
export interface ServerSettings {
  kamalVersion: string | null;
  select?: string[];
  ignore?: string[];
  shellcheck: boolean;
}

/** Reads a setting by its key under `sextant.` (e.g. `"trace.server"`); undefined when unset. */
export type SettingGetter = (key: string) => unknown;

/** The defaults, as package.json declares them (a unit test holds the two together). */
export const DEFAULT_SETTINGS: Readonly<Settings> = {
  path: null,
  kamalVersion: null,
  select: [],
  ignore: [],
  shellcheck: true,
  trace: { server: 'off' },
};

/** Reads and cleans the settings: wrong types fall back to defaults, blank strings count as unset. */
export function readSettings(get: SettingGetter): Settings {
  return {
    path: optionalString(get('path')),
    kamalVersion: optionalString(get('kamalVersion')),
    select: stringList(get('select')),
    ignore: stringList(get('ignore')),
    shellcheck: boolean(get('shellcheck'), DEFAULT_SETTINGS.shellcheck),
    trace: { server: traceLevel(get('trace.server')) },
  };
}

/**
 * The settings as the server takes them, sent as `initializationOptions` (the client-only `path`
 * and `trace` are left out).
 */
export function toServerSettings(settings: Settings): ServerSettings {
  const result: ServerSettings = {
    kamalVersion: settings.kamalVersion,
    shellcheck: settings.shellcheck,
  };
  // An empty list is the same as no list: "select nothing" is not a useful setting, and leaving
  // the key out lets the server apply its default selection.
  if (settings.select.length > 0) result.select = [...settings.select];
  if (settings.ignore.length > 0) result.ignore = [...settings.ignore];
  return result;
}

/** The params of `workspace/didChangeConfiguration`: the settings under their section name. */
export function didChangeConfigurationParams(settings: Settings): { settings: { sextant: ServerSettings } } {
  return { settings: { sextant: toServerSettings(settings) } };
}

/**
 * The answer to a `workspace/configuration` item, should the server ask (pull model): for the
 * `sextant` section (or no section) the server settings, for a key under it that one value, and
 * null for anything else.
 */
export function configurationItem(section: string | undefined, settings: Settings): unknown {
  const server = toServerSettings(settings);
  if (section === undefined || section === 'sextant') return server;
  if (section.startsWith('sextant.')) {
    const key = section.slice('sextant.'.length);
    if (key in server) return (server as unknown as Record<string, unknown>)[key];
  }
  return null;
}

/** What a configuration change calls for: nothing, a notification, or a restart of the client. */
export type ChangeAction = 'none' | 'notify' | 'restart';

/** `affects(section)` is VS Code's `ConfigurationChangeEvent.affectsConfiguration`. */
export function changeAction(affects: (section: string) => boolean): ChangeAction {
  if (affects('sextant.path')) return 'restart';
  if (
    affects('sextant.kamalVersion') ||
    affects('sextant.select') ||
    affects('sextant.ignore') ||
    affects('sextant.shellcheck')
  ) {
    return 'notify';
  }
  // `sextant.trace.server` is read by vscode-languageclient itself.
  return 'none';
}

function optionalString(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

function boolean(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function stringList(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const result: string[] = [];
  for (const item of value) {
    if (typeof item !== 'string') continue;
    const trimmed = item.trim();
    if (trimmed !== '' && !result.includes(trimmed)) result.push(trimmed);
  }
  return result;
}

function traceLevel(value: unknown): TraceLevel {
  return value === 'off' || value === 'messages' || value === 'verbose' ? value : DEFAULT_SETTINGS.trace.server;
}
