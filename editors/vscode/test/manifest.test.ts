// Checks that package.json (what VS Code reads) and the code agree.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { DEFAULT_SETTINGS } from '../src/settings';

const root = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  publisher: string;
  license: string;
  repository: { url: string };
  contributes: {
    commands: { command: string; title: string; category: string }[];
    configuration: { properties: Record<string, { default: unknown; enum?: string[] }> };
  };
  devDependencies: Record<string, string>;
};
const extensionSource = fs.readFileSync(path.join(root, 'src', 'extension.ts'), 'utf8');

describe('package.json', () => {
  it('has what vsce needs to package', () => {
    assert.equal(manifest.main, './dist/extension.js');
    assert.ok(manifest.publisher);
    assert.ok(manifest.license);
    assert.ok(manifest.repository.url);
    assert.ok(fs.existsSync(path.join(root, 'LICENSE')));
  });

  it('targets a VS Code no newer than its @types/vscode', () => {
    const engine = manifest.engines.vscode.replace(/^\^/, '');
    assert.equal(manifest.devDependencies['@types/vscode'], engine);
  });

  it('activates in Kamal workspaces only', () => {
    assert.deepEqual(manifest.activationEvents, [
      'workspaceContains:config/deploy.yml',
      'workspaceContains:**/config/deploy.yml',
    ]);
  });

  it('contributes the restart and output commands, and the extension registers them', () => {
    const commands = manifest.contributes.commands.map((c) => `${c.category}: ${c.title}`);
    assert.deepEqual(commands, ['sextant: Restart Server', 'sextant: Show Output']);
    for (const { command } of manifest.contributes.commands) {
      assert.ok(extensionSource.includes(`registerCommand('${command}'`), command);
    }
  });

  it('declares each setting the extension reads, with the same defaults', () => {
    const properties = manifest.contributes.configuration.properties;
    const flattened: Record<string, unknown> = {
      'sextant.path': DEFAULT_SETTINGS.path,
      'sextant.kamalVersion': DEFAULT_SETTINGS.kamalVersion,
      'sextant.select': DEFAULT_SETTINGS.select,
      'sextant.ignore': DEFAULT_SETTINGS.ignore,
      'sextant.shellcheck': DEFAULT_SETTINGS.shellcheck,
      'sextant.trace.server': DEFAULT_SETTINGS.trace.server,
    };
    assert.deepEqual(Object.keys(properties).sort(), Object.keys(flattened).sort());
    for (const [key, value] of Object.entries(flattened)) {
      assert.deepEqual(properties[key]?.default, value, key);
    }
    assert.deepEqual(properties['sextant.trace.server']?.enum, ['off', 'messages', 'verbose']);
  });
});
