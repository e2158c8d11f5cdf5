// Activates the real extension against test/support/fake-vscode.ts with no `sextant` binary
// anywhere: it must show one clear error, register its commands, not throw, and show the error
// again only when the user acts (restart, a new `sextant.path`).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

import * as vscode from 'vscode';
import { activate, deactivate } from '../src/extension';

const fake = (vscode as any).fake as typeof import('./support/fake-vscode').fake;

describe('extension without a sextant binary', () => {
  const saved = { PATH: process.env['PATH'], HOME: process.env['HOME'], CARGO_HOME: process.env['CARGO_HOME'] };
  let home = '';
  const subscriptions: { dispose(): unknown }[] = [];

  before(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'sextant-home-'));
    process.env['PATH'] = path.join(home, 'bin');
    process.env['HOME'] = home;
    delete process.env['CARGO_HOME'];
    fake.reset();
  });

  after(async () => {
    for (const subscription of subscriptions) subscription.dispose();
    await deactivate();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('activates, registers its commands and shows one install message', async () => {
    await activate({ subscriptions } as any);
    assert.deepEqual([...fake.commands.keys()].sort(), ['sextant.restart', 'sextant.showOutput']);
    assert.equal(fake.errors.length, 1);
    assert.match(fake.errors[0] ?? '', /not found on PATH/);
    assert.match(fake.errors[0] ?? '', /cargo install --path \./);
    assert.ok(fake.log.some((line) => line.includes(path.join(home, '.cargo', 'bin', 'sextant'))));
  });

  it('does not repeat the message for changes the user did not ask about', async () => {
    fake.changeSettings({ select: ['K'] });
    fake.changeSettings({ 'trace.server': 'verbose' });
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(fake.errors.length, 1);
  });

  it('shows it again on "sextant: Restart Server"', async () => {
    await fake.commands.get('sextant.restart')?.();
    assert.equal(fake.errors.length, 2);
  });

  it('names a wrong sextant.path when it is changed', async () => {
    fake.changeSettings({ path: '/nonexistent/sextant' });
    await fake.commands.get('sextant.restart')?.(); // waits behind the restart the change queued
    assert.match(fake.errors[2] ?? '', /no executable found at `\/nonexistent\/sextant`/);
  });

  it('shows the output on "sextant: Show Output"', async () => {
    await fake.commands.get('sextant.showOutput')?.();
    assert.ok(fake.log.includes('[sextant] shown'));
  });
});
