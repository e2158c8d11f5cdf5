import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  DEFAULT_SETTINGS,
  changeAction,
  configurationItem,
  didChangeConfigurationParams,
  readSettings,
  toServerSettings,
  type SettingGetter,
} from '../src/settings';

const from = (values: Record<string, unknown>): SettingGetter => (key) => values[key];

describe('readSettings', () => {
  it('gives the defaults when nothing is set', () => {
    assert.deepEqual(readSettings(from({})), DEFAULT_SETTINGS);
  });

  it('reads every setting', () => {
    const settings = readSettings(
      from({
        path: '/opt/sextant/bin/sextant',
        kamalVersion: '2.7.0',
        select: ['K', 'S001'],
        ignore: ['Y002'],
        shellcheck: false,
        'trace.server': 'verbose',
      }),
    );
    assert.deepEqual(settings, {
      path: '/opt/sextant/bin/sextant',
      kamalVersion: '2.7.0',
      select: ['K', 'S001'],
      ignore: ['Y002'],
      shellcheck: false,
      trace: { server: 'verbose' },
    });
  });

  it('treats blank strings as unset and trims', () => {
    const settings = readSettings(from({ path: '   ', kamalVersion: ' 2.8.2 ' }));
    assert.equal(settings.path, null);
    assert.equal(settings.kamalVersion, '2.8.2');
    assert.equal(readSettings(from({ kamalVersion: '' })).kamalVersion, null);
  });

  it('cleans rule lists: strings only, trimmed, no blanks, no duplicates', () => {
    const settings = readSettings(from({ select: [' K ', '', 'K', 3, null, 'E'], ignore: 'K001' }));
    assert.deepEqual(settings.select, ['K', 'E']);
    assert.deepEqual(settings.ignore, []);
  });

  it('falls back on wrong types', () => {
    const settings = readSettings(from({ path: 42, shellcheck: 'no', 'trace.server': 'loud' }));
    assert.equal(settings.path, null);
    assert.equal(settings.shellcheck, true);
    assert.equal(settings.trace.server, 'off');
  });
});

describe('server settings', () => {
  it('sends the version (null when unset) and shellcheck, leaves out empty lists and client-only keys', () => {
    assert.deepEqual(toServerSettings(readSettings(from({}))), { kamalVersion: null, shellcheck: true });
    const full = toServerSettings(
      readSettings(
        from({ path: '/x', kamalVersion: '2.5.3', select: ['K'], ignore: ['S001'], shellcheck: false, 'trace.server': 'messages' }),
      ),
    );
    assert.deepEqual(full, { kamalVersion: '2.5.3', select: ['K'], ignore: ['S001'], shellcheck: false });
    assert.equal('path' in full, false);
    assert.equal('trace' in full, false);
  });

  it('wraps the settings in the sextant section for didChangeConfiguration', () => {
    const params = didChangeConfigurationParams(readSettings(from({ ignore: ['K003'] })));
    assert.deepEqual(params, { settings: { sextant: { kamalVersion: null, ignore: ['K003'], shellcheck: true } } });
  });

  it('is JSON', () => {
    const settings = toServerSettings(readSettings(from({ select: ['K'], kamalVersion: '2.8.2' })));
    assert.deepEqual(JSON.parse(JSON.stringify(settings)), settings);
  });

  it('answers workspace/configuration items', () => {
    const settings = readSettings(from({ kamalVersion: '2.6.0', select: ['K'] }));
    assert.deepEqual(configurationItem('sextant', settings), { kamalVersion: '2.6.0', select: ['K'], shellcheck: true });
    assert.deepEqual(configurationItem(undefined, settings), { kamalVersion: '2.6.0', select: ['K'], shellcheck: true });
    assert.equal(configurationItem('sextant.kamalVersion', settings), '2.6.0');
    assert.deepEqual(configurationItem('sextant.select', settings), ['K']);
    assert.equal(configurationItem('sextant.path', settings), null);
    assert.equal(configurationItem('sextant.ignore', settings), null);
    assert.equal(configurationItem('yaml', settings), null);
  });
});

describe('changeAction', () => {
  const only =
    (...sections: string[]) =>
    (section: string) =>
      sections.some((s) => s === section || s.startsWith(`${section}.`) || section.startsWith(`${s}.`));

  it('restarts when the binary path changes', () => {
    assert.equal(changeAction(only('sextant.path')), 'restart');
    assert.equal(changeAction(only('sextant.path', 'sextant.select')), 'restart');
  });
  it('notifies the server of its own settings', () => {
    for (const key of ['sextant.kamalVersion', 'sextant.select', 'sextant.ignore', 'sextant.shellcheck']) {
      assert.equal(changeAction(only(key)), 'notify', key);
    }
  });
  it('does nothing for trace or other extensions', () => {
    assert.equal(changeAction(only('sextant.trace.server')), 'none');
    assert.equal(changeAction(only('yaml.schemas')), 'none');
  });
});
