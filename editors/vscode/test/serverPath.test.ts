import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

import { expandVariables, isExecutable, resolveServerPath, type ResolveEnv } from '../src/serverPath';

function fakeEnv(executables: string[], overrides: Partial<ResolveEnv> = {}): ResolveEnv {
  const set = new Set(executables);
  return {
    platform: 'linux',
    env: { PATH: '/usr/local/bin:/usr/bin' },
    homedir: '/home/me',
    workspaceFolders: ['/home/me/app'],
    isExecutable: (file) => set.has(file),
    ...overrides,
  };
}

describe('resolveServerPath without a setting', () => {
  it('takes the first sextant on PATH', () => {
    const env = fakeEnv(['/usr/bin/sextant', '/home/me/.cargo/bin/sextant']);
    assert.deepEqual(resolveServerPath(null, env), { kind: 'found', path: '/usr/bin/sextant', source: 'PATH' });
  });

  it('falls back to ~/.cargo/bin, or $CARGO_HOME/bin', () => {
    assert.deepEqual(resolveServerPath(null, fakeEnv(['/home/me/.cargo/bin/sextant'])), {
      kind: 'found',
      path: '/home/me/.cargo/bin/sextant',
      source: 'cargo',
    });
    const env = fakeEnv(['/opt/cargo/bin/sextant'], { env: { PATH: '/usr/bin', CARGO_HOME: '/opt/cargo' } });
    assert.deepEqual(resolveServerPath(null, env), { kind: 'found', path: '/opt/cargo/bin/sextant', source: 'cargo' });
  });

  it('reports every place it tried when the binary is missing', () => {
    assert.deepEqual(resolveServerPath(null, fakeEnv([])), {
      kind: 'missing',
      configured: null,
      tried: ['/usr/local/bin/sextant', '/usr/bin/sextant', '/home/me/.cargo/bin/sextant'],
    });
  });

  it('copes with an empty or absent PATH', () => {
    const result = resolveServerPath(null, fakeEnv([], { env: {} }));
    assert.deepEqual(result, { kind: 'missing', configured: null, tried: ['/home/me/.cargo/bin/sextant'] });
  });

  it('uses Path and PATHEXT on Windows', () => {
    const env = fakeEnv(['C:\\tools\\sextant.exe'], {
      platform: 'win32',
      env: { Path: 'C:\\Windows;C:\\tools', PATHEXT: '.COM;.EXE' },
      homedir: 'C:\\Users\\me',
      workspaceFolders: ['C:\\src\\app'],
    });
    assert.deepEqual(resolveServerPath(null, env), { kind: 'found', path: 'C:\\tools\\sextant.exe', source: 'PATH' });
  });
});

describe('resolveServerPath with sextant.path', () => {
  it('takes an absolute path as it is', () => {
    const env = fakeEnv(['/opt/sextant', '/usr/bin/sextant']);
    assert.deepEqual(resolveServerPath('/opt/sextant', env), { kind: 'found', path: '/opt/sextant', source: 'setting' });
  });

  it('does not fall back to PATH when the configured file is missing', () => {
    const env = fakeEnv(['/usr/bin/sextant']);
    assert.deepEqual(resolveServerPath('/opt/nope/sextant', env), {
      kind: 'missing',
      configured: '/opt/nope/sextant',
      tried: ['/opt/nope/sextant'],
    });
  });

  it('resolves a relative path against the first workspace folder', () => {
    const env = fakeEnv(['/home/me/app/target/release/sextant']);
    assert.deepEqual(resolveServerPath('target/release/sextant', env), {
      kind: 'found',
      path: '/home/me/app/target/release/sextant',
      source: 'setting',
    });
    assert.equal(resolveServerPath('target/release/sextant', fakeEnv([], { workspaceFolders: [] })).kind, 'missing');
  });

  it('expands ~ and variables', () => {
    const env = fakeEnv(['/home/me/bin/sextant', '/home/me/app/bin/sextant', '/opt/x/sextant']);
    assert.equal(resolveServerPath('~/bin/sextant', env).kind, 'found');
    assert.deepEqual(resolveServerPath('${workspaceFolder}/bin/sextant', env), {
      kind: 'found',
      path: '/home/me/app/bin/sextant',
      source: 'setting',
    });
    const withVar = fakeEnv(['/opt/x/sextant'], { env: { PATH: '', SEXTANT_HOME: '/opt/x' } });
    assert.equal(resolveServerPath('${env:SEXTANT_HOME}/sextant', withVar).kind, 'found');
  });

  it('looks a bare command name up on PATH', () => {
    const env = fakeEnv(['/usr/bin/sextant-dev']);
    assert.deepEqual(resolveServerPath('sextant-dev', env), { kind: 'found', path: '/usr/bin/sextant-dev', source: 'setting' });
    assert.deepEqual(resolveServerPath('sextant-nope', env), {
      kind: 'missing',
      configured: 'sextant-nope',
      tried: ['/usr/local/bin/sextant-nope', '/usr/bin/sextant-nope'],
    });
  });
});

describe('expandVariables', () => {
  const env = fakeEnv([], { env: { A: 'x' } });
  it('expands the known variables and leaves the rest', () => {
    assert.equal(expandVariables('${userHome}/a', env), '/home/me/a');
    assert.equal(expandVariables('~', env), '/home/me');
    assert.equal(expandVariables('~user/a', env), '~user/a');
    assert.equal(expandVariables('${env:A}/${env:MISSING}b', env), 'x/b');
    assert.equal(expandVariables('${config:foo}', env), '${config:foo}');
  });
});

describe('isExecutable on the real file system', () => {
  it('accepts an executable file and rejects a plain file, a folder and nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sextant-path-'));
    try {
      const exe = path.join(dir, 'sextant');
      const plain = path.join(dir, 'plain');
      fs.writeFileSync(exe, '#!/bin/sh\n');
      fs.chmodSync(exe, 0o755);
      fs.writeFileSync(plain, '');
      fs.chmodSync(plain, 0o644);
      assert.equal(isExecutable(exe), true);
      assert.equal(isExecutable(dir), false);
      assert.equal(isExecutable(path.join(dir, 'absent')), false);
      // Even root may not execute a file without an execute bit.
      if (process.platform !== 'win32') assert.equal(isExecutable(plain), false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
