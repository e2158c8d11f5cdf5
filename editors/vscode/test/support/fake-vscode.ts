// A small stand-in for the `vscode` module, enough to activate the extension in plain Node and
// watch what it shows and registers while no server binary can be found (the path on which it
// never creates a LanguageClient). The test build aliases `vscode` to this file.

type Listener<T> = (event: T) => unknown;

function event<T>(listeners: Listener<T>[]) {
  return (listener: Listener<T>) => {
    listeners.push(listener);
    return { dispose: () => listeners.splice(listeners.indexOf(listener), 1) };
  };
}

export const fake = {
  settings: {} as Record<string, unknown>,
  errors: [] as string[],
  log: [] as string[],
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  executed: [] as unknown[][],
  configurationListeners: [] as Listener<{ affectsConfiguration(section: string): boolean }>[],
  /** Changes settings the way the Settings editor does, then tells the extension. */
  changeSettings(values: Record<string, unknown>): void {
    Object.assign(fake.settings, values);
    const changed = Object.keys(values).map((key) => `sextant.${key}`);
    const affects = (section: string) =>
      changed.some((key) => key === section || key.startsWith(`${section}.`));
    for (const listener of [...fake.configurationListeners]) listener({ affectsConfiguration: affects });
  },
  reset(): void {
    fake.settings = {};
    fake.errors.length = 0;
    fake.log.length = 0;
    fake.commands.clear();
    fake.executed.length = 0;
    fake.configurationListeners.length = 0;
  },
};

function outputChannel(name: string) {
  const line = (level: string) => (message: string) => fake.log.push(`[${name}] ${level} ${message}`);
  return {
    name,
    logLevel: 2,
    trace: line('trace'),
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    append: line('append'),
    appendLine: line('line'),
    show: () => fake.log.push(`[${name}] shown`),
    onDidChangeLogLevel: event<number>([]),
    dispose: () => undefined,
  };
}

export const window = {
  createOutputChannel: (name: string) => outputChannel(name),
  showErrorMessage: (message: string) => {
    fake.errors.push(message);
    return Promise.resolve(undefined);
  },
};

export const workspace = {
  workspaceFolders: [] as { uri: { scheme: string; fsPath: string } }[],
  getConfiguration: (section: string) => ({
    get: (key: string) => (section === 'sextant' ? fake.settings[key] : undefined),
  }),
  onDidChangeConfiguration: event(fake.configurationListeners),
  onDidChangeWorkspaceFolders: event<unknown>([]),
  createFileSystemWatcher: () => ({
    onDidCreate: event<unknown>([]),
    onDidChange: event<unknown>([]),
    onDidDelete: event<unknown>([]),
    dispose: () => undefined,
  }),
  findFiles: () => Promise.resolve([]),
};

export const commands = {
  registerCommand: (id: string, run: (...args: unknown[]) => unknown) => {
    fake.commands.set(id, run);
    return { dispose: () => fake.commands.delete(id) };
  },
  executeCommand: (...args: unknown[]) => {
    fake.executed.push(args);
    return Promise.resolve(undefined);
  },
};

export class Disposable {
  constructor(private readonly callOnDispose: () => void) {}
  dispose(): void {
    this.callOnDispose();
  }
}

// Used only once projects are searched, which needs a binary: present so that the bundle links.
export const Uri = {
  joinPath: () => {
    throw new Error('Uri.joinPath is not faked');
  },
};
export const FileType = { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 };

export const LogLevel = { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 };
export const version = '1.91.0';

// Classes vscode-languageclient extends when its modules load; never constructed on this path.
export class CallHierarchyItem {}
export class CodeAction {}
export class CodeLens {}
export class CompletionItem {}
export class Diagnostic {}
export class DocumentLink {}
export class InlayHint {}
export class SymbolInformation {}
export class TypeHierarchyItem {}
export class CancellationError extends Error {}
