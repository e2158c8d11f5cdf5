import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { errorText, missingServerLog, missingServerMessage, startFailedMessage } from '../src/messages';

describe('missing server message', () => {
  const onPath = missingServerMessage({ kind: 'missing', configured: null, tried: ['/usr/bin/sextant'] });

  it('says what is missing and both ways to install it', () => {
    assert.match(onPath, /not found on PATH/);
    assert.match(onPath, /`cargo install --path \.` in a clone of the sextant repository/);
    // crates.io's `sextant` is another project's crate: never tell people to install it.
    assert.doesNotMatch(onPath, /cargo install sextant/);
    assert.match(onPath, /sextant\.path/);
    assert.match(onPath, /sextant: Restart Server/);
  });

  it('names the configured path when the setting is wrong', () => {
    const message = missingServerMessage({ kind: 'missing', configured: '~/bin/sextnt', tried: ['/home/me/bin/sextnt'] });
    assert.match(message, /`~\/bin\/sextnt`/);
    assert.match(message, /sextant\.path/);
    assert.match(message, /cargo install --path \./);
    assert.doesNotMatch(message, /not found on PATH/);
  });

  it('is one line, for a notification', () => {
    assert.equal(onPath.includes('\n'), false);
  });

  it('logs every place tried', () => {
    const log = missingServerLog({ kind: 'missing', configured: null, tried: ['/a/sextant', '/b/sextant'] });
    assert.deepEqual(log.slice(1), ['Looked for the binary at:', '  /a/sextant', '  /b/sextant']);
    assert.equal(missingServerLog({ kind: 'missing', configured: null, tried: [] }).length, 1);
  });
});

describe('start failure message', () => {
  it('names the command and the cause', () => {
    const message = startFailedMessage('/usr/bin/sextant', new Error('spawn EACCES.'));
    assert.match(message, /`\/usr\/bin\/sextant lsp`/);
    assert.match(message, /spawn EACCES\./);
    assert.doesNotMatch(message, /EACCES\.\./);
  });
});

describe('errorText', () => {
  it('handles errors, strings and other values', () => {
    assert.equal(errorText(new Error('boom.')), 'boom');
    assert.equal(errorText('plain'), 'plain');
    assert.equal(errorText({ code: 1 }), '{"code":1}');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    assert.equal(errorText(cyclic), '[object Object]');
  });
});
