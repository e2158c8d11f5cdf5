/**
 * The VS Code side: starts `sextant lsp` through vscode-languageclient for the Kamal files of the
 * workspace, keeps its settings in sync, and restarts it when asked or when its binary changes.
 * Everything that can be decided without VS Code lives in the modules imported below, which the
 * unit tests cover.
 */
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  RevealOutputChannelOn,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

import {
  DEPLOY_CONFIG_GLOB,
  PROJECT_MARKER_GLOB,
  SEARCH_EXCLUDE_GLOB,
  documentSelector,
  projectDockerfiles,
  projectRootOf,
  type Project,
} from './kamal';
import { errorText, missingServerLog, missingServerMessage, startFailedMessage } from './messages';
import { processEnv, resolveServerPath } from './serverPath';
import {
  changeAction,
  configurationItem,
  didChangeConfigurationParams,
  readSettings,
  toServerSettings,
  type Settings,
} from './settings';

const MAX_PROJECTS = 500;

let controller: Controller | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('sextant', { log: true });
  const ctl = new Controller(output);
  controller = ctl;
  const watcher = vscode.workspace.createFileSystemWatcher(DEPLOY_CONFIG_GLOB);
  context.subscriptions.push(
    output,
    ctl,
    watcher,
    watcher.onDidCreate(() => ctl.projectsMayHaveChanged()),
    watcher.onDidChange(() => ctl.projectsMayHaveChanged()),
    watcher.onDidDelete(() => ctl.projectsMayHaveChanged()),
    vscode.workspace.onDidChangeWorkspaceFolders(() => ctl.projectsMayHaveChanged()),
    vscode.workspace.onDidChangeConfiguration((event) => ctl.configurationChanged(event)),
    vscode.commands.registerCommand('sextant.restart', () => ctl.restart()),
    vscode.commands.registerCommand('sextant.showOutput', () => output.show(true)),
  );
  await ctl.restart();
}

export async function deactivate(): Promise<void> {
  await controller?.stop();
  controller = undefined;
}

function currentSettings(): Settings {
  const config = vscode.workspace.getConfiguration('sextant');
  return readSettings((key) => config.get(key));
}

class Controller implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private selectorKey = '';
  /** Start, stop and restart run one after the other. */
  private queue: Promise<void> = Promise.resolve();
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly output: vscode.LogOutputChannel) {}

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopNow();
      await this.startNow();
    });
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.stopNow());
  }

  configurationChanged(event: vscode.ConfigurationChangeEvent): void {
    const action = changeAction((section) => event.affectsConfiguration(section));
    if (action === 'restart') {
      void this.restart();
    } else if (action === 'notify') {
      const client = this.client;
      if (client?.isRunning()) {
        client
          .sendNotification(DidChangeConfigurationNotification.type, didChangeConfigurationParams(currentSettings()))
          .catch((error: unknown) => this.output.error(`sending the settings failed: ${errorText(error)}`));
      }
    }
  }

  /** A deploy config or a workspace folder came, went or changed: the document selector may change. */
  projectsMayHaveChanged(): void {
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.enqueue(async () => {
        if (this.client === undefined) return;
        const key = JSON.stringify(documentSelector(await findProjects()));
        if (key === this.selectorKey) return;
        this.output.info('the set of Kamal projects changed: restarting the server');
        await this.stopNow();
        await this.startNow();
      });
    }, 500);
  }

  dispose(): void {
    if (this.refreshTimer !== undefined) clearTimeout(this.refreshTimer);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task).catch((error: unknown) => {
      this.output.error(`unexpected error: ${errorText(error)}`);
    });
    return this.queue;
  }

  private async startNow(): Promise<void> {
    const settings = currentSettings();
    const folders = (vscode.workspace.workspaceFolders ?? [])
      .filter((folder) => folder.uri.scheme === 'file')
      .map((folder) => folder.uri.fsPath);
    const resolution = resolveServerPath(settings.path, processEnv(folders));
    if (resolution.kind === 'missing') {
      for (const line of missingServerLog(resolution)) this.output.error(line);
      this.showError(missingServerMessage(resolution));
      return;
    }
    this.output.info(`starting ${resolution.path} lsp (found via ${resolution.source})`);

    const selector = documentSelector(await findProjects());
    this.selectorKey = JSON.stringify(selector);
    const serverOptions: ServerOptions = { command: resolution.path, args: ['lsp'] };
    const clientOptions: LanguageClientOptions = {
      documentSelector: selector,
      initializationOptions: toServerSettings(settings),
      outputChannel: this.output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      middleware: {
        workspace: {
          // Answer a `workspace/configuration` pull with the same cleaned settings as the push.
          configuration: (params) => {
            const fresh = currentSettings();
            return params.items.map((item) => configurationItem(item.section, fresh));
          },
        },
      },
    };
    const client = new LanguageClient('sextant', 'sextant', serverOptions, clientOptions);
    try {
      await client.start();
      this.client = client;
    } catch (error) {
      this.output.error(`the server failed to start: ${errorText(error)}`);
      this.showError(startFailedMessage(resolution.path, error));
      await client.dispose().catch(() => undefined);
    }
  }

  private async stopNow(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    try {
      await client.stop();
    } catch (error) {
      this.output.warn(`stopping the server: ${errorText(error)}`);
    }
  }

  /**
   * One notification per start attempt. Starts happen on activation, on "sextant: Restart Server",
   * on a new `sextant.path`, and when the set of projects changes while a server runs; never in a
   * loop (crash restarts are vscode-languageclient's, which gives up after a few with one message).
   */
  private showError(message: string): void {
    void vscode.window.showErrorMessage(message, 'Open Settings', 'Show Output').then((choice) => {
      if (choice === 'Open Settings') {
        void vscode.commands.executeCommand('workbench.action.openSettings', 'sextant.path');
      } else if (choice === 'Show Output') {
        this.output.show(true);
      }
    });
  }
}

/** The Kamal projects of the workspace, each with the Dockerfile(s) its deploy configs name. */
async function findProjects(): Promise<Project[]> {
  const markers = await vscode.workspace.findFiles(PROJECT_MARKER_GLOB, SEARCH_EXCLUDE_GLOB, MAX_PROJECTS);
  const projects: Project[] = [];
  for (const marker of markers) {
    const rootUri = projectRootOf(marker.toString());
    if (rootUri === undefined) continue;
    const root = vscode.Uri.joinPath(marker, '..', '..');
    const texts = [await readText(marker)];
    const configDir = vscode.Uri.joinPath(root, 'config');
    let entries: [string, vscode.FileType][] = [];
    try {
      entries = await vscode.workspace.fs.readDirectory(configDir);
    } catch {
      entries = [];
    }
    for (const [name, type] of entries.sort(([a], [b]) => a.localeCompare(b))) {
      if (type !== vscode.FileType.File || name === 'deploy.yml') continue;
      if (!/^deploy(\.[^/]+)?\.ya?ml$/.test(name)) continue;
      texts.push(await readText(vscode.Uri.joinPath(configDir, name)));
    }
    projects.push({ rootUri, dockerfiles: projectDockerfiles(texts) });
  }
  return projects;
}

async function readText(uri: vscode.Uri): Promise<string> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return '';
  }
}
